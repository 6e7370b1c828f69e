#include "catalog_flags.hpp"

namespace llmm::cli {

void CatalogFlags::add_to(CLI::App& command) {
  cache_option_ =
      command
          .add_option("--catalog-cache", cache_mode_,
                      "Where the discovered catalog is kept between runs: a file, this process's "
                      "memory, or nowhere (default: file; none with --emulator)")
          ->check(CLI::IsMember({"file", "memory", "none"}));
  command.add_option("--catalog-dir", directory_,
                     "Directory of the catalog cache file (default $XDG_CACHE_HOME/llmm, else "
                     "~/.cache/llmm)");
  auto* refresh = command.add_flag("--refresh-catalog", refresh_,
                                   "Discover the catalog again, ignoring a cached one");
  auto* offline = command.add_flag(
      "--offline", offline_,
      "No catalog discovery (no control-plane call): the cached catalog, else the bundled data");
  // Refreshing means discovering, which --offline forbids.
  refresh->excludes(offline);
  offline->excludes(refresh);
}

CatalogConfig CatalogFlags::resolve(CacheMode default_cache_mode) const {
  CatalogConfig config;
  config.cache_mode = default_cache_mode;
  if (cache_option_->count() > 0) {
    config.cache_mode = cache_mode_ == "memory" ? CacheMode::Memory
                        : cache_mode_ == "none" ? CacheMode::None
                                                : CacheMode::File;
  }
  if (!directory_.empty()) config.cache_directory = directory_;
  config.force_refresh = refresh_;
  config.live_discovery = !offline_;
  return config;
}

}  // namespace llmm::cli
