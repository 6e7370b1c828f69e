#pragma once
// BedrockModelCatalog: which models and inference profiles exist in which regions. Loaded once,
// by ensure_available(), from the first source that works:
//   1. the cache (memory or file), unless force_refresh or CacheMode::None;
//   2. live discovery: ListFoundationModels + ListInferenceProfiles (every page) in every region
//      of CatalogConfig::regions, in parallel, through the AuthManager's control-plane clients
//      (so its ClientConfig timeouts and retries apply); the result is written to the cache;
//   3. the bundled catalog shipped with the library (may be stale), when fallback_to_bundled;
//   otherwise CatalogUnavailableError.
// See docs/UserGuide.md "Catalog discovery and cache".

#include <llmm/auth_manager.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/clock.hpp>
#include <llmm/error.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

namespace catalog {
struct CatalogAccess;  // the library's internal accessor (src/catalog/model_catalog_access.hpp)
}

enum class CacheMode {
  File,    // a JSON file in the cache directory, shared by processes (the default)
  Memory,  // process-wide, in memory: later catalogs in the same process reuse it
  None,    // never read nor written
};

enum class CatalogSource {
  None,       // not loaded yet
  Cache,      // a valid cache entry (memory or file)
  Discovery,  // live ListFoundationModels / ListInferenceProfiles
  Bundled,    // the data shipped with the library
};

std::string_view to_string(CacheMode mode) noexcept;
std::string_view to_string(CatalogSource source) noexcept;

struct CatalogConfig {
  CacheMode cache_mode = CacheMode::File;
  // Default: $XDG_CACHE_HOME/llmm, else $HOME/.cache/llmm. When it cannot be written, a private
  // directory under the system temp directory (llmm-cache-<uid>) is used instead.
  std::optional<std::filesystem::path> cache_directory;
  // A cache entry older than this is ignored (and replaced after discovery).
  std::chrono::seconds ttl{std::chrono::hours(24)};
  // Skip the cache read (the result is still written to it).
  bool force_refresh = false;
  // When discovery fails in every region: the bundled data (true) or CatalogUnavailableError.
  bool fallback_to_bundled = true;
  // false: no control-plane call at all; a cache entry (when the cache mode allows), else the
  // bundled data. For offline starts and for callers who want the shipped data only.
  bool live_discovery = true;
  // Regions to discover; empty means the 21 commercial regions (default_catalog_regions()), or,
  // for an LLMManager's catalog, the manager's regions.
  // A cache entry is used only when it covers every one of them, discovered through the same
  // control-plane endpoints as this AuthManager's.
  std::vector<std::string> regions;
  // Waits between the retries of one control-plane call (the count is the ClientConfig's).
  BackoffPolicy discovery_backoff;
  // Discovery as a whole: regions that have not answered in this time count as failed (Timeout;
  // the others are used, or the bundled data when none answered), so a control plane that is
  // unreachable but not refused (a private network with only a runtime endpoint) delays a start
  // by this much, not by the ClientConfig's connect timeout times its retries. 0: no limit.
  std::chrono::milliseconds discovery_timeout{std::chrono::seconds(10)};
};

// A region whose discovery failed; the others were still used.
struct CatalogRegionError {
  std::string region;
  std::string operation;  // ListFoundationModels or ListInferenceProfiles (empty: the client)
  Error error;
};

// us-east-1/2, us-west-1/2, ap-northeast-1/2/3, ap-south-1, ap-southeast-1/2/3/4, eu-central-1,
// eu-north-1, eu-south-1/2, eu-west-1/2/3, ca-central-1, sa-east-1.
const std::vector<std::string>& default_catalog_regions();

class BedrockModelCatalog {
 public:
  // Nothing is loaded until ensure_available(). `auth` must outlive the catalog. `clock` gives
  // the wall time cache ages are measured with. Throws std::invalid_argument for a negative ttl
  // or discovery_timeout.
  explicit BedrockModelCatalog(AuthManager& auth, CatalogConfig config = {},
                               std::shared_ptr<Clock> clock = Clock::system());
  ~BedrockModelCatalog();
  BedrockModelCatalog(const BedrockModelCatalog&) = delete;
  BedrockModelCatalog& operator=(const BedrockModelCatalog&) = delete;

  // Loads the catalog if it is not loaded yet (see the top of this file); a no-op afterwards.
  // Throws CatalogUnavailableError when no source worked and the bundled fallback is disabled.
  // Thread-safe; concurrent callers wait for one load. Never call it from a completion
  // callback (the event-loop thread): discovery waits for that thread.
  void ensure_available();
  // Discovers again now, skipping the cache; on failure falls back as ensure_available() does
  // (keeping nothing of the previous load).
  void refresh();
  // Forgets the loaded catalog and removes this configuration's cache entry (memory or file).
  void clear_cache();

  [[nodiscard]] bool is_loaded() const;
  [[nodiscard]] CatalogSource source() const;
  // When the data was produced (RFC 3339): the discovery time, also for a cache hit; the bundled
  // data's own date for the fallback. Empty when not loaded.
  [[nodiscard]] std::string generated_at() const;
  // What was noticed on the way: an ignored cache file and why, a cache write that failed, the
  // bundled data being used, a profile without a model. Never fatal.
  [[nodiscard]] std::vector<std::string> warnings() const;
  // Regions whose discovery failed during the load (the catalog has the others).
  [[nodiscard]] std::vector<CatalogRegionError> region_errors() const;
  // Regions the loaded data covers (discovered, or cached from a discovery); the bundled data's
  // regions for the fallback.
  [[nodiscard]] std::vector<std::string> regions() const;
  [[nodiscard]] std::size_t model_count() const;
  [[nodiscard]] std::size_t profile_count() const;
  // The cache file read or written by the last load (CacheMode::File), if any.
  [[nodiscard]] std::optional<std::filesystem::path> cache_file_path() const;
  [[nodiscard]] const CatalogConfig& config() const noexcept;

 private:
  friend struct catalog::CatalogAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
