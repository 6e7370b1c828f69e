// BedrockModelCatalog and live discovery against the real emulator (reference scenarios 13-14
// with our semantics): a cache hit makes no call, a miss fetches and writes, failure falls back,
// expired or foreign caches are ignored, pagination is followed, throttling is retried,
// AccessDenied is not, one region failing is non-fatal, all failing falls back or throws, and
// the ClientConfig's read timeout bounds discovery.
#include <llmm/auth_manager.hpp>
#include <llmm/control_plane_client.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/model_catalog.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/catalog_discovery.hpp"
#include "catalog/model_catalog_access.hpp"

#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/scoped_temp_dir.hpp"
#include "support/simulated_clock.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

namespace llmm {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using catalog::Catalog;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

// Wall time that a test can move (for cache ages); monotonic time real.
class MovableWallClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now() + offset_;
  }
  void advance(std::chrono::seconds by) { offset_ += by; }

 private:
  std::chrono::seconds offset_{0};
};

bool mentions(const std::vector<std::string>& warnings, const std::string& needle) {
  return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& warning) {
    return warning.find(needle) != std::string::npos;
  });
}

std::string joined(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& warning : warnings) out += warning + "\n";
  return out;
}

// The catalog a correct discovery of `regions` must produce from `source`, as comparable text:
// per model its on-demand and profile-only regions among `regions`, per profile its model and
// regions among `regions`.
std::set<std::string> restricted(const Catalog& source, const std::vector<std::string>& regions) {
  auto within = [&](const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& region : regions) {
      if (std::find(values.begin(), values.end(), region) != values.end()) out.push_back(region);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto text = [](const std::vector<std::string>& values) {
    std::string out;
    for (const auto& value : values) out += value + ",";
    return out;
  };
  std::set<std::string> facts;
  for (const auto& model : source.models) {
    auto on_demand = within(model.on_demand_regions);
    auto profile_only = within(model.profile_only_regions);
    if (on_demand.empty() && profile_only.empty()) continue;
    facts.insert("model " + model.model_id + " on-demand " + text(on_demand) + " profile-only " +
                 text(profile_only));
  }
  for (const auto& profile : source.profiles) {
    auto listed = within(profile.regions);
    if (listed.empty()) continue;
    facts.insert("profile " + profile.profile_id + " -> " + profile.model_id + " in " +
                 text(listed));
  }
  return facts;
}

class CatalogDiscoveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "7"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override {
    emulator_->admin_reset();
    const char* old = std::getenv("TMPDIR");
    old_tmpdir_ = old ? std::optional<std::string>(old) : std::nullopt;
    fs::create_directories(temp_.path() / "tmp");
    ::setenv("TMPDIR", (temp_.path() / "tmp").c_str(), 1);  // the fallback cache directory
  }
  void TearDown() override {
    if (old_tmpdir_) {
      ::setenv("TMPDIR", old_tmpdir_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }

  static void scenario(const std::string& rules) {
    const auto reply = emulator_->admin_put_scenario(R"({"rules":)" + rules + "}");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static AuthConfig auth() { return emulator_->auth_config(); }

  // Retry waits of zero (jitter pinned at 0), so retried throttling costs no time.
  static std::unique_ptr<AuthManager> manager(int retries = 3,
                                              std::chrono::milliseconds read_timeout = 10s,
                                              std::shared_ptr<Clock> clock = Clock::system()) {
    return std::make_unique<AuthManager>(
        auth(), ClientConfig({.read_timeout = read_timeout, .retries_max_attempts = retries}),
        Seams{std::move(clock), std::make_shared<test::FixedRandom>(0.0)});
  }

  CatalogConfig config(std::vector<std::string> regions = {"us-east-1", "us-west-2"}) const {
    CatalogConfig out;
    out.cache_mode = CacheMode::File;
    out.cache_directory = temp_.path() / "cache";
    out.regions = std::move(regions);
    return out;
  }

  fs::path cache_file() const { return temp_.path() / "cache" / catalog::kCacheFileName; }

  // The control-plane requests the emulator saw: operation -> region -> count.
  static std::map<std::string, std::map<std::string, int>> seen() {
    std::map<std::string, std::map<std::string, int>> counts;
    const auto log = nlohmann::json::parse(emulator_->admin_requests());
    for (const auto& entry : log["requests"]) {
      counts[entry["operation"].get<std::string>()][entry["region"].get<std::string>()]++;
    }
    return counts;
  }
  static int total_seen() {
    return static_cast<int>(nlohmann::json::parse(emulator_->admin_requests())["requests"].size());
  }

  static const Catalog& data(const BedrockModelCatalog& catalog) {
    auto document = catalog::loaded_document(catalog);
    EXPECT_NE(document, nullptr);
    return document->catalog;
  }

  // The emulator serves the bundled data by default; discovery must reproduce it exactly.
  static void expect_matches_emulator_table(const Catalog& discovered,
                                            const std::vector<std::string>& regions) {
    const auto got = restricted(discovered, regions);
    const auto bundled = restricted(catalog::bundled_catalog().catalog, regions);
    EXPECT_EQ(got, bundled)
        << "the discovered catalog is not the bundled data restricted to the regions";
    EXPECT_FALSE(got.empty());
  }

  static test::EmulatorProcess* emulator_;
  test::ScopedTempDir temp_;
  std::optional<std::string> old_tmpdir_;
};

test::EmulatorProcess* CatalogDiscoveryTest::emulator_ = nullptr;

// ---- ControlPlaneClient::list_inference_profiles ----

TEST_F(CatalogDiscoveryTest, ListInferenceProfilesFollowsEveryPage) {
  auto auth_manager = manager();
  auto client = auth_manager->control_client("us-east-1");
  auto all = client->list_inference_profiles({.type_equals = "SYSTEM_DEFINED"});
  ASSERT_TRUE(all) << all.error().describe();
  ASSERT_GE(all->size(), 3u);
  EXPECT_EQ(seen()["ListInferenceProfiles"]["us-east-1"], 1);  // one page of up to 1000

  emulator_->admin_reset();
  auto paged = client->list_inference_profiles({.max_results = 2});
  ASSERT_TRUE(paged) << paged.error().describe();
  ASSERT_EQ(paged->size(), all->size());
  for (std::size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*paged)[i].inference_profile_id, (*all)[i].inference_profile_id);
  }
  EXPECT_EQ(seen()["ListInferenceProfiles"]["us-east-1"],
            static_cast<int>((all->size() + 1) / 2));  // ceil(n / 2) pages, each followed

  const auto& first = all->front();
  EXPECT_FALSE(first.inference_profile_name.empty());
  EXPECT_TRUE(first.inference_profile_arn.starts_with("arn:aws:bedrock:us-east-1:"));
  EXPECT_FALSE(first.model_arns.empty());
  EXPECT_EQ(first.type, "SYSTEM_DEFINED");
  EXPECT_EQ(first.status, "ACTIVE");

  auto application = client->list_inference_profiles({.type_equals = "APPLICATION"});
  ASSERT_TRUE(application);
  EXPECT_TRUE(application->empty());
  auto invalid = client->list_inference_profiles({.max_results = 0});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::InvalidArgument);
}

