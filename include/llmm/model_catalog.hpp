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

#include <llmm/access_method.hpp>
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

// A value type: not synchronized.
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
// A value type: not synchronized.
struct CatalogRegionError {
  std::string region;
  std::string operation;  // ListFoundationModels or ListInferenceProfiles (empty: the client)
  Error error;
};

// ---- Queries over the loaded catalog: public value types (no src/ type in them). ----

// How a model, or the profile a name pins, is called in one region: each way that works there.
// A value type: not synchronized.
struct RegionAccess {
  std::string region;
  std::optional<std::string> direct_id;            // the model id, when callable on demand there
  std::optional<std::string> regional_profile_id;  // a geographic profile: "us.", "eu.", "apac."...
  std::optional<std::string> global_profile_id;    // the "global." profile
};

// A system-defined inference profile of the catalog. A value type: not synchronized.
struct CatalogProfile {
  std::string profile_id;  // "us.anthropic.claude-3-haiku-20240307-v1:0"
  std::string name;        // "US Anthropic Claude 3 Haiku"
  std::string model_id;    // the foundation model it routes to
  AccessMethod access_method = AccessMethod::RegionalProfile;  // or GlobalProfile
  std::vector<std::string> regions;                            // where it can be called
};

// One model of the catalog and every way to call it. A value type: not synchronized.
struct ModelSummary {
  std::string name;                            // "Claude 3 Haiku"
  std::string model_id;                        // "anthropic.claude-3-haiku-20240307-v1:0"
  std::string provider;                        // "Anthropic"
  std::vector<std::string> input_modalities;   // TEXT, IMAGE, VIDEO, ...
  std::vector<std::string> output_modalities;  // TEXT, IMAGE, EMBEDDING
  bool streaming = true;                       // ConverseStream
  bool converse = true;                        // false for embedding models: Converse rejects them
  bool tool_use = true;                        // toolConfig accepted
  bool documents = true;                       // document content blocks accepted
  // Where it takes prompt-cache points: "tools", "system", "messages"; empty: no caching.
  std::vector<std::string> prompt_caching;
  std::string lifecycle_status;                   // ACTIVE | LEGACY
  std::vector<std::string> on_demand_regions;     // callable with the bare model id
  std::vector<std::string> profile_only_regions;  // offered, but only through a profile
  // Every region of the catalog where it can be called, and how, sorted by region.
  std::vector<RegionAccess> access;
  std::vector<CatalogProfile> profiles;  // the system-defined profiles routing to it
  // The generated aliases and legacy names that resolve to this model alone (its own name and
  // id are not repeated).
  std::vector<std::string> aliases;

  // Its access in `region`; nullptr when it cannot be called there.
  [[nodiscard]] const RegionAccess* access_in(std::string_view region) const noexcept;
};

// Which models list_models() and to_json() give. A value type: not synchronized.
struct ModelFilter {
  std::string region;    // empty: every region; else the models callable there, either way
  std::string provider;  // empty: every provider; else this one (case ignored)
};

enum class ResolutionStatus {
  Resolved,   // exactly one model, or an id/ARN sent as given
  Ambiguous,  // two or more models match equally: an LLMManager refuses the name
  Unknown,    // nothing matches (also an empty name or a malformed Bedrock ARN)
};

// What a resolved name matched (see the order in BedrockModelCatalog::resolve()).
enum class NameMatch {
  Exact,       // the model's name, verbatim
  Normalized,  // the model's name, ignoring case and separators
  Alias,       // a generated alias of the model
  Legacy,      // a legacy name of a renamed model
  Id,          // the model id (case ignored)
  Profile,     // a system-defined inference profile id of the catalog (pins that profile)
  Arn,         // an ARN of a foundation model, inference profile or application profile
  RawId,       // an id-shaped name the catalog does not know, sent as given
};

std::string_view to_string(ResolutionStatus status) noexcept;  // "resolved", "ambiguous", ...
std::string_view to_string(NameMatch match) noexcept;          // "exact", "normalized", ...

