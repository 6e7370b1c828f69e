#pragma once
// Kept for the code that includes it: names to targets (resolve_model, access_in,
// normalized_name, ResolvedModel, RegionalAccess) now live in catalog/name_resolver.hpp, over any
// Catalog (the built-in table, the bundled data or a discovered catalog).

#include "catalog/name_resolver.hpp"
