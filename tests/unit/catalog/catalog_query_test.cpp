// BedrockModelCatalog's public queries (list_models, model_info, resolve, model_access,
// to_json) over the bundled data and over a small catalog of our own read from a cache file:
// the public types carry what the private catalog, resolver and access rules say. No network:
// live discovery is off.
#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/model_catalog.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/catalog_json.hpp"
#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {
namespace {

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

AuthManager& offline_auth() {
  static AuthManager auth(AuthConfig{.type = AuthType::Credentials,
                                     .access_key_id = "AKIDEXAMPLE",
                                     .secret_access_key = "never-sent",
                                     .environment = Environment::from_map({})});
  return auth;
}

// The bundled data, loaded once.
const BedrockModelCatalog& bundled() {
  static const auto catalog = [] {
    auto loaded = std::make_unique<BedrockModelCatalog>(
        offline_auth(), CatalogConfig{.cache_mode = CacheMode::None, .live_discovery = false});
    loaded->ensure_available();
    return loaded;
  }();
  return *catalog;
}

bool has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TEST(CatalogQueryTest, ListModelsGivesEveryModelWithItsFacts) {
  const std::vector<ModelSummary> all = bundled().list_models();
  EXPECT_EQ(all.size(), bundled().model_count());
  const catalog::Catalog& data = catalog::bundled_catalog().catalog;
  ASSERT_EQ(all.size(), data.models.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].model_id, data.models[i].model_id) << "catalog order";
  }

  const auto haiku = std::find_if(all.begin(), all.end(),
                                  [](const ModelSummary& m) { return m.model_id == kHaiku; });
  ASSERT_NE(haiku, all.end());
  EXPECT_EQ(haiku->name, "Claude 3 Haiku");
  EXPECT_EQ(haiku->provider, "Anthropic");
  EXPECT_TRUE(has(haiku->input_modalities, "TEXT"));
  EXPECT_TRUE(has(haiku->input_modalities, "IMAGE"));
  EXPECT_TRUE(has(haiku->output_modalities, "TEXT"));
  EXPECT_TRUE(haiku->streaming);
  EXPECT_TRUE(haiku->converse);
  EXPECT_TRUE(haiku->tool_use);
  EXPECT_TRUE(has(haiku->on_demand_regions, "us-east-1"));
  EXPECT_TRUE(has(haiku->aliases, "Claude 3 Haiku 20240307")) << "the reference-style name";

  const RegionAccess* east = haiku->access_in("us-east-1");
  ASSERT_NE(east, nullptr);
  EXPECT_EQ(east->region, "us-east-1");
  EXPECT_EQ(east->direct_id, kHaiku);
  EXPECT_EQ(east->regional_profile_id, std::string("us.") + kHaiku);
  EXPECT_EQ(haiku->access_in("us-west-1"), nullptr) << "not offered there";
  EXPECT_TRUE(std::is_sorted(haiku->access.begin(), haiku->access.end(),
                             [](const auto& a, const auto& b) { return a.region < b.region; }));

  const auto us_profile =
      std::find_if(haiku->profiles.begin(), haiku->profiles.end(),
                   [](const CatalogProfile& p) { return p.profile_id.starts_with("us."); });
  ASSERT_NE(us_profile, haiku->profiles.end());
  EXPECT_EQ(us_profile->model_id, kHaiku);
  EXPECT_EQ(us_profile->access_method, AccessMethod::RegionalProfile);
  EXPECT_TRUE(has(us_profile->regions, "us-east-1"));
}

TEST(CatalogQueryTest, FiltersByRegionAndProviderIgnoringCase) {
  const std::vector<ModelSummary> anthropic = bundled().list_models({.provider = "ANTHROPIC"});
  ASSERT_FALSE(anthropic.empty());
  for (const auto& model : anthropic) EXPECT_EQ(model.provider, "Anthropic");

  const std::vector<ModelSummary> tokyo =
      bundled().list_models({.region = "ap-northeast-1", .provider = "anthropic"});
  ASSERT_FALSE(tokyo.empty());
  EXPECT_LT(tokyo.size(), anthropic.size());
  for (const auto& model : tokyo) {
    EXPECT_NE(model.access_in("ap-northeast-1"), nullptr) << model.model_id;
  }
  EXPECT_TRUE(bundled().list_models({.region = "mars-north-1"}).empty());
  EXPECT_TRUE(bundled().list_models({.provider = "Nobody"}).empty());
}

