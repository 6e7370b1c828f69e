#include "catalog/model_table.hpp"

#include <llmm/exceptions.hpp>

#include <algorithm>
#include <cctype>

namespace llmm::catalog {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// An id the table may not know yet: "provider.model...", a profile id, or an ARN.
bool looks_like_id(std::string_view name) {
  if (name.starts_with("arn:")) return true;
  const bool has_blank = std::any_of(name.begin(), name.end(),
                                     [](unsigned char c) { return std::isspace(c) != 0; });
  return !has_blank && name.find('.') != std::string_view::npos;
}

bool is_global(const InferenceProfileInfo& profile) {
  return profile.profile_id.starts_with("global.");
}

std::string suggestion_list(const Catalog& catalog, const std::string& wanted) {
  std::vector<std::pair<std::size_t, std::string>> ranked;
  for (const ModelInfo& model : catalog.models) {
    const std::size_t distance = edit_distance(wanted, normalized_name(model.model_name));
    if (distance <= std::max<std::size_t>(3, wanted.size() / 3)) {
      ranked.emplace_back(distance, model.model_name);
    }
  }
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() > 5) ranked.resize(5);
  std::string text;
  for (const auto& [distance, name] : ranked) text += (text.empty() ? "" : ", ") + ("'" + name + "'");
  return text;
}

}  // namespace

std::string normalized_name(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

ResolvedModel resolve_model(const Catalog& catalog, std::string_view name) {
  ResolvedModel resolved{std::string(name), std::string(name), nullptr, nullptr};
  if (const ModelInfo* model = catalog.find_model(name)) {
    resolved.info = model;
    return resolved;
  }
  if (const InferenceProfileInfo* profile = catalog.find_profile(name)) {
    resolved.info = catalog.find_model(profile->model_id);
    resolved.model_id = profile->model_id;
    resolved.pinned = profile;
    return resolved;
  }
  if (looks_like_id(name)) return resolved;  // sent as given; the service decides

  const std::string wanted = normalized_name(name);
  std::vector<const ModelInfo*> matches;
  for (const ModelInfo& model : catalog.models) {
    if (normalized_name(model.model_name) == wanted ||
        normalized_name(model.provider_name + model.model_name) == wanted) {
      matches.push_back(&model);
    }
  }
  if (matches.size() == 1) {
    resolved.info = matches.front();
    resolved.model_id = matches.front()->model_id;
    return resolved;
  }
  if (matches.size() > 1) {
    throw ConfigurationError("model name '" + std::string(name) + "' is ambiguous: it matches '" +
                             matches[0]->model_id + "' and '" + matches[1]->model_id +
                             "'; use a model id");
  }
  const std::string suggestions = suggestion_list(catalog, wanted);
  if (!suggestions.empty()) {
    throw ConfigurationError("unknown model '" + std::string(name) + "'; did you mean " +
                             suggestions + "?");
  }
  std::string known;
  for (std::size_t i = 0; i < catalog.models.size() && i < 10; ++i) {
    known += (i == 0 ? "'" : ", '") + catalog.models[i].model_name + "'";
  }
  throw ConfigurationError("unknown model '" + std::string(name) + "'; known models include " +
                           known + " (a model id, profile id or ARN is also accepted)");
}

std::optional<RegionalAccess> access_in(const Catalog& catalog, const ResolvedModel& model,
                                        std::string_view region) {
  RegionalAccess access;
  if (model.pinned) {
    if (!profile_callable_in(*model.pinned, region)) return std::nullopt;
    (is_global(*model.pinned) ? access.global_profile_id : access.regional_profile_id) =
        model.pinned->profile_id;
    return access;
  }
  if (!model.info) {
    access.direct_id = model.model_id;
    return access;
  }
  if (on_demand_in(*model.info, region)) access.direct_id = model.model_id;
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    if (profile.model_id != model.model_id || !profile_callable_in(profile, region)) continue;
    auto& slot = is_global(profile) ? access.global_profile_id : access.regional_profile_id;
    if (!slot) slot = profile.profile_id;
  }
  if (!access.direct_id && !access.regional_profile_id && !access.global_profile_id) {
    return std::nullopt;
  }
  return access;
}

}  // namespace llmm::catalog