TEST_F(CatalogDiscoveryTest, AFailedPageFailsTheListingAfterItsRetries) {
  // The second page is throttled every time: 1 + 3 retries, then the listing fails.
  scenario(R"([{"match":{"operation":"ListInferenceProfiles","calls":[2,3,4,5,6]},
                "action":{"type":"error","exception":"ThrottlingException","message":"slow"}}])");
  auto auth_manager = manager(3);
  auto paged =
      auth_manager->control_client("us-east-1")->list_inference_profiles({.max_results = 1});
  ASSERT_FALSE(paged);
  EXPECT_EQ(paged.error().code, ErrorCode::Throttled);
  EXPECT_EQ(seen()["ListInferenceProfiles"]["us-east-1"], 5);
}

// ---- Discovery ----

TEST_F(CatalogDiscoveryTest, DiscoveryMergesRegionsAndFollowsPagination) {
  auto auth_manager = manager();
  const std::vector<std::string> regions = {"us-east-1", "us-west-2", "eu-west-1",
                                            "ap-northeast-1"};
  catalog::DiscoveryOptions options;
  options.page_size = 1;  // every profile on its own page
  options.reference = &catalog::bundled_catalog().catalog;
  const auto result = catalog::discover_catalog(*auth_manager, regions, options);
  ASSERT_TRUE(result.ok()) << result.error->describe();
  EXPECT_EQ(result.regions, regions);
  EXPECT_TRUE(result.region_errors.empty());
  EXPECT_TRUE(result.warnings.empty()) << joined(result.warnings);
  expect_matches_emulator_table(result.catalog, regions);

  const auto counts = seen();
  for (const auto& region : regions) {
    EXPECT_EQ(counts.at("ListFoundationModels").at(region), 1) << region;
    // One page per profile listed there, plus none after the last (no token on it).
    int listed = 0;
    for (const auto& profile : result.catalog.profiles) {
      listed +=
          static_cast<int>(std::count(profile.regions.begin(), profile.regions.end(), region));
    }
    EXPECT_EQ(counts.at("ListInferenceProfiles").at(region), std::max(listed, 1)) << region;
  }
  const auto* haiku = result.catalog.find_model(kHaiku);
  ASSERT_NE(haiku, nullptr);
  EXPECT_EQ(haiku->provider_name, "Anthropic");
  EXPECT_TRUE(haiku->streaming);
  EXPECT_FALSE(haiku->request_fields.empty());  // from the reference table
  // Prompt caching, which ListFoundationModels does not report, comes from the reference too:
  // Claude 3 Haiku takes no cache point, Claude 3.5 Haiku all three parts, Nova Lite two.
  EXPECT_TRUE(haiku->prompt_caching.empty());
  const auto* haiku35 = result.catalog.find_model("anthropic.claude-3-5-haiku-20241022-v1:0");
  ASSERT_NE(haiku35, nullptr);
  EXPECT_EQ(haiku35->prompt_caching, (std::vector<std::string>{"tools", "system", "messages"}));
  const auto* nova_lite = result.catalog.find_model("amazon.nova-lite-v1:0");
  ASSERT_NE(nova_lite, nullptr);
  EXPECT_EQ(nova_lite->prompt_caching, (std::vector<std::string>{"system", "messages"}));
}

