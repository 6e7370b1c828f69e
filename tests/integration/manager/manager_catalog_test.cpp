// The LLMManager's catalog against the real emulator: targets come from what the manager
// discovers through its own AuthManager (not from the bundled data when the two differ), a warm
// cache makes no control-plane call, a region whose discovery fails keeps the bundled facts for
// it, and construction fails early and clearly when no model/region pair is usable.
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_json.hpp"
#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "support/scoped_temp_dir.hpp"
#include "support/simulated_clock.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHaiku35 = "anthropic.claude-3-5-haiku-20241022-v1:0";

ClientConfig quick_client() {
  return ClientConfig({.read_timeout = 5s, .retries_max_attempts = 0});
}
RetryConfig quick_retry() { return RetryConfig{.retry_delay = 10ms, .max_retry_delay = 50ms}; }

// The control-plane operations the emulator saw, in order.
std::vector<std::string> control_plane_calls(const test::EmulatorProcess& emulator) {
  std::vector<std::string> calls;
  const nlohmann::json log = nlohmann::json::parse(emulator.admin_requests());
  for (const auto& entry : log["requests"]) {
    const std::string operation = entry["operation"];
    if (operation.starts_with("List") || operation.starts_with("Get")) {
      calls.push_back(operation + " " + entry["region"].get<std::string>());
    }
  }
  return calls;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

// The bundled data with Claude 3.5 Haiku also on demand in eu-west-1, where the bundled data
// does not offer it: only a manager that discovered the emulator's catalog can target it there.
std::string catalog_with_haiku35_in_eu_west_1() {
  catalog::CatalogDocument document = catalog::bundled_catalog();
  for (auto& model : document.catalog.models) {
    if (model.model_id == kHaiku35) model.on_demand_regions.push_back("eu-west-1");
  }
  document.source = "manager_catalog_test";
  return catalog::catalog_to_json(document);
}

TEST(ManagerCatalogTest, TargetsComeFromTheDiscoveredCatalogNotTheBundledData) {
  const test::ScopedTempDir dir;
  const auto file = dir.write_file("catalog.json", catalog_with_haiku35_in_eu_west_1());
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--catalog", file.string()});

  LLMManager manager({"Claude 3.5 Haiku"}, {"eu-west-1"}, emulator.auth_config(), quick_retry(),
                     quick_client(), CatalogConfig{.cache_mode = CacheMode::None});
  EXPECT_EQ(manager.catalog().source(), CatalogSource::Discovery);
  EXPECT_EQ(manager.catalog().regions(), std::vector<std::string>{"eu-west-1"});
  ASSERT_TRUE(manager.model_access("Claude 3.5 Haiku", "eu-west-1").has_value());
  EXPECT_EQ(manager.model_access("Claude 3.5 Haiku", "eu-west-1")->direct_id, kHaiku35);
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hello"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.region, "eu-west-1");
  // Only the manager's region was discovered: ListFoundationModels and ListInferenceProfiles.
  auto calls = control_plane_calls(emulator);
  std::sort(calls.begin(), calls.end());
  EXPECT_EQ(calls, (std::vector<std::string>{"ListFoundationModels eu-west-1",
                                             "ListInferenceProfiles eu-west-1"}));

  // The bundled data alone does not offer the model there: the same construction fails.
  try {
    LLMManager offline({"Claude 3.5 Haiku"}, {"eu-west-1"}, emulator.auth_config(), quick_retry(),
                       quick_client(), test::offline_catalog());
    FAIL() << "an offline manager found Claude 3.5 Haiku in eu-west-1";
  } catch (const ConfigurationError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("'Claude 3.5 Haiku' is offered in us-east-1, us-east-2, us-west-2"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("catalog: bundled"), std::string::npos) << message;
  }
}

TEST(ManagerCatalogTest, AWarmFileCacheMakesNoControlPlaneCall) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const test::ScopedTempDir dir;
  const CatalogConfig cached{.cache_mode = CacheMode::File, .cache_directory = dir.path()};

  LLMManager first({"Nova Pro"}, {"us-east-1", "eu-west-1"}, emulator.auth_config(), quick_retry(),
                   quick_client(), cached);
  EXPECT_EQ(first.catalog().source(), CatalogSource::Discovery);
  ASSERT_TRUE(first.catalog().cache_file_path().has_value());
  EXPECT_EQ(control_plane_calls(emulator).size(), 4U);  // two operations in two regions

  emulator.admin_reset();
  LLMManager second({"Nova Pro"}, {"eu-west-1"}, emulator.auth_config(), quick_retry(),
                    quick_client(), cached);
  EXPECT_EQ(second.catalog().source(), CatalogSource::Cache);
  EXPECT_TRUE(control_plane_calls(emulator).empty());
  EXPECT_EQ(second.model_access("Nova Pro", "eu-west-1")->direct_id, "amazon.nova-pro-v1:0");
  EXPECT_EQ(second.model_access("Nova Pro", "eu-west-1")->regional_profile_id,
            "eu.amazon.nova-pro-v1:0");
  EXPECT_TRUE(second.converse(ConverseRequest::from_prompt("x")).ok());
}