TEST(CatalogQueryTest, ModelInfoTakesAnyNameTheManagerTakes) {
  for (const char* name :
       {"Claude 3 Haiku", "claude-3-haiku", kHaiku, "us.anthropic.claude-3-haiku-20240307-v1:0",
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"}) {
    const auto info = bundled().model_info(name);
    ASSERT_TRUE(info.has_value()) << name;
    EXPECT_EQ(info->model_id, kHaiku) << name;
  }
  EXPECT_FALSE(bundled().model_info("Claude 3 Hiku").has_value());
  EXPECT_FALSE(bundled().model_info("anthropic.claude-unknown-v9").has_value()) << "a raw id";
}

TEST(CatalogQueryTest, ResolveExplainsAMatch) {
  const ModelResolution resolution = bundled().resolve("claude-3-haiku");
  ASSERT_TRUE(resolution.ok()) << resolution.error;
  EXPECT_EQ(resolution.status, ResolutionStatus::Resolved);
  EXPECT_EQ(resolution.input, "claude-3-haiku");
  EXPECT_EQ(resolution.model_id, kHaiku);
  ASSERT_TRUE(resolution.model.has_value());
  EXPECT_EQ(resolution.model->name, "Claude 3 Haiku");
  EXPECT_EQ(resolution.match, NameMatch::Normalized);
  EXPECT_EQ(to_string(resolution.match), "normalized");
  EXPECT_EQ(resolution.matched, "Claude 3 Haiku");
  EXPECT_NE(resolution.reason.find("ignoring case and separators"), std::string::npos);
  EXPECT_FALSE(resolution.pinned_profile_id.has_value());
  EXPECT_EQ(resolution.access.size(), resolution.model->access.size()) << "the model's access";
  EXPECT_TRUE(resolution.error.empty());
  EXPECT_TRUE(resolution.candidates.empty());
  EXPECT_EQ(bundled().resolve("Claude 3 Haiku").match, NameMatch::Exact);
}

TEST(CatalogQueryTest, AProfileIdPinsItsRegionsAndItselfOnly) {
  const ModelResolution resolution = bundled().resolve("eu.amazon.nova-pro-v1:0");
  ASSERT_TRUE(resolution.ok()) << resolution.error;
  EXPECT_EQ(resolution.match, NameMatch::Profile);
  EXPECT_EQ(resolution.pinned_profile_id, "eu.amazon.nova-pro-v1:0");
  EXPECT_EQ(resolution.model_id, "amazon.nova-pro-v1:0");
  ASSERT_FALSE(resolution.access.empty());
  for (const RegionAccess& access : resolution.access) {
    EXPECT_TRUE(access.region.starts_with("eu-")) << access.region;
    EXPECT_FALSE(access.direct_id.has_value()) << access.region;
    EXPECT_EQ(access.regional_profile_id, "eu.amazon.nova-pro-v1:0");
  }
}

TEST(CatalogQueryTest, AnIdTheCatalogDoesNotKnowIsSentAsGiven) {
  const ModelResolution resolution = bundled().resolve("anthropic.claude-unknown-v9");
  ASSERT_TRUE(resolution.ok()) << resolution.error;
  EXPECT_EQ(resolution.match, NameMatch::RawId);
  EXPECT_EQ(resolution.model_id, "anthropic.claude-unknown-v9");
  EXPECT_FALSE(resolution.model.has_value());
  EXPECT_TRUE(resolution.access.empty()) << "direct, in any region: no catalog facts";
  const auto access = bundled().model_access("anthropic.claude-unknown-v9", "us-east-1");
  ASSERT_TRUE(access.has_value());
  EXPECT_EQ(access->direct_id, "anthropic.claude-unknown-v9");
}

TEST(CatalogQueryTest, AnUnknownNameGivesTheManagersErrorAndSuggestions) {
  const ModelResolution resolution = bundled().resolve("Claude 3 Hiku");
  EXPECT_FALSE(resolution.ok());
  EXPECT_EQ(resolution.status, ResolutionStatus::Unknown);
  EXPECT_EQ(to_string(resolution.status), "unknown");
  EXPECT_NE(resolution.error.find("did you mean 'Claude 3 Haiku'"), std::string::npos)
      << resolution.error;
  ASSERT_FALSE(resolution.candidates.empty());
  EXPECT_EQ(resolution.candidates.front().name, "Claude 3 Haiku");
  EXPECT_EQ(resolution.candidates.front().model_id, kHaiku);
  EXPECT_LE(resolution.candidates.size(), 5U);
  EXPECT_TRUE(resolution.model_id.empty());

  EXPECT_EQ(bundled().resolve("").status, ResolutionStatus::Unknown);
  const ModelResolution bad_arn = bundled().resolve("arn:bad");
  EXPECT_EQ(bad_arn.status, ResolutionStatus::Unknown);
  EXPECT_NE(bad_arn.error.find("not a Bedrock ARN"), std::string::npos) << bad_arn.error;
}

TEST(CatalogQueryTest, ModelAccessPerRegion) {
  const auto east = bundled().model_access("Claude 3 Haiku", "us-east-1");
  ASSERT_TRUE(east.has_value());
  EXPECT_EQ(east->region, "us-east-1");
  EXPECT_EQ(east->direct_id, kHaiku);
  EXPECT_FALSE(bundled().model_access("Claude 3 Haiku", "us-west-1").has_value());
  EXPECT_THROW((void)bundled().model_access("Claude 3 Hiku", "us-east-1"), ConfigurationError);
}

TEST(CatalogQueryTest, ToJsonIsOurSchemaFiltered) {
  const auto parsed =
      catalog::catalog_from_json(bundled().to_json({.region = "us-east-1", .provider = "meta"}));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  ASSERT_FALSE(parsed->catalog.models.empty());
  for (const auto& model : parsed->catalog.models) {
    EXPECT_EQ(model.provider_name, "Meta");
    EXPECT_TRUE(catalog::offered_in(model, "us-east-1"));
  }
  for (const auto& profile : parsed->catalog.profiles) {
    EXPECT_NE(parsed->catalog.find_model(profile.model_id), nullptr);
    EXPECT_TRUE(catalog::profile_callable_in(profile, "us-east-1"));
  }
  EXPECT_EQ(parsed->source, bundled().source_description());
  EXPECT_EQ(parsed->generated_at, bundled().generated_at());
  const auto whole = catalog::catalog_from_json(bundled().to_json());
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->catalog.models.size(), bundled().model_count());
  EXPECT_EQ(whole->catalog.profiles.size(), bundled().profile_count());
}

