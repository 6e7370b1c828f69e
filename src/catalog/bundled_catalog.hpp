#pragma once
// The bundled model catalog: data/bedrock_catalog.json (made by scripts/make-bundled-catalog from
// the public catalog facts), embedded into the library at build time, so it needs no file at run
// time. Parsed and checked once, on first use.

#include "catalog/catalog_json.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace llmm::catalog {

// The embedded text, exactly as in data/bedrock_catalog.json.
std::string_view bundled_catalog_json();

// The parsed, checked document (immutable, process-wide). A document that does not parse or is
// inconsistent is a build defect: it throws std::logic_error naming the problem (the unit tests
// parse the embedded file, so such a build never passes CI).
const CatalogDocument& bundled_catalog();

// What is inconsistent in a catalog, or nullopt: a model with no region, a region listed both
// on demand and profile-only, a profile with no region or routing to a model the catalog does
// not have, or a profile id that is not "<geography>.<model id>".
std::optional<std::string> catalog_inconsistency(const Catalog& catalog);

}  // namespace llmm::catalog