TEST(ManagerCatalogTest, ManagersOfDifferentRegionsShareOneCacheEntry) {
  // Each manager discovers only its regions; the cache entry gathers them, so a third manager
  // over both regions starts from the cache with no call.
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const test::ScopedTempDir dir;
  const CatalogConfig cached{.cache_mode = CacheMode::File, .cache_directory = dir.path()};
  LLMManager east({"Nova Pro"}, {"us-east-1"}, emulator.auth_config(), quick_retry(),
                  quick_client(), cached);
  LLMManager west({"Nova Pro"}, {"eu-west-1"}, emulator.auth_config(), quick_retry(),
                  quick_client(), cached);
  EXPECT_EQ(west.catalog().source(), CatalogSource::Discovery);
  EXPECT_EQ(control_plane_calls(emulator).size(), 4U);

  emulator.admin_reset();
  LLMManager both({"Nova Pro"}, {"us-east-1", "eu-west-1"}, emulator.auth_config(), quick_retry(),
                  quick_client(), cached);
  EXPECT_EQ(both.catalog().source(), CatalogSource::Cache);
  EXPECT_TRUE(control_plane_calls(emulator).empty());
  EXPECT_EQ(both.model_access("Nova Pro", "us-east-1")->regional_profile_id,
            "us.amazon.nova-pro-v1:0");
  EXPECT_EQ(both.model_access("Nova Pro", "eu-west-1")->regional_profile_id,
            "eu.amazon.nova-pro-v1:0");
  EXPECT_TRUE(both.catalog_warnings().empty());
}

TEST(ManagerCatalogTest, ARegionWhoseDiscoveryFailsKeepsTheBundledFactsForIt) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const auto reply = emulator.admin_put_scenario(R"({"rules":[
      {"match":{"region":"us-west-2","operation":"ListFoundationModels"},
       "action":{"type":"error","exception":"AccessDeniedException","message":"not here"}}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;

  LLMManager manager({"Claude 3 Haiku"}, {"us-east-1", "us-west-2"}, emulator.auth_config(),
                     quick_retry(), quick_client(), CatalogConfig{.cache_mode = CacheMode::None});
  EXPECT_EQ(manager.catalog().source(), CatalogSource::Discovery);
  const auto failures = manager.catalog().region_errors();
  ASSERT_EQ(failures.size(), 1U);
  EXPECT_EQ(failures[0].region, "us-west-2");
  EXPECT_EQ(failures[0].error.code, ErrorCode::AccessDenied) << failures[0].error.describe();
  EXPECT_TRUE(mentions(manager.catalog_warnings(), "no data for us-west-2"));
  // AccessDenied is not retried: one ListFoundationModels in us-west-2.
  const auto calls = control_plane_calls(emulator);
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "ListFoundationModels us-west-2"), 1);

  const auto west = manager.model_access("Claude 3 Haiku", "us-west-2");
  ASSERT_TRUE(west.has_value());
  EXPECT_EQ(west->direct_id, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(west->regional_profile_id, "us.anthropic.claude-3-haiku-20240307-v1:0");

  // us-west-2 stays a real target: with us-east-1 throttled the call lands there.
  ASSERT_EQ(
      emulator
          .admin_put_scenario(R"({"rules":[{"match":{"region":"us-east-1","operation":"Converse"},
                    "action":{"type":"error","exception":"ThrottlingException","message":"busy"}}]})")
          .status,
      200);
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.region, "us-west-2");
}

