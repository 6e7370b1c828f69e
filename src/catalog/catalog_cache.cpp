#include "catalog/catalog_cache.hpp"

#include "catalog/catalog_discovery.hpp"
#include "catalog/region_merge.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace llmm::catalog {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Error invalid(std::string what) { return Error{ErrorCode::InvalidArgument, std::move(what)}; }

Error os_error(const std::string& step, const fs::path& path, int error_number) {
  return Error{ErrorCode::Internal,
               step + " " + path.string() + ": " + std::strerror(error_number)};
}

std::string describe_age(std::chrono::seconds age) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(age).count();
  if (hours >= 1) return std::to_string(hours) + " h";
  return std::to_string(age.count()) + " s";
}

// The process-wide memory cache.
struct MemoryCache {
  std::mutex mutex;
  std::optional<CacheEntry> entry;
};

MemoryCache& memory_cache() {
  static MemoryCache cache;
  return cache;
}

// Creates `directory` (0700) or accepts it when it is a real directory (not a symlink) owned by
// this user and not writable by others: the fallback lives in a shared temp directory.
Result<void> ensure_private_directory(const fs::path& directory) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    return os_error("cannot create", directory, errno);
  }
  struct stat info {};
  if (::lstat(directory.c_str(), &info) != 0) return os_error("cannot inspect", directory, errno);
  if (!S_ISDIR(info.st_mode)) {
    return Error{ErrorCode::AccessDenied,
                 directory.string() + " is not a directory (or is a symlink)"};
  }
  if (info.st_uid != ::geteuid()) {
    return Error{ErrorCode::AccessDenied, directory.string() + " belongs to another user"};
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Error{ErrorCode::AccessDenied, directory.string() + " is writable by other users"};
  }
  return {};
}

Result<std::string> read_whole_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Error{ErrorCode::Internal, "cannot read " + path.string() + ": " + ec.message()};
  if (size > kMaxCacheFileBytes) {
    return invalid("the file is " + std::to_string(size) + " bytes, more than a cache can be");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::Internal, "cannot open " + path.string()};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error{ErrorCode::Internal, "cannot read " + path.string()};
  return text.str();
}

std::string ignored(const fs::path& path, const std::string& why) {
  return "ignoring the catalog cache file " + path.string() + ": " + why;
}

}  // namespace

std::string encode_cache_entry(const CacheEntry& entry) {
  const auto unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(entry.written_at.time_since_epoch()).count();
  json header = {{"format", kCacheFormatName},
                 {"cache_version", kCacheFormatVersion},
                 {"written_at", format_rfc3339(entry.written_at)},
                 {"written_at_unix", unix_seconds},
                 {"regions", entry.regions},
                 {"endpoints", entry.endpoints}};
  std::string text = header.dump();
  text.pop_back();  // the closing brace: the catalog document follows verbatim
  text += ",\"catalog\":";
  text += catalog_to_json(entry.document);
  text += "}\n";
  return text;
}

Result<CacheEntry> decode_cache_entry(std::string_view bytes) {
  try {
    if (bytes.empty()) return invalid("the file is empty");
    const json document = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return invalid("not JSON (truncated or corrupt)");
    if (!document.is_object()) return invalid("not a JSON object");
    const auto format = document.find("format");
    if (format == document.end() || !format->is_string() || *format != kCacheFormatName) {
      return invalid("not an llmm catalog cache (\"format\" is not \"" +
                     std::string(kCacheFormatName) + "\")");
    }
    const auto version = document.find("cache_version");
    if (version == document.end() || !version->is_number_integer()) {
      return invalid("no integer \"cache_version\"");
    }
    if (version->get<long long>() != kCacheFormatVersion) {
      return invalid("cache version " + std::to_string(version->get<long long>()) +
                     ", this library reads version " + std::to_string(kCacheFormatVersion));
    }
    const auto written = document.find("written_at_unix");
    if (written == document.end() || !written->is_number_integer()) {
      return invalid("no integer \"written_at_unix\"");
    }
    const auto regions = document.find("regions");
    if (regions == document.end() || !regions->is_array()) return invalid("no \"regions\" array");
    CacheEntry entry;
    for (const auto& region : *regions) {
      if (!region.is_string()) return invalid("a region is not a string");
      entry.regions.push_back(region.get<std::string>());
    }
    const auto endpoints = document.find("endpoints");
    if (endpoints == document.end() || !endpoints->is_object()) {
      return invalid("no \"endpoints\" object");
    }
    for (const auto& [region, url] : endpoints->items()) {
      if (!url.is_string()) return invalid("the endpoint of " + region + " is not a string");
      entry.endpoints.emplace(region, url.get<std::string>());
    }
    const long long seconds = written->get<long long>();
    constexpr long long kLimit = 1LL << 40;  // keeps the time_point arithmetic in range
    if (seconds < -kLimit || seconds > kLimit) return invalid("\"written_at_unix\" out of range");
    entry.written_at = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
    const auto catalog = document.find("catalog");
    if (catalog == document.end() || !catalog->is_object()) return invalid("no \"catalog\" object");
    auto parsed = catalog_from_json(catalog->dump());
    if (!parsed) return invalid("catalog: " + parsed.error().message);
    entry.document = std::move(*parsed);
    return entry;
  } catch (const std::exception& error) {
    return invalid(std::string("unreadable: ") + error.what());
  }
}

