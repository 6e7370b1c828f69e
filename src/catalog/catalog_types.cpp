#include "catalog/catalog_types.hpp"

#include "core/string_list.hpp"

namespace llmm::catalog {

const ModelInfo* Catalog::find_model(std::string_view model_id) const {
  for (const ModelInfo& model : models) {
    if (model.model_id == model_id) return &model;
  }
  return nullptr;
}

const InferenceProfileInfo* Catalog::find_profile(std::string_view profile_id) const {
  for (const InferenceProfileInfo& profile : profiles) {
    if (profile.profile_id == profile_id) return &profile;
  }
  return nullptr;
}

bool offered_in(const ModelInfo& model, std::string_view region) {
  return contains(model.on_demand_regions, region) || contains(model.profile_only_regions, region);
}

bool on_demand_in(const ModelInfo& model, std::string_view region) {
  return contains(model.on_demand_regions, region);
}

bool profile_callable_in(const InferenceProfileInfo& profile, std::string_view region) {
  return contains(profile.regions, region);
}

std::string foundation_model_arn(std::string_view region, std::string_view model_id) {
  return "arn:aws:bedrock:" + std::string(region) + "::foundation-model/" + std::string(model_id);
}

std::string inference_profile_arn(std::string_view region, std::string_view profile_id) {
  return "arn:aws:bedrock:" + std::string(region) + ":" + std::string(kFakeAccountId) +
         ":inference-profile/" + std::string(profile_id);
}

}  // namespace llmm::catalog