TEST_F(CatalogDiscoveryTest, ThrottlingIsRetriedAndAccessDeniedIsNot) {
  scenario(R"([{"match":{"region":"us-east-1","operation":"ListInferenceProfiles","calls":[1,2]},
                "action":{"type":"error","exception":"ThrottlingException","message":"slow down"}},
               {"match":{"region":"us-west-2","operation":"ListFoundationModels"},
                "action":{"type":"error","exception":"AccessDeniedException",
                          "message":"not authorized"}}])");
  auto auth_manager = manager(3);
  const auto result = catalog::discover_catalog(*auth_manager, {"us-east-1", "us-west-2"});
  ASSERT_TRUE(result.ok());  // one region failing is not fatal
  EXPECT_EQ(result.regions, std::vector<std::string>{"us-east-1"});
  ASSERT_EQ(result.region_errors.size(), 1u);
  EXPECT_EQ(result.region_errors[0].region, "us-west-2");
  EXPECT_EQ(result.region_errors[0].operation, "ListFoundationModels");
  EXPECT_EQ(result.region_errors[0].error.code, ErrorCode::AccessDenied);
  EXPECT_EQ(result.region_errors[0].error.attempt, 1);

  const auto counts = seen();
  EXPECT_EQ(counts.at("ListInferenceProfiles").at("us-east-1"), 3);  // 2 throttled + 1 answered
  EXPECT_EQ(counts.at("ListFoundationModels").at("us-west-2"), 1);   // AccessDenied: once
  EXPECT_NE(result.catalog.find_model(kHaiku), nullptr);
}

