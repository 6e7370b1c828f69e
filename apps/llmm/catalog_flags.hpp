#pragma once
// The flags that say where a model catalog comes from, shared by `ask`, `stream` and `models`:
// --catalog-cache file|memory|none, --catalog-dir DIR, --refresh-catalog and --offline, read
// into a CatalogConfig (cache → live discovery → bundled data; see llmm/model_catalog.hpp).

#include <llmm/model_catalog.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace llmm::cli {

class CatalogFlags {
 public:
  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // The flags as a CatalogConfig; its regions are left empty (the caller's to choose). Without
  // --catalog-cache the cache mode is `default_cache_mode`: CacheMode::None for the embedded
  // emulator, whose catalog must not replace the one cached for the real service.
  [[nodiscard]] CatalogConfig resolve(CacheMode default_cache_mode) const;

 private:
  CLI::Option* cache_option_ = nullptr;
  std::string cache_mode_ = "file";
  std::string directory_;
  bool refresh_ = false;
  bool offline_ = false;
};

}  // namespace llmm::cli