// A model a name might have meant. A value type: not synchronized.
struct ModelCandidate {
  std::string name;
  std::string model_id;
};

// How one name resolves over the catalog, exactly as an LLMManager built on it resolves it.
// A value type: not synchronized.
struct ModelResolution {
  std::string input;
  ResolutionStatus status = ResolutionStatus::Unknown;

  // Resolved:
  // The foundation model id; the input as given for an id or ARN the catalog does not know.
  std::string model_id;
  std::optional<ModelSummary> model;  // the catalog's model; nullopt when it does not know it
  std::optional<std::string> pinned_profile_id;  // the name is (the ARN of) a profile: only it
  NameMatch match = NameMatch::Exact;
  std::string matched;  // the catalog name, alias, id, profile id or ARN it matched
  std::string reason;   // one sentence: "ignoring case and separators, the name of ..."
  // Every region of the catalog where the name can be called, and how (a pinned profile: its
  // regions and itself only). Empty when the catalog knows neither the model nor the profile:
  // such a name is sent as given, as a direct id, in any region.
  std::vector<RegionAccess> access;

  // Not resolved:
  std::string error;  // the message of the ConfigurationError an LLMManager would throw
  // Ambiguous: the models it matches equally. Unknown: the nearest model names, best first (at
  // most five; none for an empty name or a malformed ARN).
  std::vector<ModelCandidate> candidates;

  [[nodiscard]] bool ok() const noexcept { return status == ResolutionStatus::Resolved; }
};

// us-east-1/2, us-west-1/2, ap-northeast-1/2/3, ap-south-1, ap-southeast-1/2/3/4, eu-central-1,
// eu-north-1, eu-south-1/2, eu-west-1/2/3, ca-central-1, sa-east-1.
const std::vector<std::string>& default_catalog_regions();

// Thread-safe: every member may be called from any thread concurrently; loads (ensure_available,
// refresh, clear_cache; never from a completion callback) are serialized, and each query reads
// one load's snapshot. The destructor must not race calls.
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

  // Queries over the loaded data. Each reads one snapshot (a concurrent refresh() does not mix
  // two loads) and throws std::logic_error when the catalog is not loaded (ensure_available();
  // an LLMManager's catalog always is). No network call.
  //
  // The models the filter admits, in catalog order.
  [[nodiscard]] std::vector<ModelSummary> list_models(const ModelFilter& filter = {}) const;
  // The catalog model a name resolves to (any name resolve() accepts: name, alias, model id,
  // profile id, ARN); nullopt when it resolves to none (unknown, ambiguous, or an id the
  // catalog does not know; resolve() says which).
  [[nodiscard]] std::optional<ModelSummary> model_info(std::string_view name) const;
  // How a name resolves, as an LLMManager resolves it, in order: ARNs; model ids and profile
  // ids of the catalog (case ignored); names, aliases and legacy names ignoring case and
  // separators (two models at the same rank: Ambiguous); an id-shaped name the catalog does not
  // know (sent as given). Never throws for a name: failures are a status with candidates.
  [[nodiscard]] ModelResolution resolve(std::string_view name) const;
  // How a name is called in `region`; nullopt when it is not offered there. Throws
  // ConfigurationError, as an LLMManager would, when the name does not resolve.
  [[nodiscard]] std::optional<RegionAccess> model_access(std::string_view name,
                                                         std::string_view region) const;
  // The data in our llmm-catalog JSON schema (the cache and data/bedrock_catalog.json format),
  // keeping the models the filter admits and their profiles (callable in filter.region, if set).
  [[nodiscard]] std::string to_json(const ModelFilter& filter = {}) const;
  // What the data says it came from: "bundled", "discovery us-east-1,us-west-2", ... Empty when
  // not loaded.
  [[nodiscard]] std::string source_description() const;

 private:
  friend struct catalog::CatalogAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