TEST(CatalogQueryTest, QueriesNeedALoadedCatalog) {
  const BedrockModelCatalog catalog(
      offline_auth(), CatalogConfig{.cache_mode = CacheMode::None, .live_discovery = false});
  EXPECT_THROW((void)catalog.list_models(), std::logic_error);
  EXPECT_THROW((void)catalog.resolve("Claude 3 Haiku"), std::logic_error);
  EXPECT_THROW((void)catalog.to_json(), std::logic_error);
  EXPECT_EQ(catalog.source_description(), "");
}

// A catalog of our own, through the file cache: two models that are the same name but for case.
TEST(CatalogQueryTest, AnAmbiguousNameListsTheModelsItMatches) {
  const test::ScopedTempDir dir;
  catalog::ModelInfo a;
  a.model_id = "acme.rocket-v1:0";
  a.model_name = "Rocket";
  a.provider_name = "Acme";
  a.on_demand_regions = {"us-east-1"};
  catalog::ModelInfo b = a;
  b.model_id = "acme.rocket-20250101-v1:0";
  b.model_name = "ROCKET";
  catalog::CacheEntry entry{
      catalog::CatalogDocument{catalog::Catalog{{a, b}, {}}, "2026-01-01T00:00:00Z", "test"},
      {"us-east-1"},
      {{"us-east-1", offline_auth().control_client("us-east-1")->endpoint_url()}},
      std::chrono::system_clock::now()};
  dir.write_file("bedrock_catalog.json", catalog::encode_cache_entry(entry));
  BedrockModelCatalog catalog(offline_auth(), CatalogConfig{.cache_directory = dir.path(),
                                                            .live_discovery = false,
                                                            .regions = {"us-east-1"}});
  catalog.ensure_available();
  ASSERT_EQ(catalog.source(), CatalogSource::Cache);
  EXPECT_EQ(catalog.source_description(), "test");

  const ModelResolution resolution = catalog.resolve("rocket");
  EXPECT_EQ(resolution.status, ResolutionStatus::Ambiguous);
  EXPECT_NE(resolution.error.find("ambiguous"), std::string::npos) << resolution.error;
  ASSERT_EQ(resolution.candidates.size(), 2U);
  EXPECT_EQ(resolution.candidates[0].model_id, "acme.rocket-v1:0");
  EXPECT_EQ(resolution.candidates[1].model_id, "acme.rocket-20250101-v1:0");
  EXPECT_FALSE(catalog.model_info("rocket").has_value());
  EXPECT_EQ(catalog.model_info("acme.rocket-v1:0")->name, "Rocket") << "ids stay unambiguous";
  EXPECT_EQ(catalog.list_models().size(), 2U);
}

}  // namespace
}  // namespace llmm
