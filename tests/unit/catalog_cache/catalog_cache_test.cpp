// The catalog cache (files and memory) and the discovery merge, without sockets: corrupt,
// truncated, foreign-version, expired and future files are ignored with a warning; writes are
// atomic and fall back to the private temp directory; the default directory follows XDG.
#include "catalog/catalog_cache.hpp"
#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_discovery.hpp"
#include "catalog/region_merge.hpp"
#include "protocol/control_plane_json.hpp"

#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace llmm::catalog {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point wall) : wall_(wall) {}
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override { return wall_; }
  void advance(std::chrono::seconds by) { wall_ += by; }

 private:
  std::chrono::system_clock::time_point wall_;
};

const std::chrono::system_clock::time_point kT0 =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 25} + std::chrono::hours{12};

const std::vector<std::string> kRegions = {"us-east-1", "us-west-2"};

CacheEntry sample_entry(std::chrono::system_clock::time_point written = kT0) {
  CacheEntry entry;
  entry.document.catalog = bundled_catalog().catalog;
  entry.document.generated_at = format_rfc3339(written);
  entry.document.source = "discovery us-east-1,us-west-2";
  entry.regions = kRegions;
  entry.endpoints = {{"us-east-1", "https://bedrock.us-east-1.amazonaws.com"},
                     {"us-west-2", "https://bedrock.us-west-2.amazonaws.com"}};
  entry.written_at = written;
  return entry;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool mentions(const std::vector<std::string>& warnings, const std::string& needle) {
  for (const auto& warning : warnings) {
    if (warning.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string joined(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& warning : warnings) out += warning + "\n";
  return out;
}

// Points the temp directory (and so the fallback cache directory) into the test's own tree.
class CatalogCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("TMPDIR");
    old_tmpdir_ = old ? std::optional<std::string>(old) : std::nullopt;
    fs::create_directories(temp_.path() / "tmp");
    ::setenv("TMPDIR", (temp_.path() / "tmp").c_str(), 1);
    clock_ = std::make_shared<ManualClock>(kT0);
  }
  void TearDown() override {
    if (old_tmpdir_) {
      ::setenv("TMPDIR", old_tmpdir_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }

  CatalogCache file_cache(std::chrono::seconds ttl = 24h) const {
    return CatalogCache(CacheMode::File, temp_.path() / "cache", ttl, clock_);
  }
  fs::path cache_file() const { return temp_.path() / "cache" / kCacheFileName; }

  test::ScopedTempDir temp_;
  std::shared_ptr<ManualClock> clock_;
  std::optional<std::string> old_tmpdir_;
};

TEST(CatalogCacheFormat, AnEntryRoundTrips) {
  const CacheEntry entry = sample_entry();
  const std::string text = encode_cache_entry(entry);
  auto decoded = decode_cache_entry(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->regions, entry.regions);
  EXPECT_EQ(decoded->endpoints, entry.endpoints);
  EXPECT_EQ(decoded->written_at, entry.written_at);
  EXPECT_EQ(decoded->document.source, entry.document.source);
  EXPECT_EQ(decoded->document.generated_at, entry.document.generated_at);
  EXPECT_EQ(decoded->document.catalog.models.size(), bundled_catalog().catalog.models.size());
  EXPECT_EQ(decoded->document.catalog.profiles.size(), bundled_catalog().catalog.profiles.size());

  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["format"], "llmm-catalog-cache");
  EXPECT_EQ(json["cache_version"], kCacheFormatVersion);
  EXPECT_EQ(json["written_at"], "2026-11-25T12:00:00Z");
  EXPECT_EQ(json["catalog"]["schema"], "llmm-catalog");  // catalog_to_json's document, unchanged
}

TEST(CatalogCacheFormat, RefusesWhatIsNotAnEntryOfThisVersion) {
  const std::string good = encode_cache_entry(sample_entry());
  auto with = [&](const std::string& key, const nlohmann::json& value) {
    auto json = nlohmann::json::parse(good);
    json[key] = value;
    return json.dump();
  };
  auto without = [&](const std::string& key) {
    auto json = nlohmann::json::parse(good);
    json.erase(key);
    return json.dump();
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {std::string("\x00\x01\x02", 3), "not JSON"},
      {good.substr(0, good.size() / 2), "not JSON"},
      {good.substr(0, good.size() - 3), "not JSON"},
      {"[1,2,3]", "not a JSON object"},
      {with("format", "something-else"), "not an llmm catalog cache"},
      {with("cache_version", 2), "cache version 2"},
      {with("cache_version", "1"), "cache_version"},
      {without("written_at_unix"), "written_at_unix"},
      {with("written_at_unix", 1e300), "written_at_unix"},
      {with("written_at_unix", 9223372036854775807LL), "out of range"},
      {with("regions", "us-east-1"), "regions"},
      {with("regions", nlohmann::json::array({1})), "region"},
      {without("endpoints"), "endpoints"},
      {with("endpoints", nlohmann::json::object({{"us-east-1", 5}})), "endpoint of us-east-1"},
      {without("catalog"), "catalog"},
      {with("catalog", nlohmann::json::object({{"schema", "llmm-catalog"}, {"version", 99}})),
       "catalog:"},
  };
  for (const auto& [bytes, expected] : cases) {
    auto decoded = decode_cache_entry(bytes);
    ASSERT_FALSE(decoded) << "accepted: " << bytes.substr(0, 80);
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(decoded.error().message.find(expected), std::string::npos)
        << decoded.error().message << " (expected '" << expected << "')";
  }
}

TEST(CatalogCacheFormat, UsabilityFollowsAgeFutureAndRegions) {
  const CacheEntry entry = sample_entry(kT0);
  EXPECT_FALSE(unusable_reason(entry, kT0, 24h, kRegions));
  EXPECT_FALSE(unusable_reason(entry, kT0 + 24h, 24h, kRegions));  // exactly the TTL: still fresh
  auto expired = unusable_reason(entry, kT0 + 24h + 1s, 24h, kRegions);
  ASSERT_TRUE(expired);
  EXPECT_NE(expired->find("expired"), std::string::npos) << *expired;
  auto future = unusable_reason(entry, kT0 - 10min, 24h, kRegions);
  ASSERT_TRUE(future);
  EXPECT_NE(future->find("future"), std::string::npos);
  EXPECT_FALSE(unusable_reason(entry, kT0 - 4min, 24h, kRegions));  // within the skew tolerance
  EXPECT_FALSE(unusable_reason(entry, kT0, 24h, {"us-west-2"}));
  auto uncovered = unusable_reason(entry, kT0, 24h, {"us-east-1", "eu-west-1"});
  ASSERT_TRUE(uncovered);
  EXPECT_NE(uncovered->find("eu-west-1"), std::string::npos);
  // Data from another endpoint (an emulator, say) is not the real service's.
  EXPECT_FALSE(unusable_reason(entry, kT0, 24h, kRegions,
                               {{"us-east-1", "https://bedrock.us-east-1.amazonaws.com"}}));
  auto elsewhere =
      unusable_reason(entry, kT0, 24h, kRegions, {{"us-west-2", "http://127.0.0.1:4000"}});
  ASSERT_TRUE(elsewhere);
  EXPECT_NE(elsewhere->find("http://127.0.0.1:4000"), std::string::npos) << *elsewhere;
}

TEST(CatalogCacheDirectory, FollowsXdgThenHome) {
  EXPECT_EQ(default_cache_directory(
                Environment::from_map({{"XDG_CACHE_HOME", "/x/cache"}, {"HOME", "/home/u"}})),
            fs::path("/x/cache/llmm"));
  // A relative XDG_CACHE_HOME is invalid per the XDG spec and ignored.
  EXPECT_EQ(default_cache_directory(
                Environment::from_map({{"XDG_CACHE_HOME", "rel"}, {"HOME", "/home/u"}})),
            fs::path("/home/u/.cache/llmm"));
  EXPECT_EQ(
      default_cache_directory(Environment::from_map({{"XDG_CACHE_HOME", ""}, {"HOME", "/home/u"}})),
      fs::path("/home/u/.cache/llmm"));
  EXPECT_EQ(default_cache_directory(Environment::from_map({})), std::nullopt);
}

TEST_F(CatalogCacheTest, AMissThenAStoreThenAHit) {
  const CatalogCache cache = file_cache();
  CacheLoad miss = cache.load(kRegions);
  EXPECT_FALSE(miss.entry);
  EXPECT_TRUE(miss.warnings.empty()) << joined(miss.warnings);  // no file yet: nothing to say

  CacheStore stored = cache.store(sample_entry());
  EXPECT_TRUE(stored.warnings.empty()) << joined(stored.warnings);
  ASSERT_TRUE(stored.path);
  EXPECT_EQ(*stored.path, cache_file());
  EXPECT_TRUE(fs::exists(cache_file()));

  CacheLoad hit = cache.load(kRegions);
  ASSERT_TRUE(hit.entry) << joined(hit.warnings);
  EXPECT_EQ(hit.path, cache_file());
  EXPECT_EQ(hit.entry->document.catalog.models.size(), bundled_catalog().catalog.models.size());
  // Only the final file remains: the temporary one was renamed over it.
  int files = 0;
  for (const auto& item : fs::directory_iterator(temp_.path() / "cache")) {
    (void)item;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(CatalogCacheTest, AnExpiredFileIsIgnoredWithAWarning) {
  const CatalogCache cache = file_cache(24h);
  ASSERT_TRUE(cache.store(sample_entry()).path);
  clock_->advance(24h + 1s);
  CacheLoad load = cache.load(kRegions);
  EXPECT_FALSE(load.entry);
  EXPECT_TRUE(mentions(load.warnings, "expired")) << joined(load.warnings);
  EXPECT_TRUE(mentions(load.warnings, cache_file().string()));
}

TEST_F(CatalogCacheTest, ABadFileOfEveryKindIsIgnoredWithAWarning) {
  const std::string good = encode_cache_entry(sample_entry());
  auto foreign = nlohmann::json::parse(good);
  foreign["cache_version"] = 7;
  // What a build before prompt_caching wrote: catalog version 1, no such member. Read as this
  // version it would say "no caching" for every model until the TTL ran out; it is rediscovered.
  auto earlier = nlohmann::json::parse(good);
  earlier["catalog"]["version"] = 1;
  for (auto& model : earlier["catalog"]["models"]) model.erase("prompt_caching");
  const std::vector<std::pair<std::string, std::string>> files = {
      {"", "empty"},
      {good.substr(0, good.size() / 3), "not JSON"},                          // truncated
      {std::string(good).replace(100, 5, "\xff\xfe\x00\x01!"), "not JSON"},   // corrupt
      {foreign.dump(), "cache version 7"},                                    // foreign version
      {earlier.dump(), "\"version\" is 1, this build reads only version 2"},  // earlier build
      {R"({"models": [], "metadata": {}})", "not an llmm catalog cache"},     // another library's
  };
  const CatalogCache cache = file_cache();
  for (const auto& [bytes, expected] : files) {
    fs::create_directories(cache_file().parent_path());
    {
      std::ofstream out(cache_file(), std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    CacheLoad load = cache.load(kRegions);
    EXPECT_FALSE(load.entry) << expected;
    EXPECT_TRUE(mentions(load.warnings, expected)) << joined(load.warnings);
    EXPECT_TRUE(mentions(load.warnings, "ignoring the catalog cache file"));
  }
}

TEST_F(CatalogCacheTest, ADirectoryInPlaceOfTheFileIsIgnored) {
  fs::create_directories(cache_file());
  CacheLoad load = file_cache().load(kRegions);
  EXPECT_FALSE(load.entry);
  EXPECT_FALSE(load.warnings.empty());
}

TEST_F(CatalogCacheTest, AnUnwritableDirectoryFallsBackToThePrivateTempDirectory) {
  // A regular file where the cache directory's parent should be: nothing can be created there,
  // whoever runs the test (root included).
  const fs::path blocked = temp_.write_file("not-a-directory", "x") / "cache";
  const CatalogCache cache(CacheMode::File, blocked, 24h, clock_);
  CacheStore stored = cache.store(sample_entry());
  ASSERT_TRUE(stored.path) << joined(stored.warnings);
  EXPECT_EQ(*stored.path, fallback_cache_directory() / kCacheFileName);
  EXPECT_EQ(stored.path->parent_path().parent_path(), temp_.path() / "tmp");
  EXPECT_TRUE(mentions(stored.warnings, "cannot write the catalog cache file"))
      << joined(stored.warnings);

  struct stat info {};
  ASSERT_EQ(::stat(stored.path->parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  // The next load finds it there.
  CacheLoad load = cache.load(kRegions);
  ASSERT_TRUE(load.entry) << joined(load.warnings);
  EXPECT_EQ(load.path, *stored.path);
}

TEST_F(CatalogCacheTest, AFallbackDirectoryOthersCanWriteIsRefused) {
  const fs::path fallback = fallback_cache_directory();
  fs::create_directories(fallback);
  fs::permissions(fallback, fs::perms::all);  // 0777: someone else could plant a file
  {
    std::ofstream out(fallback / kCacheFileName);
    out << encode_cache_entry(sample_entry());
  }
  // Read only because the primary directory cannot be written (a regular file is in the way).
  const fs::path blocked = temp_.write_file("not-a-directory", "x") / "cache";
  const CatalogCache cache(CacheMode::File, blocked, 24h, clock_);
  CacheLoad load = cache.load(kRegions);
  EXPECT_FALSE(load.entry);
  EXPECT_TRUE(mentions(load.warnings, "writable by other users")) << joined(load.warnings);
}

TEST_F(CatalogCacheTest, AWritableDirectoryNeverReadsTheSharedFallback) {
  // Another process's entry in the temp fallback, valid for these regions.
  const CatalogCache blocked(CacheMode::File, temp_.write_file("not-a-directory", "x") / "cache",
                             24h, clock_);
  ASSERT_EQ(blocked.store(sample_entry()).path, fallback_cache_directory() / kCacheFileName);
  ASSERT_TRUE(blocked.load(kRegions).entry);

  // A directory of its own (not created yet, but creatable) is the only place this one looks.
  EXPECT_TRUE(file_cache().primary_writable());
  CacheLoad load = file_cache().load(kRegions);
  EXPECT_FALSE(load.entry);
  EXPECT_TRUE(load.warnings.empty()) << joined(load.warnings);
  EXPECT_FALSE(blocked.primary_writable());
}

TEST_F(CatalogCacheTest, AtomicWritesLeaveOneWholeFileUnderConcurrentWriters) {
  const fs::path target = temp_.path() / "atomic.json";
  const std::string a(200'000, 'a');
  const std::string b(300'000, 'b');
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      for (int n = 0; n < 20; ++n) {
        auto written = write_file_atomically(target, (i % 2 == 0) ? a : b);
        ASSERT_TRUE(written) << written.error().message;
      }
    });
  }
  // A reader meanwhile only ever sees one whole version.
  for (int n = 0; n < 200; ++n) {
    if (!fs::exists(target)) continue;
    const std::string seen = read_file(target);
    EXPECT_TRUE(seen == a || seen == b) << "saw " << seen.size() << " bytes";
  }
  for (auto& writer : writers) writer.join();
  const std::string final_text = read_file(target);
  EXPECT_TRUE(final_text == a || final_text == b);
  int files = 0;
  for (const auto& item : fs::directory_iterator(temp_.path())) {
    if (item.path().filename() != "tmp") ++files;
  }
  EXPECT_EQ(files, 1);  // no temporary file left behind
}

TEST_F(CatalogCacheTest, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  const fs::path target = temp_.path() / "dir-not-file";
  fs::create_directories(target / "child");  // rename over a non-empty directory fails
  auto written = write_file_atomically(target, "new");
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("rename"), std::string::npos) << written.error().message;
  int files = 0;
  for (const auto& item : fs::directory_iterator(temp_.path())) {
    if (item.path().filename() != "tmp") ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(CatalogCacheTest, ClearRemovesTheFile) {
  const CatalogCache cache = file_cache();
  ASSERT_TRUE(cache.store(sample_entry()).path);
  cache.clear();
  EXPECT_FALSE(fs::exists(cache_file()));
  EXPECT_FALSE(cache.load(kRegions).entry);
}

TEST_F(CatalogCacheTest, MemoryModeIsProcessWideAndChecksAgeAndRegions) {
  const CatalogCache first(CacheMode::Memory, std::nullopt, 1h, clock_);
  first.clear();
  EXPECT_FALSE(first.load(kRegions).entry);
  EXPECT_TRUE(first.store(sample_entry()).warnings.empty());
  const CatalogCache second(CacheMode::Memory, std::nullopt, 1h, clock_);
  EXPECT_TRUE(second.load(kRegions).entry);
  EXPECT_FALSE(fs::exists(temp_.path() / "cache"));  // nothing on disk
  EXPECT_FALSE(second.load({"eu-west-1"}).entry);
  clock_->advance(2h);
  CacheLoad expired = second.load(kRegions);
  EXPECT_FALSE(expired.entry);
  EXPECT_TRUE(mentions(expired.warnings, "expired"));
  second.clear();
}

TEST_F(CatalogCacheTest, NoneModeNeverReadsNorWrites) {
  const CatalogCache cache(CacheMode::None, temp_.path() / "cache", 24h, clock_);
  EXPECT_FALSE(cache.store(sample_entry()).path);
  EXPECT_FALSE(fs::exists(temp_.path() / "cache"));
  ASSERT_TRUE(file_cache().store(sample_entry()).path);
  EXPECT_FALSE(cache.load(kRegions).entry);
}

// ---- The discovery merge and the ListInferenceProfiles decoder (no I/O) ----

FoundationModelSummary summary(std::string id, std::vector<std::string> types,
                               std::vector<std::string> outputs = {"TEXT"}) {
  FoundationModelSummary model;
  model.model_id = std::move(id);
  model.model_name = "Name of " + model.model_id;
  model.provider_name = "Provider";
  model.input_modalities = {"TEXT"};
  model.output_modalities = std::move(outputs);
  model.response_streaming_supported = true;
  model.inference_types_supported = std::move(types);
  model.lifecycle_status = "ACTIVE";
  return model;
}

InferenceProfileSummary profile(std::string id, std::string model_id,
                                std::vector<std::string> routed) {
  InferenceProfileSummary out;
  out.inference_profile_id = std::move(id);
  out.inference_profile_name = "Profile " + out.inference_profile_id;
  for (const auto& region : routed) {
    out.model_arns.push_back("arn:aws:bedrock:" + region + "::foundation-model/" + model_id);
  }
  out.type = "SYSTEM_DEFINED";
  return out;
}

TEST(CatalogMerge, OnDemandProfileOnlyAndProfilesPerRegion) {
  std::vector<RegionListing> listings = {
      {"us-east-1",
       {summary("a.m1", {"ON_DEMAND", "INFERENCE_PROFILE"}), summary("a.m2", {"INFERENCE_PROFILE"}),
        summary("a.prov", {"PROVISIONED"}), summary("a.emb", {"ON_DEMAND"}, {"EMBEDDING"})},
       {profile("us.a.m1", "a.m1", {"us-east-1", "us-west-2"}),
        profile("us.a.m2", "a.m2", {"us-east-1", "us-west-2"})}},
      {"us-west-2",
       {summary("a.m1", {"INFERENCE_PROFILE"})},
       {profile("us.a.m1", "a.m1", {"us-east-1", "us-west-2"}),
        profile("us.a.m2", "a.m2", {"us-east-1", "us-west-2"})}},
  };
  std::vector<std::string> warnings;
  const Catalog merged = merge_region_listings(listings, nullptr, warnings);
  EXPECT_TRUE(warnings.empty()) << joined(warnings);

  const ModelInfo* m1 = merged.find_model("a.m1");
  ASSERT_NE(m1, nullptr);
  EXPECT_EQ(m1->on_demand_regions, std::vector<std::string>{"us-east-1"});
  EXPECT_EQ(m1->profile_only_regions, std::vector<std::string>{"us-west-2"});
  EXPECT_TRUE(m1->converse);
  const ModelInfo* m2 = merged.find_model("a.m2");
  ASSERT_NE(m2, nullptr);
  EXPECT_TRUE(m2->on_demand_regions.empty());
  // Listed in us-east-1; reached by its profile listed in us-west-2 although not listed there.
  EXPECT_EQ(m2->profile_only_regions, (std::vector<std::string>{"us-east-1", "us-west-2"}));
  EXPECT_EQ(merged.find_model("a.prov"), nullptr);  // provisioned only: not callable
  const ModelInfo* embedding = merged.find_model("a.emb");
  ASSERT_NE(embedding, nullptr);
  EXPECT_FALSE(embedding->converse);

  const InferenceProfileInfo* p1 = merged.find_profile("us.a.m1");
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->model_id, "a.m1");
  EXPECT_EQ(p1->name, "Profile us.a.m1");
  EXPECT_EQ(p1->regions, (std::vector<std::string>{"us-east-1", "us-west-2"}));
  EXPECT_EQ(merged.profiles.size(), 2u);
}

// The part of `full` a discovery of `regions` would see: region lists cut to them, and what is
// left with none dropped. Sorted, so two catalogs compare as sets.
Catalog restricted(const Catalog& full, const std::vector<std::string>& regions) {
  auto cut = [&](std::vector<std::string> values) {
    std::erase_if(values, [&](const std::string& region) {
      return std::find(regions.begin(), regions.end(), region) == regions.end();
    });
    std::sort(values.begin(), values.end());
    return values;
  };
  Catalog out;
  for (InferenceProfileInfo profile : full.profiles) {
    profile.regions = cut(profile.regions);
    if (!profile.regions.empty()) out.profiles.push_back(std::move(profile));
  }
  for (ModelInfo model : full.models) {
    model.on_demand_regions = cut(model.on_demand_regions);
    model.profile_only_regions = cut(model.profile_only_regions);
    const bool routed = std::any_of(out.profiles.begin(), out.profiles.end(),
                                    [&](const auto& p) { return p.model_id == model.model_id; });
    if (!model.on_demand_regions.empty() || !model.profile_only_regions.empty() || routed) {
      out.models.push_back(std::move(model));
    }
  }
  return out;
}

Catalog sorted(Catalog catalog) {
  for (auto& model : catalog.models) {
    std::sort(model.on_demand_regions.begin(), model.on_demand_regions.end());
    std::sort(model.profile_only_regions.begin(), model.profile_only_regions.end());
  }
  for (auto& profile : catalog.profiles) std::sort(profile.regions.begin(), profile.regions.end());
  std::sort(catalog.models.begin(), catalog.models.end(),
            [](const auto& a, const auto& b) { return a.model_id < b.model_id; });
  std::sort(catalog.profiles.begin(), catalog.profiles.end(),
            [](const auto& a, const auto& b) { return a.profile_id < b.profile_id; });
  return catalog;
}

TEST(CatalogRegionMerge, TwoDiscoveriesJoinedEqualOneOfBothRegionSets) {
  const Catalog& full = bundled_catalog().catalog;
  const std::vector<std::string> first = {"eu-west-1", "ap-northeast-1", "us-west-2"};
  const std::vector<std::string> second = {"us-east-1", "us-west-2", "ca-central-1"};
  const std::vector<std::string> only_first = {"eu-west-1", "ap-northeast-1"};
  const std::vector<std::string> both = {"eu-west-1", "ap-northeast-1", "us-west-2", "us-east-1",
                                         "ca-central-1"};

  const Catalog joined =
      with_earlier_regions(restricted(full, second), restricted(full, first), only_first);
  EXPECT_EQ(catalog_to_json(CatalogDocument{sorted(joined), "", ""}),
            catalog_to_json(CatalogDocument{sorted(restricted(full, both)), "", ""}));
  EXPECT_EQ(catalog_inconsistency(joined), std::nullopt);
  // Nothing kept: the newer catalog as it was.
  EXPECT_EQ(
      catalog_to_json(CatalogDocument{
          with_earlier_regions(restricted(full, second), restricted(full, first), {}), "", ""}),
      catalog_to_json(CatalogDocument{restricted(full, second), "", ""}));
}

TEST(CatalogRegionMerge, AJoinedEntryExpiresWithItsOldestPart) {
  CacheEntry earlier = sample_entry(kT0);  // us-east-1, us-west-2
  earlier.document.catalog = restricted(earlier.document.catalog, earlier.regions);
  CacheEntry newer;
  newer.regions = {"eu-west-1", "us-west-2"};
  newer.endpoints = {{"eu-west-1", "https://bedrock.eu-west-1.amazonaws.com"},
                     {"us-west-2", "https://bedrock.us-west-2.amazonaws.com"}};
  newer.document.catalog = restricted(bundled_catalog().catalog, newer.regions);
  newer.document.generated_at = format_rfc3339(kT0 + 3h);
  newer.written_at = kT0 + 3h;

  const CacheEntry joined = with_earlier_entry(newer, earlier, earlier.endpoints);
  EXPECT_EQ(joined.regions, (std::vector<std::string>{"eu-west-1", "us-west-2", "us-east-1"}));
  EXPECT_EQ(joined.endpoints.at("us-east-1"), "https://bedrock.us-east-1.amazonaws.com");
  EXPECT_EQ(joined.endpoints.size(), 3u);
  EXPECT_EQ(joined.written_at, kT0);
  EXPECT_EQ(joined.document.generated_at, format_rfc3339(kT0));
  EXPECT_EQ(joined.document.source, "discovery eu-west-1,us-west-2,us-east-1");
  EXPECT_EQ(unusable_reason(joined, kT0 + 23h, 24h, {"us-east-1", "eu-west-1"}), std::nullopt);
  EXPECT_NE(unusable_reason(joined, kT0 + 25h, 24h, {"eu-west-1"}), std::nullopt);

  // Data another endpoint configuration discovered is replaced, never joined.
  const CacheEntry unjoined =
      with_earlier_entry(newer, earlier, {{"us-east-1", "http://127.0.0.1:8080/"}});
  EXPECT_EQ(unjoined.regions, newer.regions);
  EXPECT_EQ(unjoined.written_at, newer.written_at);
}

TEST(CatalogMerge, CapabilitiesComeFromTheReferenceAndOddProfilesAreReported) {
  const Catalog& reference = bundled_catalog().catalog;
  // Nova Micro takes no documents and has provider request fields: neither is a default.
  const ModelInfo& known = *reference.find_model("amazon.nova-micro-v1:0");
  ASSERT_FALSE(known.documents);
  ASSERT_FALSE(known.request_fields.empty());
  std::vector<RegionListing> listings = {
      {"us-east-1",
       {summary(known.model_id, {"ON_DEMAND"})},
       {profile("us.unknown", "x.unknown", {"us-east-1"}), InferenceProfileSummary{"us.none"}}}};
  std::vector<std::string> warnings;
  const Catalog merged = merge_region_listings(listings, &reference, warnings);
  const ModelInfo* model = merged.find_model(known.model_id);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->request_fields, known.request_fields);
  EXPECT_EQ(model->tool_use, known.tool_use);
  EXPECT_EQ(model->documents, known.documents);
  EXPECT_TRUE(mentions(warnings, "us.none")) << joined(warnings);
  EXPECT_TRUE(mentions(warnings, "x.unknown")) << joined(warnings);
}

TEST(CatalogMerge, ModelIdFromArn) {
  EXPECT_EQ(model_id_from_arn("arn:aws:bedrock:us-east-1::foundation-model/a.b-v1:0"), "a.b-v1:0");
  EXPECT_EQ(model_id_from_arn("arn:aws:bedrock:::foundation-model/a.b"), "a.b");
  EXPECT_EQ(model_id_from_arn("arn:aws:bedrock:us-east-1:1:inference-profile/us.a"), "");
  EXPECT_EQ(model_id_from_arn("foundation-model/a"), "");
}

TEST(InferenceProfilesJson, DecodesAPageAndItsToken) {
  auto page = protocol::decode_inference_profiles(R"({"inferenceProfileSummaries":[
    {"inferenceProfileName":"US Anthropic Claude 3 Haiku","description":"d",
     "createdAt":"2024-08-27T20:48:39.514Z","updatedAt":"2024-08-27T20:48:39.514Z",
     "inferenceProfileArn":"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0",
     "models":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"},
               {"modelArn":"arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}],
     "inferenceProfileId":"us.anthropic.claude-3-haiku-20240307-v1:0","status":"ACTIVE","type":"SYSTEM_DEFINED"}],
    "nextToken":"tok/en+1=="})");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->next_token, "tok/en+1==");
  ASSERT_EQ(page->summaries.size(), 1u);
  const auto& summary = page->summaries[0];
  EXPECT_EQ(summary.inference_profile_id, "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(summary.inference_profile_name, "US Anthropic Claude 3 Haiku");
  EXPECT_EQ(summary.created_at, "2024-08-27T20:48:39.514Z");
  EXPECT_EQ(summary.model_arns.size(), 2u);
  EXPECT_EQ(summary.status, "ACTIVE");
  EXPECT_EQ(summary.type, "SYSTEM_DEFINED");

  auto last =
      protocol::decode_inference_profiles(R"({"inferenceProfileSummaries":[],"nextToken":null})");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->next_token.empty());
  EXPECT_FALSE(protocol::decode_inference_profiles("{}"));
  EXPECT_FALSE(protocol::decode_inference_profiles("nope"));
  EXPECT_FALSE(protocol::decode_inference_profiles(R"({"inferenceProfileSummaries":[{}]})"));
  EXPECT_FALSE(
      protocol::decode_inference_profiles(R"({"inferenceProfileSummaries":[],"nextToken":5})"));
}

}  // namespace
}  // namespace llmm::catalog