TEST_F(CatalogDiscoveryTest, EveryRegionFailingIsAnError) {
  scenario(R"([{"match":{"operation":"ListFoundationModels"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"no"}}])");
  auto auth_manager = manager();
  const auto result =
      catalog::discover_catalog(*auth_manager, {"us-east-1", "eu-west-1", "bad region"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.region_errors.size(), 3u);
  EXPECT_NE(result.error->message.find("all 3 regions"), std::string::npos)
      << result.error->message;
}

// ---- BedrockModelCatalog: scenarios 13-14 ----

TEST_F(CatalogDiscoveryTest, AMissDiscoversAndWritesThenAHitMakesNoCall) {
  auto auth_manager = manager();
  {
    BedrockModelCatalog catalog(*auth_manager, config());
    EXPECT_FALSE(catalog.is_loaded());
    catalog.ensure_available();
    EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
    EXPECT_TRUE(catalog.region_errors().empty());
    EXPECT_EQ(catalog.regions(), (std::vector<std::string>{"us-east-1", "us-west-2"}));
    EXPECT_EQ(catalog.cache_file_path(), cache_file());
    EXPECT_GT(catalog.model_count(), 0u);
    EXPECT_FALSE(catalog.generated_at().empty());
    expect_matches_emulator_table(data(catalog), {"us-east-1", "us-west-2"});
    ASSERT_TRUE(fs::exists(cache_file()));
    const auto file = nlohmann::json::parse(std::ifstream(cache_file()));
    EXPECT_EQ(file["format"], "llmm-catalog-cache");
    EXPECT_EQ(file["cache_version"], catalog::kCacheFormatVersion);
    EXPECT_EQ(file["catalog"]["schema"], "llmm-catalog");
    EXPECT_EQ(total_seen(), 4);  // 2 regions x (ListFoundationModels + ListInferenceProfiles)
    const auto before = catalog.model_count();
    catalog.ensure_available();  // loaded: nothing more
    EXPECT_EQ(total_seen(), 4);
    EXPECT_EQ(catalog.model_count(), before);
  }
  emulator_->admin_reset();
  BedrockModelCatalog again(*auth_manager, config());
  again.ensure_available();
  EXPECT_EQ(again.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 0);  // a cache hit makes no call
  EXPECT_TRUE(again.warnings().empty()) << joined(again.warnings());
  expect_matches_emulator_table(data(again), {"us-east-1", "us-west-2"});

  // A subset of the cached regions is a hit too; a region it does not cover is a miss.
  BedrockModelCatalog subset(*auth_manager, config({"us-west-2"}));
  subset.ensure_available();
  EXPECT_EQ(subset.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 0);
  BedrockModelCatalog wider(*auth_manager, config({"us-east-1", "eu-west-1"}));
  wider.ensure_available();
  EXPECT_EQ(wider.source(), CatalogSource::Discovery);
  EXPECT_TRUE(mentions(wider.warnings(), "does not cover region eu-west-1"))
      << joined(wider.warnings());
}

TEST_F(CatalogDiscoveryTest, ForceRefreshSkipsTheCacheAndRewritesIt) {
  auto auth_manager = manager();
  BedrockModelCatalog(*auth_manager, config()).ensure_available();
  emulator_->admin_reset();
  CatalogConfig forced = config();
  forced.force_refresh = true;
  BedrockModelCatalog catalog(*auth_manager, forced);
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
  EXPECT_EQ(total_seen(), 4);
  catalog.refresh();
  EXPECT_EQ(total_seen(), 8);
  catalog.clear_cache();
  EXPECT_FALSE(catalog.is_loaded());
  EXPECT_FALSE(fs::exists(cache_file()));
}

TEST_F(CatalogDiscoveryTest, AnExpiredCacheIsIgnored) {
  auto auth_manager = manager();
  auto clock = std::make_shared<MovableWallClock>();
  BedrockModelCatalog(*auth_manager, config(), clock).ensure_available();
  clock->advance(std::chrono::hours(24) + 1min);
  emulator_->admin_reset();
  BedrockModelCatalog catalog(*auth_manager, config(), clock);
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
  EXPECT_EQ(total_seen(), 4);
  EXPECT_TRUE(mentions(catalog.warnings(), "expired")) << joined(catalog.warnings());

  // The rewritten file is fresh again; a shorter TTL makes it stale at once.
  emulator_->admin_reset();
  BedrockModelCatalog(*auth_manager, config(), clock).ensure_available();
  EXPECT_EQ(total_seen(), 0);
  clock->advance(2h);
  CatalogConfig short_ttl = config();
  short_ttl.ttl = 1h;
  BedrockModelCatalog stale(*auth_manager, short_ttl, clock);
  stale.ensure_available();
  EXPECT_EQ(stale.source(), CatalogSource::Discovery);
}

TEST_F(CatalogDiscoveryTest, AForeignVersionOrCorruptCacheIsIgnored) {
  auto auth_manager = manager();
  BedrockModelCatalog(*auth_manager, config()).ensure_available();
  auto file = nlohmann::json::parse(std::ifstream(cache_file()));
  file["cache_version"] = catalog::kCacheFormatVersion + 1;
  std::ofstream(cache_file(), std::ios::trunc) << file.dump();
  emulator_->admin_reset();
  BedrockModelCatalog foreign(*auth_manager, config());
  foreign.ensure_available();
  EXPECT_EQ(foreign.source(), CatalogSource::Discovery);
  EXPECT_EQ(total_seen(), 4);
  EXPECT_TRUE(mentions(foreign.warnings(), "cache version")) << joined(foreign.warnings());

  std::ofstream(cache_file(), std::ios::trunc) << "{\"format\":\"llmm-catalog-cache\",\"cache_v";
  BedrockModelCatalog truncated(*auth_manager, config());
  truncated.ensure_available();
  EXPECT_EQ(truncated.source(), CatalogSource::Discovery);
  EXPECT_TRUE(mentions(truncated.warnings(), "not JSON")) << joined(truncated.warnings());
  // ... and replaced by a good one.
  EXPECT_TRUE(catalog::decode_cache_entry([&] {
    std::ifstream in(cache_file());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }()));
}

TEST_F(CatalogDiscoveryTest, ACacheFromAnotherEndpointIsIgnored) {
  auto auth_manager = manager();
  BedrockModelCatalog(*auth_manager, config()).ensure_available();
  emulator_->admin_reset();
  // The same emulator under another name: the cache records the endpoint, not the server.
  AuthConfig other = auth();
  other.control_endpoint = "http://localhost:" + std::to_string(emulator_->port());
  AuthManager elsewhere(other, ClientConfig{},
                        Seams{Clock::system(), std::make_shared<test::FixedRandom>(0.0)});
  BedrockModelCatalog catalog(elsewhere, config());
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
  EXPECT_EQ(total_seen(), 4);
  EXPECT_TRUE(mentions(catalog.warnings(), "was discovered through " + emulator_->base_url()))
      << joined(catalog.warnings());
}

TEST_F(CatalogDiscoveryTest, OneRegionFailingIsReportedAndTheRestUsed) {
  scenario(R"([{"match":{"region":"us-west-2","operation":"ListInferenceProfiles"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"denied"}}])");
  auto auth_manager = manager();
  BedrockModelCatalog catalog(*auth_manager, config());
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
  EXPECT_EQ(catalog.regions(), std::vector<std::string>{"us-east-1"});
  const auto errors = catalog.region_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].region, "us-west-2");
  EXPECT_EQ(errors[0].operation, "ListInferenceProfiles");
  EXPECT_EQ(errors[0].error.code, ErrorCode::AccessDenied);
  EXPECT_TRUE(mentions(catalog.warnings(), "us-west-2")) << joined(catalog.warnings());
  EXPECT_EQ(seen()["ListInferenceProfiles"]["us-west-2"], 1);  // not retried
  // The cache records what was covered: the failed region is discovered again next time.
  emulator_->admin_reset();
  scenario("[]");
  BedrockModelCatalog next(*auth_manager, config());
  next.ensure_available();
  EXPECT_EQ(next.source(), CatalogSource::Discovery);
  EXPECT_EQ(next.regions(), (std::vector<std::string>{"us-east-1", "us-west-2"}));
}

