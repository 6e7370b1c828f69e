#pragma once
// Our own catalog schema, as stored in data/bedrock_catalog.json and in the catalog cache:
//   {"schema": "llmm-catalog", "version": 2, "generated_at": "<RFC 3339>", "source": "...",
//    "models": [ModelInfo...], "profiles": [InferenceProfileInfo...]}
// Member names are the snake_case field names of ModelInfo / InferenceProfileInfo.

#include "catalog/catalog_types.hpp"

#include <llmm/result.hpp>

#include <string>
#include <string_view>

namespace llmm::catalog {

inline constexpr std::string_view kCatalogSchemaName = "llmm-catalog";
inline constexpr int kCatalogSchemaVersion = 2;

struct CatalogDocument {
  Catalog catalog;
  std::string generated_at;  // RFC 3339
  std::string source;        // "bundled", "discovery us-east-1,...", ...
};

std::string catalog_to_json(const CatalogDocument& document);

// An InvalidArgument error naming the JSON path and what is wrong for anything that is not a
// document of this schema and version (a foreign schema or version is an error, never trusted).
// Never throws.
Result<CatalogDocument> catalog_from_json(std::string_view text);

}  // namespace llmm::catalog
