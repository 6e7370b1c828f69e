#pragma once
// The catalog configuration of tests about something other than the catalog: the bundled data
// (which the emulator serves too), with no discovery call in the emulator's log or scenarios and
// no cache file.

#include <llmm/model_catalog.hpp>

namespace llmm::test {

inline CatalogConfig offline_catalog() {
  return CatalogConfig{.cache_mode = CacheMode::None, .live_discovery = false};
}

}  // namespace llmm::test
