#include "catalog/region_merge.hpp"

#include "core/string_list.hpp"

#include <algorithm>
#include <map>

namespace llmm::catalog {
namespace {

// The regions of `earlier` that are among `kept`, appended to `into` (once each).
void add_kept(std::vector<std::string>& into, const std::vector<std::string>& earlier,
              const std::vector<std::string>& kept) {
  for (const auto& region : earlier) {
    if (contains(kept, region)) add_unique(into, region);
  }
}

}  // namespace

Catalog with_earlier_regions(Catalog newer, const Catalog& earlier,
                             const std::vector<std::string>& kept_regions) {
  if (kept_regions.empty()) return newer;

  std::map<std::string, std::size_t> model_at;
  for (std::size_t i = 0; i < newer.models.size(); ++i) model_at[newer.models[i].model_id] = i;
  std::map<std::string, std::size_t> profile_at;
  for (std::size_t i = 0; i < newer.profiles.size(); ++i) {
    profile_at[newer.profiles[i].profile_id] = i;
  }

  // Profiles first: an earlier model routed to by a kept profile must stay even when it is not
  // offered on demand or listed as profile-only in a kept region.
  std::vector<std::string> routed_models;
  for (const InferenceProfileInfo& profile : earlier.profiles) {
    std::vector<std::string> regions;
    add_kept(regions, profile.regions, kept_regions);
    if (regions.empty()) continue;
    routed_models.push_back(profile.model_id);
    if (auto at = profile_at.find(profile.profile_id); at != profile_at.end()) {
      add_kept(newer.profiles[at->second].regions, regions, kept_regions);
      continue;
    }
    InferenceProfileInfo kept = profile;
    kept.regions = std::move(regions);
    profile_at[kept.profile_id] = newer.profiles.size();
    newer.profiles.push_back(std::move(kept));
  }

  for (const ModelInfo& model : earlier.models) {
    if (auto at = model_at.find(model.model_id); at != model_at.end()) {
      ModelInfo& current = newer.models[at->second];
      add_kept(current.on_demand_regions, model.on_demand_regions, kept_regions);
      add_kept(current.profile_only_regions, model.profile_only_regions, kept_regions);
      continue;
    }
    ModelInfo kept = model;
    kept.on_demand_regions.clear();
    kept.profile_only_regions.clear();
    add_kept(kept.on_demand_regions, model.on_demand_regions, kept_regions);
    add_kept(kept.profile_only_regions, model.profile_only_regions, kept_regions);
    if (kept.on_demand_regions.empty() && kept.profile_only_regions.empty() &&
        !contains(routed_models, kept.model_id)) {
      continue;
    }
    model_at[kept.model_id] = newer.models.size();
    newer.models.push_back(std::move(kept));
  }
  return newer;
}

}  // namespace llmm::catalog
