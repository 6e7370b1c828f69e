#pragma once
// What BedrockModelCatalog's queries read: one loaded document, its name index and its regions,
// built once per load (CatalogAccess::query_index) and shared by every query of that load.

#include "catalog/catalog_json.hpp"
#include "catalog/name_resolver.hpp"

#include <memory>
#include <string>
#include <vector>

namespace llmm::catalog {

struct QueryIndex {
  explicit QueryIndex(std::shared_ptr<const CatalogDocument> loaded);

  std::shared_ptr<const CatalogDocument> document;  // never null
  NameResolver resolver;                            // over document->catalog
  std::vector<std::string> regions;                 // every region a model is offered in, sorted
};

}  // namespace llmm::catalog
