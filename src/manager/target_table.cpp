#include "manager/target_table.hpp"

#include <llmm/exceptions.hpp>

#include "core/string_list.hpp"

#include <algorithm>

namespace llmm::manager {
namespace {

std::string joined(const std::vector<std::string>& names, bool quoted) {
  const std::string quote = quoted ? "'" : "";
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + quote + name + quote;
  return text;
}

// The regions a catalog offers a resolved model in, sorted.
std::vector<std::string> offered_regions(const catalog::Catalog& data,
                                         const catalog::ResolvedModel& model) {
  std::vector<std::string> regions;
  if (model.pinned) {
    add_all_unique(regions, model.pinned->regions);
  } else if (model.info) {
    add_all_unique(regions, model.info->on_demand_regions);
    add_all_unique(regions, model.info->profile_only_regions);
    for (const auto& profile : data.profiles) {
      if (profile.model_id == model.model_id) add_all_unique(regions, profile.regions);
    }
  }
  std::sort(regions.begin(), regions.end());
  return regions;
}

// Resolution over the bundled data, built on first use (about 2 ms for its 123 models).
class BundledNames {
 public:
  // A model the bundled data knows by this name; nullopt for a name it does not know or only
  // accepts as a raw id.
  std::optional<catalog::Resolution> resolve(const std::string& name) {
    if (!resolver_) resolver_.emplace(data());
    try {
      auto resolution = resolver_->resolve(name);
      if (resolution.explanation.kind != catalog::MatchKind::RawId) return resolution;
    } catch (const ConfigurationError&) {
      // Unknown or ambiguous there too: the caller keeps what it has.
    }
    return std::nullopt;
  }
  static const catalog::Catalog& data() { return catalog::fallback_catalog_document().catalog; }

 private:
  std::optional<catalog::NameResolver> resolver_;
};

class TableBuilder {
 public:
  TableBuilder(const BedrockModelCatalog& catalog, const std::vector<std::string>& models,
               const std::vector<std::string>& regions)
      : catalog_(catalog),
        models_(models),
        regions_(regions),
        discovered_(catalog.source() != CatalogSource::Bundled) {}

  TargetTable build(std::shared_ptr<const catalog::CatalogDocument> document) {
    table_.document = std::move(document);
    resolve_names();
    table_.warnings = catalog_.warnings();
    fill_access();
    require_a_usable_pair();
    return std::move(table_);
  }

 private:
  void resolve_names() {
    const catalog::NameResolver resolver(table_.document->catalog);
    absent_from_discovery_.assign(models_.size(), false);
    in_bundled_.assign(models_.size(), std::nullopt);
    for (std::size_t m = 0; m < models_.size(); ++m) {
      std::optional<catalog::Resolution> found;
      try {
        found = resolver.resolve(models_[m]);
      } catch (const ConfigurationError&) {
        if (!discovered_) throw;
        found = bundled_.resolve(models_[m]);
        if (!found) throw;  // unknown everywhere: the discovered catalog's suggestions
        absent_from_discovery_[m] = true;
      }
      if (discovered_ && !absent_from_discovery_[m] &&
          found->explanation.kind == catalog::MatchKind::RawId) {
        // An id the discovered regions do not offer but the bundled data knows.
        if (auto bundled = bundled_.resolve(models_[m])) {
          found = std::move(bundled);
          absent_from_discovery_[m] = true;
        }
      }
      table_.resolved.push_back(found->model);
      if (absent_from_discovery_[m]) in_bundled_[m] = found->model;
    }
  }

  void fill_access() {
    const std::vector<std::string> covered = catalog_.regions();
    table_.access.assign(models_.size(), {});
    for (const auto& region : regions_) {
      const bool from_bundled = discovered_ && !contains(covered, region);
      if (from_bundled) {
        table_.warnings.push_back("the catalog has no data for " + region +
                                  " (its discovery failed); using the bundled catalog's facts "
                                  "for that region");
        for (std::size_t m = 0; m < models_.size(); ++m) {
          if (in_bundled_[m]) continue;
          if (auto bundled = bundled_.resolve(models_[m])) in_bundled_[m] = bundled->model;
        }
      }
      for (std::size_t m = 0; m < models_.size(); ++m) {
        std::optional<catalog::RegionalAccess> cell;
        if (from_bundled && in_bundled_[m]) {
          cell = catalog::access_in(BundledNames::data(), *in_bundled_[m], region);
        } else if (!from_bundled && !absent_from_discovery_[m]) {
          cell = catalog::access_in(table_.document->catalog, table_.resolved[m], region);
        }
        table_.access[m].push_back(std::move(cell));
      }
    }
  }

  void require_a_usable_pair() {
    for (const auto& row : table_.access) {
      if (std::any_of(row.begin(), row.end(), [](const auto& cell) { return cell.has_value(); })) {
        return;
      }
    }
    std::string where;
    for (std::size_t m = 0; m < models_.size(); ++m) {
      where += (where.empty() ? "" : "; ") + where_offered(m);
    }
    throw ConfigurationError("none of the models " + joined(models_, true) +
                             " is offered in any of the regions " + joined(regions_, true) + ": " +
                             where + " (catalog: " + std::string(to_string(catalog_.source())) +
                             " data of " + table_.document->generated_at + ")");
  }

  // Where model m is offered. A catalog discovered for the manager's regions knows only those,
  // so the bundled data says where else to look.
  std::string where_offered(std::size_t m) {
    const std::string quoted = "'" + models_[m] + "'";
    if (!absent_from_discovery_[m]) {
      auto regions = offered_regions(table_.document->catalog, table_.resolved[m]);
      if (!regions.empty()) return quoted + " is offered in " + joined(regions, false);
    }
    if (discovered_) {
      if (auto bundled = bundled_.resolve(models_[m])) {
        auto regions = offered_regions(BundledNames::data(), bundled->model);
        if (!regions.empty()) {
          return quoted + " is offered in none of them; the bundled catalog lists it in " +
                 joined(regions, false);
        }
      }
    }
    return quoted + " is offered in no region the catalog knows";
  }

  const BedrockModelCatalog& catalog_;
  const std::vector<std::string>& models_;
  const std::vector<std::string>& regions_;
  const bool discovered_;
  TargetTable table_;
  BundledNames bundled_;
  std::vector<bool> absent_from_discovery_;  // [model]: known from the bundled data only
  std::vector<std::optional<catalog::ResolvedModel>> in_bundled_;  // [model]
};

}  // namespace

TargetTable build_target_table(const BedrockModelCatalog& catalog,
                               std::shared_ptr<const catalog::CatalogDocument> document,
                               const std::vector<std::string>& models,
                               const std::vector<std::string>& regions) {
  return TableBuilder(catalog, models, regions).build(std::move(document));
}

}  // namespace llmm::manager