TEST(ManagerCatalogTest, ARegionThatNeverAnswersIsCutAtTheDiscoveryTimeout) {
  // us-west-2's control plane accepts and never answers; the read timeout is 10 s, the
  // discovery timeout 300 ms: the manager starts after 300 ms, us-west-2 on the bundled facts.
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  ASSERT_EQ(emulator
                .admin_put_scenario(R"({"rules":[{"match":{"region":"us-west-2",
                    "operation":"ListFoundationModels"},"action":{"type":"stall"}}]})")
                .status,
            200);
  auto clock = std::make_shared<test::SimulatedClock>();
  LLMManager manager({"Claude 3 Haiku"}, {"us-east-1", "us-west-2"}, emulator.auth_config(),
                     quick_retry(), ClientConfig({.read_timeout = 10s, .retries_max_attempts = 0}),
                     CatalogConfig{.cache_mode = CacheMode::None, .discovery_timeout = 300ms},
                     Seams{clock, std::make_shared<test::FixedRandom>(0.5)});
  // Built at exactly the discovery timeout: not the 10 s read timeout.
  EXPECT_EQ(clock->elapsed(), 300ms);

  EXPECT_EQ(manager.catalog().source(), CatalogSource::Discovery);
  EXPECT_EQ(manager.catalog().regions(), std::vector<std::string>{"us-east-1"});
  const auto failures = manager.catalog().region_errors();
  ASSERT_EQ(failures.size(), 1U);
  EXPECT_EQ(failures[0].region, "us-west-2");
  EXPECT_EQ(failures[0].operation, "ListFoundationModels");
  EXPECT_EQ(failures[0].error.code, ErrorCode::Timeout);
  EXPECT_NE(failures[0].error.message.find("discovery timeout of 300 ms"), std::string::npos)
      << failures[0].error.describe();
  EXPECT_TRUE(mentions(manager.catalog_warnings(), "no data for us-west-2"));
  ASSERT_TRUE(manager.model_access("Claude 3 Haiku", "us-west-2").has_value());
  EXPECT_TRUE(manager.converse(ConverseRequest::from_prompt("x")).ok());
}

TEST(ManagerCatalogTest, EveryRegionFailingWithoutTheBundledFallbackIsCatalogUnavailable) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  ASSERT_EQ(emulator
                .admin_put_scenario(R"({"rules":[{"match":{"operation":"ListFoundationModels"},
                    "action":{"type":"error","exception":"AccessDeniedException","message":"no"}}]})")
                .status,
            200);
  try {
    LLMManager manager({"Nova Pro"}, {"us-east-1", "eu-west-1"}, emulator.auth_config(),
                       quick_retry(), quick_client(),
                       CatalogConfig{.cache_mode = CacheMode::None, .fallback_to_bundled = false});
    FAIL() << "constructed without a catalog";
  } catch (const CatalogUnavailableError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("Bundled: disabled"), std::string::npos) << message;
    EXPECT_NE(message.find("AccessDenied"), std::string::npos) << message;
  }

  // With the fallback (the default) the same manager starts from the bundled data and says so.
  LLMManager manager({"Nova Pro"}, {"us-east-1", "eu-west-1"}, emulator.auth_config(),
                     quick_retry(), quick_client(), CatalogConfig{.cache_mode = CacheMode::None});
  EXPECT_EQ(manager.catalog().source(), CatalogSource::Bundled);
  EXPECT_TRUE(mentions(manager.catalog_warnings(), "bundled catalog"));
  EXPECT_EQ(manager.model_access("Nova Pro", "eu-west-1")->direct_id, "amazon.nova-pro-v1:0");
}

TEST(ManagerCatalogTest, NoUsablePairFailsConstructionNamingWhereEachModelIsOffered) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  try {
    LLMManager manager({"Claude 3.5 Haiku", "Llama 3.1 8B Instruct"}, {"ap-northeast-1"},
                       emulator.auth_config(), quick_retry(), quick_client(),
                       CatalogConfig{.cache_mode = CacheMode::None});
    FAIL() << "constructed with no usable model/region pair";
  } catch (const ConfigurationError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("none of the models 'Claude 3.5 Haiku', 'Llama 3.1 8B Instruct' is "
                           "offered in any of the regions 'ap-northeast-1'"),
              std::string::npos)
        << message;
    // The manager discovered only ap-northeast-1; the bundled data says where else to look.
    EXPECT_NE(message.find("'Claude 3.5 Haiku' is offered in none of them; the bundled catalog "
                           "lists it in us-east-1, us-east-2, us-west-2"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("'Llama 3.1 8B Instruct' is offered in none of them"), std::string::npos)
        << message;
    EXPECT_NE(message.find("catalog: discovery"), std::string::npos) << message;
  }
  // A misspelt name is refused with suggestions, never resolved to another model.
  try {
    LLMManager manager({"Claude 3 Hiku"}, {"us-east-1"}, emulator.auth_config(), quick_retry(),
                       quick_client(), test::offline_catalog());
    FAIL() << "a misspelt name resolved";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("Claude 3 Haiku"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace llmm