TEST_F(CatalogDiscoveryTest, EveryRegionFailingFallsBackToTheBundledData) {
  scenario(R"([{"match":{"operation":"ListFoundationModels"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"denied"}}])");
  auto auth_manager = manager();
  BedrockModelCatalog catalog(*auth_manager, config());
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Bundled);
  EXPECT_EQ(catalog.model_count(), catalog::bundled_catalog().catalog.models.size());
  EXPECT_EQ(catalog.generated_at(), catalog::bundled_catalog().generated_at);
  EXPECT_EQ(catalog.region_errors().size(), 2u);
  EXPECT_TRUE(mentions(catalog.warnings(), "bundled")) << joined(catalog.warnings());
  EXPECT_FALSE(fs::exists(cache_file()));  // the fallback is not cached
  EXPECT_EQ(catalog.cache_file_path(), std::nullopt);
}

TEST_F(CatalogDiscoveryTest, EveryRegionFailingWithoutFallbackThrowsCatalogUnavailable) {
  scenario(R"([{"match":{"operation":"ListInferenceProfiles"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"denied"}}])");
  auto auth_manager = manager();
  CatalogConfig strict = config();
  strict.fallback_to_bundled = false;
  BedrockModelCatalog catalog(*auth_manager, strict);
  try {
    catalog.ensure_available();
    FAIL() << "no exception";
  } catch (const CatalogUnavailableError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("Cache: no entry"), std::string::npos) << message;
    EXPECT_NE(message.find("all 2 regions"), std::string::npos) << message;
    EXPECT_NE(message.find("Bundled: disabled"), std::string::npos) << message;
  }
  EXPECT_FALSE(catalog.is_loaded());
  EXPECT_EQ(catalog.source(), CatalogSource::None);
}

