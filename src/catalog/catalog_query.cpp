// BedrockModelCatalog's queries: the public value types filled from the private catalog types,
// the name resolver and access_in() (src/catalog), over one QueryIndex per load.
#include <llmm/exceptions.hpp>
#include <llmm/model_catalog.hpp>

#include "catalog/catalog_query.hpp"
#include "catalog/model_catalog_access.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

namespace llmm {
namespace catalog {

QueryIndex::QueryIndex(std::shared_ptr<const CatalogDocument> loaded)
    : document(std::move(loaded)), resolver(document->catalog) {
  std::set<std::string> offered;
  for (const ModelInfo& model : document->catalog.models) {
    offered.insert(model.on_demand_regions.begin(), model.on_demand_regions.end());
    offered.insert(model.profile_only_regions.begin(), model.profile_only_regions.end());
  }
  regions.assign(offered.begin(), offered.end());
}

}  // namespace catalog

namespace {

using catalog::InferenceProfileInfo;
using catalog::QueryIndex;

std::shared_ptr<const QueryIndex> loaded_index(const BedrockModelCatalog& catalog) {
  auto index = catalog::CatalogAccess::query_index(catalog);
  if (!index) {
    throw std::logic_error(
        "BedrockModelCatalog: the catalog is not loaded; call ensure_available() first");
  }
  return index;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](unsigned char x, unsigned char y) {
    return std::tolower(x) == std::tolower(y);
  });
}

RegionAccess public_access(std::string region, const catalog::RegionalAccess& access) {
  return RegionAccess{std::move(region), access.direct_id, access.regional_profile_id,
                      access.global_profile_id};
}

// Every catalog region where `model` (as resolved: a pinned profile counts) can be called.
std::vector<RegionAccess> access_everywhere(const QueryIndex& index,
                                            const catalog::ResolvedModel& model) {
  std::vector<RegionAccess> out;
  for (const std::string& region : index.regions) {
    if (auto access = catalog::access_in(index.document->catalog, model, region)) {
      out.push_back(public_access(region, *access));
    }
  }
  return out;
}

CatalogProfile public_profile(const InferenceProfileInfo& profile) {
  return CatalogProfile{profile.profile_id, profile.name, profile.model_id,
                        catalog::is_global_profile(profile) ? AccessMethod::GlobalProfile
                                                            : AccessMethod::RegionalProfile,
                        profile.regions};
}

ModelSummary summary_of(const QueryIndex& index, const catalog::ModelInfo& model) {
  ModelSummary out{.name = model.model_name,
                   .model_id = model.model_id,
                   .provider = model.provider_name,
                   .input_modalities = model.input_modalities,
                   .output_modalities = model.output_modalities,
                   .streaming = model.streaming,
                   .converse = model.converse,
                   .tool_use = model.tool_use,
                   .documents = model.documents,
                   .prompt_caching = model.prompt_caching,
                   .lifecycle_status = model.lifecycle_status,
                   .on_demand_regions = model.on_demand_regions,
                   .profile_only_regions = model.profile_only_regions};
  out.access = access_everywhere(index, {model.model_id, model.model_id, &model, nullptr});
  for (const InferenceProfileInfo& profile : index.document->catalog.profiles) {
    if (profile.model_id == model.model_id) out.profiles.push_back(public_profile(profile));
  }
  out.aliases = index.resolver.aliases_of(model);
  return out;
}

bool admits(const ModelFilter& filter, const catalog::ModelInfo& model) {
  if (!filter.provider.empty() && !iequals(model.provider_name, filter.provider)) return false;
  return filter.region.empty() || catalog::offered_in(model, filter.region);
}

NameMatch public_match(catalog::MatchKind kind) {
  switch (kind) {
    case catalog::MatchKind::Exact: return NameMatch::Exact;
    case catalog::MatchKind::Normalized: return NameMatch::Normalized;
    case catalog::MatchKind::Alias: return NameMatch::Alias;
    case catalog::MatchKind::Legacy: return NameMatch::Legacy;
    case catalog::MatchKind::Id: return NameMatch::Id;
    case catalog::MatchKind::Profile: return NameMatch::Profile;
    case catalog::MatchKind::Arn: return NameMatch::Arn;
    case catalog::MatchKind::RawId: return NameMatch::RawId;
  }
  return NameMatch::RawId;
}