CacheEntry with_earlier_entry(CacheEntry newer, const CacheEntry& earlier,
                              const std::map<std::string, std::string>& our_endpoints) {
  std::vector<std::string> kept;
  for (const auto& region : earlier.regions) {
    if (std::find(newer.regions.begin(), newer.regions.end(), region) != newer.regions.end()) {
      continue;
    }
    const auto mine = our_endpoints.find(region);
    const auto theirs = earlier.endpoints.find(region);
    if (mine == our_endpoints.end() || theirs == earlier.endpoints.end() ||
        mine->second != theirs->second) {
      return newer;
    }
    kept.push_back(region);
  }
  if (kept.empty()) return newer;
  newer.document.catalog =
      with_earlier_regions(std::move(newer.document.catalog), earlier.document.catalog, kept);
  for (const auto& region : kept) {
    newer.regions.push_back(region);
    newer.endpoints.insert(*earlier.endpoints.find(region));  // present: checked above
  }
  newer.written_at = std::min(newer.written_at, earlier.written_at);
  // RFC 3339 in UTC ("...Z") compares as text.
  const std::string& earlier_generated = earlier.document.generated_at;
  if (!earlier_generated.empty() &&
      (newer.document.generated_at.empty() || earlier_generated < newer.document.generated_at)) {
    newer.document.generated_at = earlier_generated;
  }
  std::string source = "discovery ";
  for (std::size_t i = 0; i < newer.regions.size(); ++i)
    source += (i ? "," : "") + newer.regions[i];
  newer.document.source = std::move(source);
  return newer;
}

std::optional<std::string> unusable_reason(const CacheEntry& entry,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::seconds ttl,
                                           const std::vector<std::string>& regions,
                                           const std::map<std::string, std::string>& endpoints) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  if (entry.written_at > now + kFutureTolerance) {
    return "written in the future (" + format_rfc3339(entry.written_at) + ")";
  }
  const auto age = duration_cast<seconds>(now - entry.written_at);
  if (age > ttl) {
    return "expired (written " + describe_age(age) + " ago, time to live " + describe_age(ttl) +
           ")";
  }
  for (const std::string& region : regions) {
    if (std::find(entry.regions.begin(), entry.regions.end(), region) == entry.regions.end()) {
      return "does not cover region " + region;
    }
    const auto wanted = endpoints.find(region);
    if (wanted == endpoints.end()) continue;
    const auto stored = entry.endpoints.find(region);
    if (stored == entry.endpoints.end() || stored->second != wanted->second) {
      return "region " + region + " was discovered through " +
             (stored == entry.endpoints.end() ? std::string("an unknown endpoint")
                                              : stored->second) +
             ", not " + wanted->second;
    }
  }
  return std::nullopt;
}

std::optional<fs::path> default_cache_directory(const Environment& environment) {
  if (auto xdg = environment.get_non_empty("XDG_CACHE_HOME")) {
    const fs::path base(*xdg);
    if (base.is_absolute()) return base / "llmm";
  }
  if (auto home = environment.get_non_empty("HOME")) return fs::path(*home) / ".cache" / "llmm";
  return std::nullopt;
}

fs::path fallback_cache_directory() {
  std::error_code ec;
  fs::path temp = fs::temp_directory_path(ec);
  if (ec) temp = "/tmp";
  return temp / ("llmm-cache-" + std::to_string(::geteuid()));
}

Result<void> write_file_atomically(const fs::path& path, std::string_view bytes) {
  static std::atomic<unsigned> counter{0};
  const fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  const fs::path temp =
      directory / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                   std::to_string(counter.fetch_add(1)) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return os_error("cannot create", temp, errno);
  auto fail = [&](const std::string& step, int error_number) -> Result<void> {
    ::close(fd);
    ::unlink(temp.c_str());
    return os_error(step, temp, error_number);
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write", errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot fsync", errno);
  if (::close(fd) != 0) {
    const int error_number = errno;
    ::unlink(temp.c_str());
    return os_error("cannot close", temp, error_number);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temp.c_str());
    return os_error("cannot rename into", path, error_number);
  }
  // The rename itself is durable once the directory is synced; failing that is not an error.
  if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

CatalogCache::CatalogCache(CacheMode mode, std::optional<fs::path> directory,
                           std::chrono::seconds ttl, std::shared_ptr<Clock> clock,
                           const Environment& environment)
    : mode_(mode),
      directory_(directory ? std::move(directory) : default_cache_directory(environment)),
      ttl_(ttl),
      clock_(clock ? std::move(clock) : Clock::system()) {}

std::optional<fs::path> CatalogCache::primary_file() const {
  if (!directory_) return std::nullopt;
  return *directory_ / kCacheFileName;
}

fs::path CatalogCache::fallback_file() const { return fallback_cache_directory() / kCacheFileName; }