TEST_F(CatalogDiscoveryTest, AStalledControlPlaneFailsDiscoveryWithinTheReadTimeout) {
  scenario(R"([{"match":{"operation":"ListFoundationModels"},"action":{"type":"stall"}}])");
  auto clock = std::make_shared<test::SimulatedClock>();
  auto auth_manager = manager(/*retries=*/0, /*read_timeout=*/300ms, clock);
  CatalogConfig cfg = config();
  cfg.cache_mode = CacheMode::None;
  BedrockModelCatalog catalog(*auth_manager, cfg);
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Bundled);
  ASSERT_EQ(catalog.region_errors().size(), 2u);
  EXPECT_EQ(catalog.region_errors()[0].error.code, ErrorCode::Timeout);
  // Both regions in parallel, each given exactly its read timeout: the 300 ms reached discovery.
  EXPECT_EQ(clock->elapsed(), 300ms);
}

TEST_F(CatalogDiscoveryTest, StalledCallsAreRetriedWithinTheClientConfigBudget) {
  scenario(R"([{"match":{"operation":"ListFoundationModels"},"action":{"type":"stall"}}])");
  auto clock = std::make_shared<test::SimulatedClock>();
  auto auth_manager = manager(/*retries=*/2, /*read_timeout=*/200ms, clock);
  CatalogConfig cfg = config({"us-east-1"});
  cfg.cache_mode = CacheMode::None;
  cfg.fallback_to_bundled = false;
  BedrockModelCatalog catalog(*auth_manager, cfg);
  EXPECT_THROW(catalog.ensure_available(), CatalogUnavailableError);
  EXPECT_EQ(seen()["ListFoundationModels"]["us-east-1"], 3);  // 1 + 2 retries, zero backoff
  EXPECT_EQ(clock->elapsed(), 3 * 200ms);
}

