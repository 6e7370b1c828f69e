#pragma once
// A manager's configured names and regions, resolved over its loaded catalog into the table its
// per-call plans read: for each model its resolution, and for each (model, region) how it is
// reached there, if at all. Discovered data covers only the regions discovered, so the bundled
// data fills two gaps: a region whose discovery failed takes the bundled facts for it, and a name
// the discovered models lack is still known (and offered in none of the discovered regions).

#include "catalog/model_catalog_access.hpp"
#include "catalog/name_resolver.hpp"

#include <llmm/model_catalog.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmm::manager {

struct TargetTable {
  // The loaded data the resolutions point into (kept alive for the manager's lifetime).
  std::shared_ptr<const catalog::CatalogDocument> document;
  std::vector<catalog::ResolvedModel> resolved;  // [model]
  // [model][region]: how the model is reached there, if at all.
  std::vector<std::vector<std::optional<catalog::RegionalAccess>>> access;
  // The catalog's warnings, then one per region served from the bundled data.
  std::vector<std::string> warnings;
};

// Throws ConfigurationError for a name that resolves to nothing (with suggestions) or to two
// models, and, naming where each model is offered, when no (model, region) pair is usable.
// `catalog` must be loaded; `document` is its data.
TargetTable build_target_table(const BedrockModelCatalog& catalog,
                               std::shared_ptr<const catalog::CatalogDocument> document,
                               const std::vector<std::string>& models,
                               const std::vector<std::string>& regions);

}  // namespace llmm::manager
