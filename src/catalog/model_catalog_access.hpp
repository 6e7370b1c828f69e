#pragma once
// The library's view of a BedrockModelCatalog's data (the public header exposes no src types).

#include "catalog/catalog_json.hpp"
#include "catalog/catalog_types.hpp"

#include <llmm/model_catalog.hpp>

#include <memory>

namespace llmm::catalog {

struct QueryIndex;  // catalog/catalog_query.hpp

struct CatalogAccess {
  // The loaded document; null before ensure_available() succeeded. Shared, so it stays valid
  // across a later refresh().
  static std::shared_ptr<const CatalogDocument> document(const BedrockModelCatalog& catalog);
  // The public queries' index of the loaded document, built on first use after each load; null
  // when not loaded.
  static std::shared_ptr<const QueryIndex> query_index(const BedrockModelCatalog& catalog);
};

// Loads the catalog if needed (ensure_available(), which may throw CatalogUnavailableError) and
// returns its document (never null).
std::shared_ptr<const CatalogDocument> catalog_document(BedrockModelCatalog& catalog);

// The data the catalog holds when it is loaded (nullptr otherwise).
inline std::shared_ptr<const CatalogDocument> loaded_document(const BedrockModelCatalog& catalog) {
  return CatalogAccess::document(catalog);
}

// The document the catalog falls back to when discovery fails (the bundled data), also the
// reference for the capabilities discovery cannot see. Throws std::logic_error if the bundled
// data is broken (a build defect).
const CatalogDocument& fallback_catalog_document();

}  // namespace llmm::catalog
