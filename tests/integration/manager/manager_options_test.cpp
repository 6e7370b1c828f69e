// LLMManager and ParallelLLMManager built from their options aggregates with designated
// initializers, against the real emulator: every field arrives where the positional form puts it.
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

// Pinned to now (the emulator refuses signatures more than 5 minutes off), so the attempts'
// start times show the injected clock was used.
std::shared_ptr<test::PinnedWallClock> pinned_now() {
  return std::make_shared<test::PinnedWallClock>(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

TEST(ManagerOptionsTest, LLMManagerTakesDesignatedInitializers) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const auto clock = pinned_now();
  LLMManager manager({.models = {"Claude 3 Haiku"},
                      .regions = {"us-east-1", "us-west-2"},
                      .auth = emulator.auth_config(),
                      .retry = {.retry_delay = 10ms, .max_retry_delay = 50ms, .max_retries = 2},
                      .client = ClientConfig({.read_timeout = 5s, .max_pool_connections = 3}),
                      .catalog = test::offline_catalog(),
                      .seams = {.clock = clock}});

  EXPECT_EQ(manager.models(), std::vector<std::string>{"Claude 3 Haiku"});
  EXPECT_EQ(manager.regions(), (std::vector<std::string>{"us-east-1", "us-west-2"}));
  EXPECT_EQ(manager.client_config(), ClientConfig({.read_timeout = 5s, .max_pool_connections = 3}));
  EXPECT_EQ(manager.retry_config().retry_delay, 10ms);
  EXPECT_EQ(manager.retry_config().max_retry_delay, 50ms);
  EXPECT_EQ(manager.retry_config().max_retries, 2);
  EXPECT_EQ(manager.catalog().config().cache_mode, CacheMode::None);
  EXPECT_FALSE(manager.catalog().config().live_discovery);
  EXPECT_EQ(manager.catalog().config().regions, manager.regions()) << "empty means the manager's";
  EXPECT_EQ(manager.catalog().source(), CatalogSource::Bundled);

  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hello"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(response.region, "us-east-1");
  ASSERT_EQ(response.attempts.size(), 1U);
  EXPECT_EQ(response.attempts[0].started, clock->wall_now()) << "the injected clock";
}

TEST(ManagerOptionsTest, OmittedFieldsKeepTheDefaults) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const LLMManager manager({.models = {"anthropic.claude-3-haiku-20240307-v1:0"},
                            .regions = {"us-east-1"},
                            .auth = emulator.auth_config(),
                            .catalog = test::offline_catalog()});
  EXPECT_EQ(manager.client_config(), ClientConfig{});
  EXPECT_EQ(manager.retry_config().retry_delay, RetryConfig{}.retry_delay);
  EXPECT_FALSE(manager.retry_config().max_retries.has_value());
}

TEST(ManagerOptionsTest, OptionsAreValidatedAsThePositionalFormIs) {
  EXPECT_THROW(LLMManager({.regions = {"us-east-1"}, .catalog = test::offline_catalog()}),
               ConfigurationError);
  EXPECT_THROW(ParallelLLMManager({.manager = {.models = {"Claude 3 Haiku"},
                                               .regions = {"us-east-1"},
                                               .catalog = test::offline_catalog()},
                                   .parallel = {.max_concurrent_requests = 0}}),
               std::invalid_argument);
}

// No regions: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region (issue 14 item 4).
TEST(ManagerOptionsTest, OmittedRegionsComeFromTheEnvironment) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  AuthConfig auth = emulator.auth_config();
  auth.environment = Environment::from_map({{"AWS_REGION", "us-west-2"},
                                            {"AWS_DEFAULT_REGION", "eu-west-1"},
                                            {"AWS_CONFIG_FILE", "/nonexistent/config"}});
  const LLMManager manager(
      {.models = {"Claude 3 Haiku"}, .auth = auth, .catalog = test::offline_catalog()});
  EXPECT_EQ(manager.regions(), std::vector<std::string>{"us-west-2"});
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hello"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.region, "us-west-2");

  auth.environment = Environment::from_map(
      {{"AWS_DEFAULT_REGION", "eu-west-1"}, {"AWS_CONFIG_FILE", "/nonexistent/config"}});
  const ParallelLLMManager batch(
      {.manager = {
           .models = {"Claude 3 Haiku"}, .auth = auth, .catalog = test::offline_catalog()}});
  EXPECT_EQ(batch.underlying_manager().regions(), std::vector<std::string>{"eu-west-1"});
}

TEST(ManagerOptionsTest, OmittedRegionsWithNoneConfiguredIsAConfigurationError) {
  AuthConfig auth;
  auth.type = AuthType::Credentials;
  auth.access_key_id = "AKIDEXAMPLE";
  auth.secret_access_key = "SECRET-SENTINEL";
  auth.environment = Environment::from_map({{"AWS_CONFIG_FILE", "/nonexistent/config"},
                                            {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/creds"}});
  try {
    const LLMManager manager(
        {.models = {"Claude 3 Haiku"}, .auth = auth, .catalog = test::offline_catalog()});
    FAIL() << "expected a ConfigurationError";
  } catch (const ConfigurationError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("AWS_REGION"), std::string::npos) << message;
    EXPECT_NE(message.find("/nonexistent/config"), std::string::npos) << message;
    EXPECT_EQ(message.find("SECRET-SENTINEL"), std::string::npos) << message;
  }
}

TEST(ManagerOptionsTest, ParallelLLMManagerTakesDesignatedInitializers) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const ParallelLLMManager batch(
      {.manager = {.models = {"Claude 3 Haiku", "Claude 3.5 Haiku"},
                   .regions = {"us-west-2"},
                   .auth = emulator.auth_config(),
                   .retry = {.retry_strategy = RetryStrategy::ModelFirst},
                   .client = ClientConfig({.connect_timeout = 2s, .retries_max_attempts = 1}),
                   .catalog = test::offline_catalog()},
       .parallel = {.max_concurrent_requests = 3}});

  EXPECT_EQ(batch.parallel_config().max_concurrent_requests, 3);
  const LLMManager& manager = batch.underlying_manager();
  EXPECT_EQ(manager.models(), (std::vector<std::string>{"Claude 3 Haiku", "Claude 3.5 Haiku"}));
  EXPECT_EQ(manager.regions(), std::vector<std::string>{"us-west-2"});
  EXPECT_EQ(manager.client_config(),
            ClientConfig({.connect_timeout = 2s, .retries_max_attempts = 1}));
  EXPECT_EQ(manager.retry_config().retry_strategy, RetryStrategy::ModelFirst);
  EXPECT_FALSE(manager.catalog().config().live_discovery);

  const std::vector<ConverseRequest> requests(5, ConverseRequest::from_prompt("hi"));
  const ParallelResponse batch_response = batch.converse_parallel(requests);
  ASSERT_EQ(batch_response.results.size(), 5U);
  for (const ParallelResult& result : batch_response.results) {
    EXPECT_TRUE(result.ok()) << result.response.error->describe();
  }
}

}  // namespace
}  // namespace llmm
