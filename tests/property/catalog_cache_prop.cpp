// Corrupt-cache fuzzing: whatever bytes sit in the catalog cache file, loading it never crashes
// or throws, never yields an entry unless the bytes are a valid cache, and says why it ignored
// them. Arbitrary byte strings, plus mutations (truncation, flipped bytes, spliced junk) of a
// valid file, which reach much deeper into the decoder.
#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/catalog_discovery.hpp"

#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <fstream>

namespace llmm::catalog {
namespace {

class PinnedClock final : public Clock {
 public:
  explicit PinnedClock(std::chrono::system_clock::time_point wall) : wall_(wall) {}
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override { return wall_; }

 private:
  std::chrono::system_clock::time_point wall_;
};

const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 25};

const std::string& valid_file() {
  static const std::string text = [] {
    CacheEntry entry;
    entry.document.catalog = bundled_catalog().catalog;
    entry.document.generated_at = "2026-11-25T00:00:00Z";
    entry.document.source = "discovery us-east-1";
    entry.regions = {"us-east-1"};
    entry.endpoints = {{"us-east-1", "https://bedrock.us-east-1.amazonaws.com"}};
    entry.written_at = kNow;
    return encode_cache_entry(entry);
  }();
  return text;
}

// Loads `bytes` as the cache file through the real file path; checks the invariants.
void check_load(const std::string& bytes) {
  static const test::ScopedTempDir directory;
  {
    std::ofstream out(directory.path() / kCacheFileName, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  const CatalogCache cache(CacheMode::File, directory.path(), std::chrono::hours(24),
                           std::make_shared<PinnedClock>(kNow));
  CacheLoad load;
  try {
    load = cache.load({"us-east-1"});
  } catch (...) {
    RC_FAIL("load threw");
  }
  const bool decodes = static_cast<bool>(decode_cache_entry(bytes));
  if (load.entry) {
    RC_ASSERT(decodes);  // trusted only when the bytes really are a cache entry
  } else {
    RC_ASSERT(!load.warnings.empty());  // ignored, never silently
  }
}

RC_GTEST_PROP(CatalogCacheProperty, ArbitraryBytesAreIgnoredWithAWarning, ()) {
  const auto bytes = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  check_load(bytes);
}

RC_GTEST_PROP(CatalogCacheProperty, MutatedValidFilesNeverCrashAndAreNeverSilentlyIgnored, ()) {
  std::string bytes = valid_file();
  const int mutations = *rc::gen::inRange(1, 6);
  for (int i = 0; i < mutations; ++i) {
    const int kind = *rc::gen::inRange(0, 3);
    if (bytes.empty()) break;
    const auto at = *rc::gen::inRange<std::size_t>(0, bytes.size());
    if (kind == 0) {
      bytes.resize(at);  // truncated
    } else if (kind == 1) {
      bytes[at] = *rc::gen::arbitrary<char>();  // a flipped byte
    } else {
      bytes.insert(at, *rc::gen::container<std::string>(rc::gen::arbitrary<char>()));  // junk
    }
  }
  check_load(bytes);
}

TEST(CatalogCacheProperty, TheUnmutatedFileIsAHit) {
  const test::ScopedTempDir directory;
  directory.write_file(std::string(kCacheFileName), valid_file());
  const CatalogCache cache(CacheMode::File, directory.path(), std::chrono::hours(24),
                           std::make_shared<PinnedClock>(kNow));
  EXPECT_TRUE(cache.load({"us-east-1"}).entry);
}

}  // namespace
}  // namespace llmm::catalog