TEST_F(CatalogDiscoveryTest, MemoryModeIsSharedInTheProcessAndNoneNeverCaches) {
  auto auth_manager = manager();
  CatalogConfig memory = config();
  memory.cache_mode = CacheMode::Memory;
  catalog::CatalogCache(CacheMode::Memory, std::nullopt, 24h, nullptr).clear();
  BedrockModelCatalog(*auth_manager, memory).ensure_available();
  EXPECT_EQ(total_seen(), 4);
  BedrockModelCatalog second(*auth_manager, memory);
  second.ensure_available();
  EXPECT_EQ(second.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 4);
  EXPECT_FALSE(fs::exists(cache_file()));
  second.clear_cache();

  CatalogConfig none = config();
  none.cache_mode = CacheMode::None;
  BedrockModelCatalog(*auth_manager, none).ensure_available();
  BedrockModelCatalog(*auth_manager, none).ensure_available();
  EXPECT_EQ(total_seen(), 12);
  EXPECT_FALSE(fs::exists(cache_file()));
}

TEST_F(CatalogDiscoveryTest, AnUnwritableCacheDirectoryFallsBackToTheTempDirectory) {
  auto auth_manager = manager();
  CatalogConfig cfg = config();
  cfg.cache_directory = temp_.write_file("a-file", "x") / "cache";  // cannot be created
  BedrockModelCatalog catalog(*auth_manager, cfg);
  catalog.ensure_available();
  EXPECT_EQ(catalog.source(), CatalogSource::Discovery);
  ASSERT_TRUE(catalog.cache_file_path());
  EXPECT_EQ(*catalog.cache_file_path(),
            catalog::fallback_cache_directory() / catalog::kCacheFileName);
  EXPECT_TRUE(mentions(catalog.warnings(), "instead")) << joined(catalog.warnings());
  emulator_->admin_reset();
  BedrockModelCatalog again(*auth_manager, cfg);
  again.ensure_available();
  EXPECT_EQ(again.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 0);
}

// Each cold-start path serves from the source it should (its timings: bench/run_catalog_bench.sh).
TEST_F(CatalogDiscoveryTest, EachColdStartPathServesFromItsSource) {
  const std::vector<std::string> regions(default_catalog_regions().begin(),
                                         default_catalog_regions().begin() + 17);
  auto auth_manager = manager();
  CatalogConfig cfg = config(regions);

  // 1. Bundled fallback: every region answers AccessDenied at once (17 x 2 failed calls).
  scenario(R"([{"match":{"operation":"ListFoundationModels"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"denied"}}])");
  BedrockModelCatalog fallback(*auth_manager, cfg);
  fallback.ensure_available();
  EXPECT_EQ(fallback.source(), CatalogSource::Bundled);

  // 2. Live discovery of 17 regions (13 with models in the bundled data the emulator serves, 4
  //    answering empty lists), written to the cache file.
  scenario("[]");
  emulator_->admin_reset();
  BedrockModelCatalog live(*auth_manager, cfg);
  live.ensure_available();
  EXPECT_EQ(live.source(), CatalogSource::Discovery);
  EXPECT_EQ(total_seen(), 34);

  // 3. Warm cache file.
  emulator_->admin_reset();
  BedrockModelCatalog warm(*auth_manager, cfg);
  warm.ensure_available();
  EXPECT_EQ(warm.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 0);

  // 4. Warm cache file holding a catalog of the bundled data's size.
  CatalogConfig big = cfg;
  big.cache_directory = temp_.path() / "big-cache";
  catalog::CacheEntry entry{
      catalog::bundled_catalog(), regions, {}, std::chrono::system_clock::now()};
  for (const auto& region : regions) {
    entry.endpoints[region] = auth_manager->control_client(region)->endpoint_url();
  }
  ASSERT_TRUE(
      catalog::CatalogCache(CacheMode::File, big.cache_directory, 24h, nullptr).store(entry).path);
  emulator_->admin_reset();
  BedrockModelCatalog warm_big(*auth_manager, big);
  warm_big.ensure_available();
  EXPECT_EQ(warm_big.source(), CatalogSource::Cache);
  EXPECT_EQ(total_seen(), 0);

  EXPECT_EQ(warm_big.model_count(), catalog::bundled_catalog().catalog.models.size());
}

}  // namespace
}  // namespace llmm