catalog::MatchKind private_match(NameMatch match) {
  switch (match) {
    case NameMatch::Exact: return catalog::MatchKind::Exact;
    case NameMatch::Normalized: return catalog::MatchKind::Normalized;
    case NameMatch::Alias: return catalog::MatchKind::Alias;
    case NameMatch::Legacy: return catalog::MatchKind::Legacy;
    case NameMatch::Id: return catalog::MatchKind::Id;
    case NameMatch::Profile: return catalog::MatchKind::Profile;
    case NameMatch::Arn: return catalog::MatchKind::Arn;
    case NameMatch::RawId: return catalog::MatchKind::RawId;
  }
  return catalog::MatchKind::RawId;
}

ModelResolution resolve_over(const QueryIndex& index, std::string_view name) {
  ModelResolution out;
  out.input = std::string(name);
  catalog::Resolution resolution;
  try {
    resolution = index.resolver.resolve(name);
  } catch (const ConfigurationError& error) {
    out.error = error.what();
    const std::vector<const catalog::ModelInfo*> tied = index.resolver.equal_matches(name);
    if (tied.size() > 1) {
      out.status = ResolutionStatus::Ambiguous;
      for (const catalog::ModelInfo* model : tied) {
        out.candidates.push_back({model->model_name, model->model_id});
      }
      return out;
    }
    out.status = ResolutionStatus::Unknown;
    for (const std::string& near : index.resolver.suggestions(name)) {
      for (const catalog::ModelInfo& model : index.document->catalog.models) {
        if (model.model_name == near) out.candidates.push_back({model.model_name, model.model_id});
      }
    }
    return out;
  }
  const catalog::ResolvedModel& model = resolution.model;
  out.status = ResolutionStatus::Resolved;
  out.model_id = model.model_id;
  if (model.info != nullptr) out.model = summary_of(index, *model.info);
  if (model.pinned != nullptr) out.pinned_profile_id = model.pinned->profile_id;
  out.match = public_match(resolution.explanation.kind);
  out.matched = resolution.explanation.matched;
  out.reason = resolution.explanation.reason;
  if (model.info != nullptr || model.pinned != nullptr)
    out.access = access_everywhere(index, model);
  return out;
}

}  // namespace

const RegionAccess* ModelSummary::access_in(std::string_view region) const noexcept {
  for (const RegionAccess& entry : access) {
    if (entry.region == region) return &entry;
  }
  return nullptr;
}

std::string_view to_string(ResolutionStatus status) noexcept {
  switch (status) {
    case ResolutionStatus::Resolved: return "resolved";
    case ResolutionStatus::Ambiguous: return "ambiguous";
    case ResolutionStatus::Unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(NameMatch match) noexcept {
  return catalog::to_string(private_match(match));
}

std::vector<ModelSummary> BedrockModelCatalog::list_models(const ModelFilter& filter) const {
  const auto index = loaded_index(*this);
  std::vector<ModelSummary> out;
  for (const catalog::ModelInfo& model : index->document->catalog.models) {
    if (admits(filter, model)) out.push_back(summary_of(*index, model));
  }
  return out;
}

std::optional<ModelSummary> BedrockModelCatalog::model_info(std::string_view name) const {
  const auto index = loaded_index(*this);
  try {
    const catalog::Resolution resolution = index->resolver.resolve(name);
    if (resolution.model.info == nullptr) return std::nullopt;
    return summary_of(*index, *resolution.model.info);
  } catch (const ConfigurationError&) {
    return std::nullopt;
  }
}

ModelResolution BedrockModelCatalog::resolve(std::string_view name) const {
  return resolve_over(*loaded_index(*this), name);
}

std::optional<RegionAccess> BedrockModelCatalog::model_access(std::string_view name,
                                                              std::string_view region) const {
  const auto index = loaded_index(*this);
  const catalog::Resolution resolution = index->resolver.resolve(name);  // throws as a manager
  auto access = catalog::access_in(index->document->catalog, resolution.model, region);
  if (!access) return std::nullopt;
  return public_access(std::string(region), *access);
}

std::string BedrockModelCatalog::to_json(const ModelFilter& filter) const {
  const auto index = loaded_index(*this);
  const catalog::CatalogDocument& all = *index->document;
  catalog::CatalogDocument shown{catalog::Catalog{}, all.generated_at, all.source};
  for (const catalog::ModelInfo& model : all.catalog.models) {
    if (admits(filter, model)) shown.catalog.models.push_back(model);
  }
  for (const InferenceProfileInfo& profile : all.catalog.profiles) {
    if (shown.catalog.find_model(profile.model_id) == nullptr) continue;
    if (!filter.region.empty() && !catalog::profile_callable_in(profile, filter.region)) continue;
    shown.catalog.profiles.push_back(profile);
  }
  return catalog::catalog_to_json(shown);
}

std::string BedrockModelCatalog::source_description() const {
  const auto document = catalog::CatalogAccess::document(*this);
  return document ? document->source : std::string();
}

}  // namespace llmm