bool CatalogCache::primary_writable() const {
  if (!directory_) return false;
  // The directory, or the nearest ancestor that exists (store() creates the rest), must be a
  // directory this process can write.
  std::error_code ec;
  fs::path existing = *directory_;
  while (!fs::exists(existing, ec) && existing.has_relative_path() && existing.has_parent_path()) {
    existing = existing.parent_path();
  }
  return fs::is_directory(existing, ec) && ::access(existing.c_str(), W_OK | X_OK) == 0;
}

CacheLoad CatalogCache::load(const std::vector<std::string>& regions,
                             const std::map<std::string, std::string>& endpoints) const {
  CacheLoad load;
  try {
    const auto now = clock_->wall_now();
    if (mode_ == CacheMode::None) return load;
    if (mode_ == CacheMode::Memory) {
      auto& memory = memory_cache();
      std::lock_guard lock(memory.mutex);
      if (!memory.entry) return load;
      if (auto why = unusable_reason(*memory.entry, now, ttl_, regions, endpoints)) {
        load.warnings.push_back("ignoring the in-memory catalog cache: " + *why);
        if (!unusable_reason(*memory.entry, now, ttl_, {})) load.other_regions = memory.entry;
        return load;
      }
      load.entry = memory.entry;
      return load;
    }

    std::vector<std::pair<fs::path, bool>> candidates;  // path, is the shared-temp fallback
    if (auto primary = primary_file()) candidates.emplace_back(*primary, false);
    // The shared temp fallback only where store() would write it: a usable primary directory
    // stays isolated from other processes' fallback files.
    if (!primary_writable()) candidates.emplace_back(fallback_file(), true);
    for (const auto& [path, is_fallback] : candidates) {
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;  // no cache yet: not worth a warning
      if (is_fallback) {
        if (auto ours = ensure_private_directory(path.parent_path()); !ours) {
          load.warnings.push_back(ignored(path, ours.error().message));
          continue;
        }
      }
      auto bytes = read_whole_file(path);
      if (!bytes) {
        load.warnings.push_back(ignored(path, bytes.error().message));
        continue;
      }
      auto entry = decode_cache_entry(*bytes);
      if (!entry) {
        load.warnings.push_back(ignored(path, entry.error().message));
        continue;
      }
      if (auto why = unusable_reason(*entry, now, ttl_, regions, endpoints)) {
        load.warnings.push_back(ignored(path, *why));
        if (!load.other_regions && !unusable_reason(*entry, now, ttl_, {})) {
          load.other_regions = std::move(*entry);
        }
        continue;
      }
      load.entry = std::move(*entry);
      load.path = path;
      return load;
    }
  } catch (const std::exception& error) {
    load.entry.reset();
    load.warnings.push_back(std::string("ignoring the catalog cache: ") + error.what());
  }
  return load;
}

CacheStore CatalogCache::store(const CacheEntry& entry) const {
  CacheStore store;
  try {
    if (mode_ == CacheMode::None) return store;
    if (mode_ == CacheMode::Memory) {
      auto& memory = memory_cache();
      std::lock_guard lock(memory.mutex);
      memory.entry = entry;
      return store;
    }
    const std::string bytes = encode_cache_entry(entry);
    if (auto primary = primary_file()) {
      std::error_code ec;
      fs::create_directories(primary->parent_path(), ec);
      Result<void> written =
          ec ? Result<void>(
                   Error{ErrorCode::Internal,
                         "cannot create " + primary->parent_path().string() + ": " + ec.message()})
             : write_file_atomically(*primary, bytes);
      if (written) {
        store.path = *primary;
        return store;
      }
      store.warnings.push_back("cannot write the catalog cache file " + primary->string() + " (" +
                               written.error().message + "); using " + fallback_file().string() +
                               " instead");
    } else {
      store.warnings.push_back(
          "no cache directory (neither XDG_CACHE_HOME nor HOME is set); using " +
          fallback_file().string());
    }
    const fs::path fallback = fallback_file();
    Result<void> written = ensure_private_directory(fallback.parent_path());
    if (written) written = write_file_atomically(fallback, bytes);
    if (written) {
      store.path = fallback;
      return store;
    }
    store.warnings.push_back("cannot write the catalog cache anywhere (" + written.error().message +
                             "); the catalog is kept in memory only");
  } catch (const std::exception& error) {
    store.warnings.push_back(std::string("cannot write the catalog cache: ") + error.what());
  }
  return store;
}

void CatalogCache::clear() const {
  try {
    if (mode_ == CacheMode::Memory) {
      auto& memory = memory_cache();
      std::lock_guard lock(memory.mutex);
      memory.entry.reset();
      return;
    }
    if (mode_ != CacheMode::File) return;
    std::error_code ec;
    if (auto primary = primary_file()) fs::remove(*primary, ec);
    const fs::path fallback = fallback_file();
    if (fs::exists(fallback, ec) && ensure_private_directory(fallback.parent_path())) {
      fs::remove(fallback, ec);
    }
  } catch (const std::exception&) {
    // Clearing is best effort.
  }
}

}  // namespace llmm::catalog
