#pragma once
// The catalog cache: a memory entry (process-wide) or a file, never trusted blindly.
//
// File format (one JSON object; the catalog is catalog_to_json's document, unchanged):
//   {"format": "llmm-catalog-cache", "cache_version": 1,
//    "written_at": "<RFC 3339>", "written_at_unix": <seconds>,
//    "regions": ["us-east-1", ...],   // the regions discovery covered
//    "endpoints": {"us-east-1": "https://bedrock.us-east-1.amazonaws.com", ...},
//    "catalog": {"schema": "llmm-catalog", "version": 2, ...}}
// A file that is not exactly that (unreadable, truncated, not JSON, another format or version,
// a catalog catalog_from_json refuses), that is older than the TTL or written in the future, that
// does not cover the requested regions, or whose data came from another control-plane endpoint
// for one of them (an emulator's answers never stand in for the real service's) is ignored with a
// warning saying why.
//
// Location: <directory>/bedrock_catalog.json, the directory being the configured one or
// $XDG_CACHE_HOME/llmm or $HOME/.cache/llmm; when that cannot be written (or is unknown), the
// private fallback <temp>/llmm-cache-<uid> (created 0700, refused when not ours or a symlink).
// Reads try the primary file, then (only when the primary directory is not writable) the fallback.
//
// Writes are atomic: a uniquely named temporary file in the same directory (O_EXCL, 0600),
// written, fsync'ed, renamed over the cache file, then the directory fsync'ed. Concurrent
// writers each rename a whole file, so a reader sees one complete file or another, never a mix.
// Writing never throws: failures become warnings.

#include "catalog/catalog_json.hpp"

#include <llmm/clock.hpp>
#include <llmm/environment.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/result.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::catalog {

inline constexpr std::string_view kCacheFormatName = "llmm-catalog-cache";
inline constexpr int kCacheFormatVersion = 1;
inline constexpr std::string_view kCacheFileName = "bedrock_catalog.json";
// Files larger than this are not read (a cache of the full Bedrock catalog is well under 2 MiB).
inline constexpr std::uintmax_t kMaxCacheFileBytes = 64u * 1024 * 1024;
// A file stamped later than now plus this is refused (clock skew between machines is allowed).
inline constexpr std::chrono::minutes kFutureTolerance{5};

struct CacheEntry {
  CatalogDocument document;
  std::vector<std::string> regions;              // covered by the discovery that produced it
  std::map<std::string, std::string> endpoints;  // region -> control-plane endpoint it came from
  std::chrono::system_clock::time_point written_at;
};

std::string encode_cache_entry(const CacheEntry& entry);

// `newer` joined with what `earlier` knows of the regions `newer` does not cover
// (region_merge.hpp): regions and endpoints joined; written_at and generated_at the earlier
// ones, so the entry expires with its oldest part. `newer` unchanged when one of those regions
// was discovered through another endpoint than `our_endpoints` names (another configuration's
// data is replaced, never mixed in). The caller checks that `earlier` is still young.
CacheEntry with_earlier_entry(CacheEntry newer, const CacheEntry& earlier,
                              const std::map<std::string, std::string>& our_endpoints);
// An InvalidArgument error saying what is wrong for anything but a well-formed entry of this
// format and version. Never throws, whatever the bytes.
Result<CacheEntry> decode_cache_entry(std::string_view bytes);

// Why `entry` must not be used now (expired, from the future, regions not covered, a region
// discovered through another endpoint than `endpoints` names for it), or nullopt.
std::optional<std::string> unusable_reason(
    const CacheEntry& entry, std::chrono::system_clock::time_point now, std::chrono::seconds ttl,
    const std::vector<std::string>& regions,
    const std::map<std::string, std::string>& endpoints = {});

// $XDG_CACHE_HOME/llmm (an absolute value only, per the XDG spec), else $HOME/.cache/llmm;
// nullopt when neither is set.
std::optional<std::filesystem::path> default_cache_directory(const Environment& environment);
// <temp directory>/llmm-cache-<euid>.
std::filesystem::path fallback_cache_directory();

// Writes `bytes` to `path` atomically (see above). An error says which step failed.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

struct CacheLoad {
  std::optional<CacheEntry> entry;
  std::vector<std::string> warnings;
  std::optional<std::filesystem::path> path;  // the file the entry came from
  // Without `entry`: a young, well-formed entry that did not cover the request (other regions or
  // endpoints), which a discovery may join (with_earlier_entry) without reading it again.
  std::optional<CacheEntry> other_regions;
};

struct CacheStore {
  std::vector<std::string> warnings;
  std::optional<std::filesystem::path> path;  // where it was written, if anywhere
};

class CatalogCache {
 public:
  // `directory` nullopt: the default directory from `environment`.
  CatalogCache(CacheMode mode, std::optional<std::filesystem::path> directory,
               std::chrono::seconds ttl, std::shared_ptr<Clock> clock,
               const Environment& environment = Environment::process());

  // A usable entry covering `regions` (through `endpoints`, where given), or none with the
  // reasons. Never throws.
  [[nodiscard]] CacheLoad load(const std::vector<std::string>& regions,
                               const std::map<std::string, std::string>& endpoints = {}) const;
  // Never throws.
  [[nodiscard]] CacheStore store(const CacheEntry& entry) const;
  // Removes the entry (memory) or the files (primary and fallback). Never throws.
  void clear() const;

  [[nodiscard]] std::optional<std::filesystem::path> primary_file() const;
  [[nodiscard]] std::filesystem::path fallback_file() const;
  // Whether the primary directory (or its nearest existing ancestor) can be written.
  [[nodiscard]] bool primary_writable() const;
  [[nodiscard]] CacheMode mode() const noexcept { return mode_; }

 private:
  CacheMode mode_;
  std::optional<std::filesystem::path> directory_;
  std::chrono::seconds ttl_;
  std::shared_ptr<Clock> clock_;
};

}  // namespace llmm::catalog
