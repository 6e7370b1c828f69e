// A live manager's upkeep against the real emulator: refresh_model_data() rebuilds the targets
// from a new discovery while calls go on (none lost, later calls on the new targets), and
// validate_configuration() says what a call would try per model and region, and why not.
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_json.hpp"
#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHaiku35 = "anthropic.claude-3-5-haiku-20241022-v1:0";

// The bundled data with Claude 3.5 Haiku also on demand in eu-west-1 (the bundled data does not
// offer it there).
std::string catalog_with_haiku35_in_eu_west_1() {
  catalog::CatalogDocument document = catalog::bundled_catalog();
  for (auto& model : document.catalog.models) {
    if (model.model_id == kHaiku35) model.on_demand_regions.push_back("eu-west-1");
  }
  document.source = "manager_upkeep_test";
  return catalog::catalog_to_json(document);
}

LLMManagerOptions discovering(const test::EmulatorProcess& emulator) {
  return LLMManagerOptions{.models = {"Claude 3.5 Haiku"},
                           .regions = {"us-east-1", "eu-west-1"},
                           .auth = emulator.auth_config(),
                           .retry = {.retry_delay = 10ms, .max_retry_delay = 50ms},
                           .client = ClientConfig({.read_timeout = 5s, .retries_max_attempts = 0}),
                           .catalog = {.cache_mode = CacheMode::None}};
}

TEST(ManagerUpkeepTest, ARefreshRebuildsTheTargetsWhileCallsGoOn) {
  const test::ScopedTempDir dir;
  const auto file = dir.write_file("catalog.json", catalog_with_haiku35_in_eu_west_1());
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--catalog", file.string()});
  // eu-west-1's discovery fails at construction: it is served from the bundled facts, where the
  // model is not offered.
  ASSERT_EQ(emulator
                .admin_put_scenario(R"({"rules":[{"match":{"region":"eu-west-1",
                    "operation":"ListFoundationModels"},
                    "action":{"type":"error","exception":"AccessDeniedException"}}]})")
                .status,
            200);
  LLMManager manager(discovering(emulator));
  EXPECT_FALSE(manager.model_access("Claude 3.5 Haiku", "eu-west-1").has_value());
  const ConfigurationReport before = manager.validate_configuration();
  EXPECT_EQ(before.usable_pairs, 1U);

  // Calls run on their own thread through the refresh; every one is answered.
  ASSERT_EQ(emulator.admin_put_scenario(R"({"rules":[]})").status, 200);
  std::atomic<bool> refreshed{false};
  std::atomic<int> answered{0}, failed{0};
  std::thread caller([&] {
    for (int i = 0; i < 400 || !refreshed.load(); ++i) {
      const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("x"));
      (response.ok() ? answered : failed)++;
    }
  });
  for (int round = 0; round < 3; ++round) manager.refresh_model_data();
  refreshed = true;
  caller.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GE(answered.load(), 400);

  // The new discovery answered for eu-west-1: the model is a target there now.
  const auto west = manager.model_access("Claude 3.5 Haiku", "eu-west-1");
  ASSERT_TRUE(west.has_value());
  EXPECT_EQ(west->direct_id, kHaiku35);
  EXPECT_EQ(manager.validate_configuration().usable_pairs, 2U);
  CallOptions only_west;
  only_west.regions = {"eu-west-1"};
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("x"), only_west);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.region, "eu-west-1");
  for (const auto& warning : manager.catalog_warnings()) {
    EXPECT_EQ(warning.find("no data for eu-west-1"), std::string::npos) << warning;
  }
}

TEST(ManagerUpkeepTest, AFailedRefreshKeepsThePreviousTargets) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  auto options = discovering(emulator);
  options.models = {"Claude 3 Haiku"};
  options.regions = {"us-east-1"};
  options.catalog.fallback_to_bundled = false;
  LLMManager manager(options);
  ASSERT_EQ(emulator
                .admin_put_scenario(R"({"rules":[{"match":{"operation":"ListFoundationModels"},
                    "action":{"type":"error","exception":"AccessDeniedException"}}]})")
                .status,
            200);
  EXPECT_THROW(manager.refresh_model_data(), CatalogUnavailableError);
  ASSERT_EQ(emulator.admin_put_scenario(R"({"rules":[]})").status, 200);
  EXPECT_TRUE(manager.converse(ConverseRequest::from_prompt("x")).ok())
      << "the targets of the last good load stay";
}

TEST(ManagerUpkeepTest, ValidationSaysWhatWouldBeTriedAndWhyNot) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  // Claude 3 Haiku: direct and US profile in us-east-1; not offered in eu-north-1.
  LLMManager manager({.models = {"Claude 3 Haiku", "Claude Sonnet 4"},
                      .regions = {"us-east-1", "eu-north-1"},
                      .auth = emulator.auth_config(),
                      .retry = {.access_method_preference = AccessMethod::RegionalProfile},
                      .catalog = test::offline_catalog()});
  const ConfigurationReport report = manager.validate_configuration();
  EXPECT_TRUE(report.valid);
  EXPECT_TRUE(report.errors.empty());
  ASSERT_EQ(report.pairs.size(), 4U);
  const PairReport& haiku_east = report.pairs[0];
  EXPECT_EQ(haiku_east.model_name, "Claude 3 Haiku");
  EXPECT_EQ(haiku_east.region, "us-east-1");
  EXPECT_EQ(haiku_east.routes,
            (std::vector<PlannedRoute>{
                {AccessMethod::RegionalProfile, "us.anthropic.claude-3-haiku-20240307-v1:0"},
                {AccessMethod::Direct, "anthropic.claude-3-haiku-20240307-v1:0"}}))
      << "the preferred access method first";
  const PairReport& haiku_north = report.pairs[1];
  EXPECT_EQ(haiku_north.region, "eu-north-1");
  EXPECT_TRUE(haiku_north.routes.empty());
  EXPECT_NE(haiku_north.note.find("not offered in eu-north-1; offered in "), std::string::npos)
      << haiku_north.note;
  EXPECT_NE(haiku_north.note.find("us-east-1"), std::string::npos) << haiku_north.note;
  const PairReport& sonnet_east = report.pairs[2];
  EXPECT_EQ(sonnet_east.model_id, "anthropic.claude-sonnet-4-20250514-v1:0");
  ASSERT_FALSE(sonnet_east.routes.empty());
  for (const PlannedRoute& route : sonnet_east.routes) {
    EXPECT_NE(route.method, AccessMethod::Direct) << "offered only through a profile";
  }
  EXPECT_EQ(report.usable_pairs, 3U);  // Sonnet 4 is offered in eu-north-1 through eu. profile
  EXPECT_EQ(report.credentials.provider, "explicit");
  EXPECT_EQ(report.credentials.source.find("wJalr"), std::string::npos) << "never a secret";

  // The parallel manager answers for its manager.
  const ParallelLLMManager parallel({.manager = {.models = {"Claude 3 Haiku"},
                                                 .regions = {"us-east-1"},
                                                 .auth = emulator.auth_config(),
                                                 .catalog = test::offline_catalog()}});
  EXPECT_EQ(parallel.validate_configuration().pairs.size(), 1U);
}

}  // namespace
}  // namespace llmm
