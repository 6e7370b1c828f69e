#pragma once
// Joining what two discoveries know: an earlier catalog's facts for the regions a newer
// discovery did not cover, added to the newer catalog. A manager discovers only its own regions,
// so without this two programs with different region sets would replace each other's cache
// entry and both rediscover at every start.

#include "catalog/catalog_types.hpp"

#include <string>
#include <vector>

namespace llmm::catalog {

// `newer` plus `earlier`'s facts for `kept_regions` (regions `newer` does not cover): each model
// and profile keeps its newer fields and region lists, joined with its earlier regions among
// `kept_regions`; one known only to `earlier` is kept when it is offered in one of them. The
// newer catalog's order first, then the earlier additions in their order.
Catalog with_earlier_regions(Catalog newer, const Catalog& earlier,
                             const std::vector<std::string>& kept_regions);

}  // namespace llmm::catalog
