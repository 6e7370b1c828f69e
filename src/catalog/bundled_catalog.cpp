#include "catalog/bundled_catalog.hpp"

#include <algorithm>
#include <stdexcept>

namespace llmm::catalog {
namespace detail {
extern const std::string_view kBundledCatalogJson;  // generated: bundled_catalog_data.cpp
}  // namespace detail

std::string_view bundled_catalog_json() { return detail::kBundledCatalogJson; }

std::optional<std::string> catalog_inconsistency(const Catalog& catalog) {
  for (const ModelInfo& model : catalog.models) {
    if (model.on_demand_regions.empty() && model.profile_only_regions.empty()) {
      return "model '" + model.model_id + "' is offered in no region";
    }
    for (const std::string& region : model.on_demand_regions) {
      if (std::find(model.profile_only_regions.begin(), model.profile_only_regions.end(), region) !=
          model.profile_only_regions.end()) {
        return "model '" + model.model_id + "' lists " + region +
               " both on demand and profile-only";
      }
    }
  }
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    if (profile.regions.empty()) return "profile '" + profile.profile_id + "' has no region";
    if (catalog.find_model(profile.model_id) == nullptr) {
      return "profile '" + profile.profile_id + "' routes to '" + profile.model_id +
             "', which the catalog does not have";
    }
    const std::string suffix = "." + profile.model_id;
    if (!profile.profile_id.ends_with(suffix) || profile.profile_id.size() == suffix.size()) {
      return "profile '" + profile.profile_id + "' is not '<geography>." + profile.model_id + "'";
    }
  }
  return std::nullopt;
}

const CatalogDocument& bundled_catalog() {
  static const CatalogDocument document = [] {
    Result<CatalogDocument> parsed = catalog_from_json(bundled_catalog_json());
    if (!parsed) {
      throw std::logic_error("the bundled catalog does not parse: " + parsed.error().message);
    }
    if (auto problem = catalog_inconsistency(parsed->catalog)) {
      throw std::logic_error("the bundled catalog is inconsistent: " + *problem);
    }
    return std::move(parsed).value();
  }();
  return document;
}

}  // namespace llmm::catalog
