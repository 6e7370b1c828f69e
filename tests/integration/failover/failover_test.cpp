// The RetryEngine against the real emulator with scripted scenarios: failover across regions
// and models, profile switching, fallbacks, validation, breakers and the deadline, each asserted
// from the attempts the response reports and from what the emulator saw.
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>

#include "support/attempt_lists.hpp"
#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::decisions;
using test::regions_of;
using test::waits;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kHaikuUsProfile = "us.anthropic.claude-3-haiku-20240307-v1:0";

class FailoverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "7", "--log-bodies"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->admin_reset(); }

  static void scenario(const std::string& rules) {
    const auto reply = emulator_->admin_put_scenario(R"({"rules":)" + rules + "}");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static AuthConfig auth() { return emulator_->auth_config(); }

  static ClientConfig client(int retries, std::chrono::milliseconds read_timeout = 10s) {
    return ClientConfig({.read_timeout = read_timeout, .retries_max_attempts = retries});
  }

  static RetryConfig quick() { return RetryConfig{.retry_delay = 10ms, .max_retry_delay = 80ms}; }

  // Simulated time (a fresh clock per manager): backoff waits cost nothing and are exact, a
  // silent server still takes its read timeout in real time.
  static Seams seams() {
    return Seams{std::make_shared<test::SimulatedClock>(),
                 std::make_shared<test::FixedRandom>(0.5)};
  }

  // The Converse requests the emulator saw, in order (region, model id as sent, outcome, body).
  static nlohmann::json seen() {
    nlohmann::json all = nlohmann::json::parse(emulator_->admin_requests())["requests"];
    nlohmann::json converse = nlohmann::json::array();
    for (auto& entry : all) {
      if (entry["operation"] == "Converse") converse.push_back(entry);
    }
    return converse;
  }

  static test::EmulatorProcess* emulator_;
};

test::EmulatorProcess* FailoverTest::emulator_ = nullptr;

TEST_F(FailoverTest, AThrottledRegionFailsOverToTheNextAtOnce) {
  scenario(R"([{"match":{"region":"us-east-1"},
                "action":{"type":"error","exception":"ThrottlingException","message":"slow down"}}])");
  LLMManager manager({"Claude 3 Haiku"}, {"us-east-1", "us-west-2"}, auth(), quick(), client(3),
                     test::offline_catalog(), seams());
  const auto request = ConverseRequest::from_prompt("hello there");
  const ConverseRequest copy = request;
  const BedrockResponse response = manager.converse(request);

  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.text(), "hello there");
  EXPECT_EQ(response.region, "us-west-2");
  EXPECT_EQ(response.model_name, "Claude 3 Haiku");
  EXPECT_EQ(response.model_id, kHaiku);
  EXPECT_EQ(response.access_method, AccessMethod::Direct);
  EXPECT_TRUE(response.profile_id.empty());
  ASSERT_EQ(response.attempts.size(), 2u);
  EXPECT_EQ(regions_of(response), (std::vector<std::string>{"us-east-1", "us-west-2"}));
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"failover", "succeeded"}));
  EXPECT_EQ(response.attempts[0].error->code, ErrorCode::Throttled);
  EXPECT_EQ(response.attempts[0].error->http_status, 429);
  EXPECT_EQ(response.attempts[1].backoff_before, 0ms)
      << "a first visit to another target waits for nothing";
  EXPECT_EQ(request, copy);
  EXPECT_EQ(manager.stats().failovers, 1u);
}

// Reference scenario 2 with our bounds: five throttled targets and no same-target retries make
// exactly five attempts, then a failure that names the throttling.
TEST_F(FailoverTest, EveryTargetThrottledEndsAfterExactlyOneAttemptEach) {
  scenario(R"([{"match":{"operation":"Converse"},
                "action":{"type":"error","exception":"ThrottlingException","message":"slow down"}}])");
  const std::vector<std::string> regions = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1",
                                            "ap-northeast-1"};
  LLMManager manager({kHaiku}, regions, auth(), quick(), client(0), test::offline_catalog(),
                     seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));

  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Throttled);
  EXPECT_EQ(regions_of(response), regions);
  EXPECT_EQ(decisions(response),
            (std::vector<std::string>{"failover", "failover", "failover", "failover", "stop"}));
  EXPECT_EQ(seen().size(), 5u);
  try {
    (void)manager.converse_or_throw(ConverseRequest::from_prompt("hi"));
    FAIL() << "expected RetryExhaustedError";
  } catch (const RetryExhaustedError& error) {
    EXPECT_EQ(error.response().attempts.size(), 5u);
    EXPECT_NE(std::string(error.what()).find("5 attempt"), std::string::npos) << error.what();
  }
}

// Same-target retries come after every target had its first try, each after its own backoff:
// with a frozen clock and jitter pinned at 0.5 the waits are exactly 0.5 * 40 ms * 2^n (the
// clock never moves, so the second region's wait is not shortened by the first one's).
TEST_F(FailoverTest, RevisitsWaitTheirBackoffExactly) {
  scenario(R"([{"match":{"operation":"Converse"},
                "action":{"type":"error","exception":"ServiceUnavailableException","message":"busy"}}])");
  RetryConfig retry{.retry_delay = 40ms, .max_retry_delay = 1000ms};
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), retry, client(2),
                     test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));

  ASSERT_EQ(response.attempts.size(), 6u);
  EXPECT_EQ(regions_of(response),
            (std::vector<std::string>{"us-east-1", "us-west-2", "us-east-1", "us-west-2",
                                      "us-east-1", "us-west-2"}));
  // On simulated time: each target's backoff (20 ms, then 40 ms) runs from its own failure, so
  // the second target's has passed by the time the first one has been retried.
  std::vector<long long> waits;
  for (const Attempt& attempt : response.attempts) waits.push_back(attempt.backoff_before.count());
  EXPECT_EQ(waits, (std::vector<long long>{0, 0, 20, 0, 40, 0}));
  EXPECT_EQ(response.total_duration, 60ms);
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"failover", "failover", "failover",
                                                           "failover", "failover", "stop"}));
  EXPECT_EQ(response.error->code, ErrorCode::ServiceUnavailable);
}

TEST_F(FailoverTest, ASingleTargetRetriesInPlaceAndHonoursRetryAfter) {
  scenario(R"([{"match":{"calls":[1]},
                "action":{"type":"error","exception":"ThrottlingException","message":"wait",
                          "retryAfterSeconds":1}}])");
  RetryConfig retry{.retry_delay = 10ms, .max_retry_delay = 5000ms};
  LLMManager manager({kHaiku}, {"us-east-1"}, auth(), retry, client(3), test::offline_catalog(),
                     seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"retry_same_target", "succeeded"}));
  EXPECT_EQ(response.attempts[1].backoff_before, 1000ms) << "Retry-After raises the wait";
  EXPECT_EQ(response.total_duration, 1000ms) << "waited on simulated time, exactly";
  EXPECT_EQ(manager.stats().retries, 1u);
}

TEST_F(FailoverTest, MaxRetriesCapsAttemptsAcrossTheWholeCall) {
  scenario(R"([{"match":{"operation":"Converse"},
                "action":{"type":"error","exception":"ThrottlingException"}}])");
  RetryConfig retry = quick();
  retry.max_retries = 1;
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2", "eu-west-1"}, auth(), retry, client(3),
                     test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  EXPECT_EQ(response.attempts.size(), 2u);
  EXPECT_NE(response.error->message.find("max_retries"), std::string::npos)
      << response.error->message;
  EXPECT_EQ(seen().size(), 2u);
}

// Reference scenario 3: a direct call refused for on-demand throughput switches at once to the
// regional profile, with a warning, and the manager remembers it for the next call.
TEST_F(FailoverTest, ProfileRequiredSwitchesToTheProfileAndIsRemembered) {
  scenario(R"([{"match":{"model":"anthropic.claude-3-haiku-20240307-v1:0"},
                "action":{"type":"requireProfile"}}])");
  LLMManager manager({"Claude 3 Haiku"}, {"us-east-1"}, auth(), quick(), client(0),
                     test::offline_catalog(), seams());
  const BedrockResponse first = manager.converse(ConverseRequest::from_prompt("one"));

  ASSERT_TRUE(first.ok()) << first.error->describe();
  EXPECT_EQ(decisions(first), (std::vector<std::string>{"switch_access_method", "succeeded"}));
  EXPECT_EQ(first.attempts[0].model_id, kHaiku);
  EXPECT_EQ(first.attempts[0].error->code, ErrorCode::InvalidArgument);
  EXPECT_EQ(first.attempts[1].model_id, kHaikuUsProfile);
  EXPECT_EQ(first.access_method, AccessMethod::RegionalProfile);
  EXPECT_EQ(first.profile_id, kHaikuUsProfile);
  EXPECT_EQ(first.model_id, kHaiku);
  ASSERT_EQ(first.warnings.size(), 1u);
  EXPECT_NE(first.warnings[0].find("requires an inference profile"), std::string::npos);

  const BedrockResponse second = manager.converse(ConverseRequest::from_prompt("two"));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second.attempts.size(), 1u);
  EXPECT_EQ(second.attempts[0].model_id, kHaikuUsProfile);

  // Learned per manager: a new manager starts from the direct id again.
  LLMManager fresh({"Claude 3 Haiku"}, {"us-east-1"}, auth(), quick(), client(0),
                   test::offline_catalog(), seams());
  EXPECT_EQ(fresh.converse(ConverseRequest::from_prompt("three")).attempts.size(), 2u);
}

// Reference scenario 4: a model that needs a profile where it has none moves on.
TEST_F(FailoverTest, ProfileRequiredWithoutAProfileMovesToTheNextTarget) {
  scenario(
      R"([{"match":{"model":"mistral.mistral-large-2402-v1:0"},"action":{"type":"requireProfile"}}])");
  LLMManager manager({"Mistral Large (24.02)", "Claude 3 Haiku"}, {"us-east-1"}, auth(), quick(),
                     client(0), test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"failover", "succeeded"}));
  EXPECT_EQ(response.model_name, "Claude 3 Haiku");
}

TEST_F(FailoverTest, TheAccessMethodPreferenceIsTriedFirst) {
  LLMManager manager({"Claude 3 Haiku"}, {"us-east-1"}, auth(),
                     RetryConfig{.access_method_preference = AccessMethod::RegionalProfile},
                     client(0), test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response.attempts[0].model_id, kHaikuUsProfile);
  CallOptions direct;
  direct.access_method_preference = AccessMethod::Direct;
  EXPECT_EQ(manager.converse(ConverseRequest::from_prompt("hi"), direct).attempts[0].model_id,
            kHaiku);
}

TEST_F(FailoverTest, ARequestErrorStopsAtOnceInsteadOfBurningEveryTarget) {
  scenario(R"([{"match":{"operation":"Converse"},
                "action":{"type":"error","exception":"ValidationException",
                          "message":"messages: final message must be from the user"}}])");
  LLMManager manager({kHaiku, "Nova Pro"}, {"us-east-1", "us-west-2"}, auth(), quick(), client(3),
                     test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::InvalidArgument);
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"stop"}));
  EXPECT_EQ(seen().size(), 1u);
}

TEST_F(FailoverTest, AccessDeniedInOneRegionMovesOnWithoutRetryingThere) {
  scenario(R"([{"match":{"region":"us-east-1"},
                "action":{"type":"error","exception":"AccessDeniedException","message":"no access"}}])");
  LLMManager manager({"Nova Lite"}, {"us-east-1", "us-west-2"}, auth(), quick(), client(3),
                     test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  // Direct refused, then its US profile refused too, then the next region.
  EXPECT_EQ(regions_of(response),
            (std::vector<std::string>{"us-east-1", "us-east-1", "us-west-2"}));
  EXPECT_EQ(decisions(response),
            (std::vector<std::string>{"switch_access_method", "failover", "succeeded"}));
}

TEST_F(FailoverTest, AStalledRegionTimesOutAndFailsOver) {
  scenario(R"([{"match":{"region":"us-east-1"},"action":{"type":"stall"}}])");
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), quick(), client(0, 300ms),
                     test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response.attempts[0].error->code, ErrorCode::Timeout);
  EXPECT_EQ(response.attempts[0].duration, 300ms);
  EXPECT_EQ(response.region, "us-west-2");
}

// A target not tried yet goes before a revisit whose backoff has long passed.
TEST_F(FailoverTest, UntriedTargetsComeBeforeRevisits) {
  scenario(
      R"([{"match":{"region":"us-east-1"},"action":{"type":"error","exception":"ThrottlingException"}},
               {"match":{"region":"us-west-2"},"action":{"type":"stall"}}])");
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2", "eu-west-1"}, auth(), quick(),
                     client(3, 200ms), test::offline_catalog(), seams());
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(regions_of(response),
            (std::vector<std::string>{"us-east-1", "us-west-2", "eu-west-1"}));
}

TEST_F(FailoverTest, TheTotalDeadlineEndsTheCallMidAttempt) {
  scenario(R"([{"match":{"region":"us-east-1"},"action":{"type":"stall"}}])");
  RetryConfig retry = quick();
  retry.total_deadline = 300ms;
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), retry, client(0, 10s),
                     test::offline_catalog(), seams());
  const auto started = std::chrono::steady_clock::now();
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Timeout);
  EXPECT_NE(response.error->message.find("deadline"), std::string::npos);
  EXPECT_EQ(response.attempts.size(), 1u);
  // The deadline, not the 10 s read timeout, ended it: exactly 300 ms of simulated time, and
  // never less than that in real time.
  EXPECT_EQ(response.total_duration, 300ms);
  EXPECT_GE(took, 300ms);
}

TEST_F(FailoverTest, RegionFirstAndModelFirstOrders) {
  scenario(
      R"([{"match":{"operation":"Converse"},"action":{"type":"error","exception":"ThrottlingException"}}])");
  auto order_of = [&](RetryStrategy strategy) {
    RetryConfig retry = quick();
    retry.retry_strategy = strategy;
    LLMManager manager({"Nova Lite", "Nova Pro"}, {"us-east-1", "us-west-2"}, auth(), retry,
                       client(0), test::offline_catalog(), seams());
    std::vector<std::string> order;
    for (const Attempt& a : manager.converse(ConverseRequest::from_prompt("x")).attempts) {
      order.push_back(a.model_name + "/" + a.region);
    }
    return order;
  };
  EXPECT_EQ(order_of(RetryStrategy::RegionFirst),
            (std::vector<std::string>{"Nova Lite/us-east-1", "Nova Lite/us-west-2",
                                      "Nova Pro/us-east-1", "Nova Pro/us-west-2"}));
  EXPECT_EQ(order_of(RetryStrategy::ModelFirst),
            (std::vector<std::string>{"Nova Lite/us-east-1", "Nova Pro/us-east-1",
                                      "Nova Lite/us-west-2", "Nova Pro/us-west-2"}));
}

TEST_F(FailoverTest, RotateStartsEachCallOneRegionFurther) {
  RetryConfig retry = quick();
  retry.region_order = RegionOrder::Rotate;
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2", "eu-west-1"}, auth(), retry, client(0),
                     test::offline_catalog(), seams());
  std::vector<std::string> first_regions;
  for (int i = 0; i < 4; ++i) {
    first_regions.push_back(manager.converse(ConverseRequest::from_prompt("x")).region);
  }
  EXPECT_EQ(first_regions,
            (std::vector<std::string>{"us-east-1", "us-west-2", "eu-west-1", "us-east-1"}));
}

// Reference scenario 5: rejected request fields are dropped for that target only, with a warning,
// and come back for the next target.
TEST_F(FailoverTest, RejectedRequestFieldsAreDroppedThenRestored) {
  scenario(R"([{"match":{"region":"us-east-1","calls":[1]},
                "action":{"type":"error","exception":"ValidationException",
                          "message":"The model returned the following errors: extraneous key [top_k] is not permitted"}},
               {"match":{"region":"us-east-1","calls":[1]},
                "action":{"type":"error","exception":"ThrottlingException"}}])");
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), quick(), client(0),
                     test::offline_catalog(), seams());
  ConverseRequest request = ConverseRequest::from_prompt("hi");
  request.additional_model_request_fields = JsonValue::parse(R"({"top_k": 5})");
  const BedrockResponse response = manager.converse(request);

  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(decisions(response),
            (std::vector<std::string>{"drop_parameters", "failover", "succeeded"}));
  const auto bodies = seen();
  ASSERT_EQ(bodies.size(), 3u);
  auto fields_sent = [&](std::size_t i) {
    return nlohmann::json::parse(bodies[i]["body"].get<std::string>())
        .contains("additionalModelRequestFields");
  };
  EXPECT_TRUE(fields_sent(0));
  EXPECT_FALSE(fields_sent(1));
  EXPECT_TRUE(fields_sent(2)) << "restored for the next target";
  ASSERT_FALSE(response.warnings.empty());
  EXPECT_NE(response.warnings[0].find("additionalModelRequestFields"), std::string::npos);
  ASSERT_TRUE(request.additional_model_request_fields.has_value())
      << "the caller's request is untouched";
}

// Reference scenarios 6 and 7: a model that refuses a media kind gets the request without it;
// the next model that accepts it gets it back. Nova Micro takes text only (model table).
TEST_F(FailoverTest, MediaAModelCannotTakeIsDroppedForItAndRestoredForTheNext) {
  scenario(R"([{"match":{"model":"amazon.nova-micro-v1:0"},
                "action":{"type":"error","exception":"ThrottlingException"}}])");
  LLMManager manager({"Nova Micro", "Nova Lite"}, {"us-east-1"}, auth(), quick(), client(0),
                     test::offline_catalog(), seams());
  ConverseRequest request;
  request.messages.push_back(Message{
      Role::User, {TextBlock{"describe"}, ImageBlock{"png", std::string("\x89PNG\r\n\x1a\n", 8)}}});
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.model_name, "Nova Lite");
  EXPECT_EQ(response.text(), "describe [image png 8 bytes]") << "Nova Lite saw the image";
  const auto bodies = seen();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["body"].get<std::string>().find("\"image\""), std::string::npos)
      << "Nova Micro was sent no image";
  ASSERT_FALSE(response.warnings.empty());
  EXPECT_NE(response.warnings[0].find("image blocks"), std::string::npos);
}

TEST_F(FailoverTest, ARequestNoTargetCanTakeFailsWithoutSendingAnything) {
  LLMManager manager({"Nova Micro"}, {"us-east-1", "us-west-2"}, emulator_->auth_config(), quick(),
                     client(0), test::offline_catalog(), seams());
  ConverseRequest request;
  request.messages.push_back(Message{Role::User, {ImageBlock{"png", std::string("\x89PNG", 4)}}});
  const BedrockResponse response = manager.converse(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::InvalidArgument);
  EXPECT_TRUE(response.attempts.empty());
  EXPECT_EQ(response.warnings.size(), 2u) << "one per skipped target";
  EXPECT_EQ(seen().size(), 0u);
}

TEST_F(FailoverTest, AFeatureRejectedByTheServiceIsDroppedOnTheSameTarget) {
  scenario(R"([{"match":{"calls":[1]},
                "action":{"type":"error","exception":"ValidationException",
                          "message":"This model doesn't support the video content block that you provided."}}])");
  LLMManager manager({"Nova Lite"}, {"us-east-1"}, auth(), quick(), client(0),
                     test::offline_catalog(), seams());
  ConverseRequest request;
  request.messages.push_back(Message{
      Role::User, {TextBlock{"watch"}, VideoBlock{"mp4", S3Location{"s3://bucket/clip.mp4", {}}}}});
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"drop_feature", "succeeded"}));
  EXPECT_EQ(response.text(), "watch");
  EXPECT_NE(response.warnings.at(0).find("video blocks"), std::string::npos);
}

TEST_F(FailoverTest, WithFallbackOffARejectedFeatureMovesOnInstead) {
  scenario(R"([{"match":{"region":"us-east-1"},
                "action":{"type":"error","exception":"ValidationException",
                          "message":"This model doesn't support tool use."}}])");
  RetryConfig retry = quick();
  retry.enable_feature_fallback = false;
  LLMManager manager({"Nova Lite"}, {"us-east-1", "us-west-2"}, auth(), retry, client(0),
                     test::offline_catalog(), seams());
  ConverseRequest request = ConverseRequest::from_prompt("hi");
  request.tool_config = ToolConfiguration{};
  request.tool_config->tools.push_back(
      ToolSpecification{"lookup", "finds things", JsonValue::parse(R"({"type":"object"})")});
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"failover", "succeeded"}));
  EXPECT_TRUE(response.warnings.empty());
}

// Reference scenario 8, fixed: a rejected answer makes the model answer again.
TEST_F(FailoverTest, ValidationFailuresCallTheModelAgain) {
  LLMManager manager({kHaiku}, {"us-east-1"}, auth(), quick(), client(0), test::offline_catalog(),
                     seams());
  auto checks = std::make_shared<std::atomic<int>>(0);
  CallOptions options;
  options.validation = ResponseValidationConfig{
      [checks](const BedrockResponse& candidate) {
        const int n = ++*checks;
        return n <= 2 ? ValidationResult{false, "not JSON: " + candidate.text()}
                      : ValidationResult{};
      },
      3};
  const BedrockResponse response =
      manager.converse(ConverseRequest::from_prompt("answer"), options);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(seen().size(), 3u) << "three model calls, one per check";
  ASSERT_EQ(response.validations.size(), 3u);
  EXPECT_FALSE(response.validations[0].success);
  EXPECT_EQ(response.validations[0].rejected_text, "answer");
  EXPECT_TRUE(response.validations[2].success);
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"retry_for_validation",
                                                           "retry_for_validation", "succeeded"}));

  options.validation->validator = [](const BedrockResponse&) -> ValidationResult {
    throw std::runtime_error("validator bug");
  };
  options.validation->retries = 1;
  const BedrockResponse rejected = manager.converse(ConverseRequest::from_prompt("x"), options);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error->code, ErrorCode::ResponseRejected);
  EXPECT_EQ(rejected.validations.size(), 2u);
  EXPECT_NE(rejected.validations[1].message.find("validator bug"), std::string::npos);
}

TEST_F(FailoverTest, ABreakerOpensAfterRepeatedThrottlesAndSkipsTheTarget) {
  scenario(
      R"([{"match":{"region":"us-east-1"},"action":{"type":"error","exception":"ThrottlingException"}}])");
  RetryConfig retry = quick();
  retry.circuit_breaker = {.enabled = true, .failure_threshold = 2, .cool_down = 60s};
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), retry, client(0),
                     test::offline_catalog(), seams());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(manager.converse(ConverseRequest::from_prompt("x")).attempts.size(), 2u);
  }
  EXPECT_EQ(manager.stats().breaker_opens, 1u);
  const BedrockResponse skipped = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_EQ(skipped.attempts.size(), 1u);
  EXPECT_EQ(skipped.attempts[0].region, "us-west-2");
}

TEST_F(FailoverTest, EveryAttemptIsReportedAsItEnds) {
  scenario(
      R"([{"match":{"region":"us-east-1"},"action":{"type":"error","exception":"ThrottlingException"}}])");
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth(), quick(), client(0),
                     test::offline_catalog(), seams());
  std::mutex mutex;
  std::vector<std::string> reported;
  CallOptions options;
  options.on_attempt = [&](const Attempt& attempt) {
    std::lock_guard lock(mutex);
    reported.push_back(attempt.region + " " + std::string(to_string(attempt.decision)));
  };
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("x"), options).ok());
  std::lock_guard lock(mutex);
  EXPECT_EQ(reported, (std::vector<std::string>{"us-east-1 failover", "us-west-2 succeeded"}));
}

TEST_F(FailoverTest, NamesResolveExactlyOrNotAtAll) {
  try {
    LLMManager manager({"Claude 3 Hiku"}, {"us-east-1"}, auth());
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("'Claude 3 Hiku'"), std::string::npos) << text;
    EXPECT_NE(text.find("'Claude 3 Haiku'"), std::string::npos) << text;
  }
  // Offered nowhere among these regions: refused at construction.
  EXPECT_THROW(LLMManager({"Claude 3.5 Haiku"}, {"eu-west-1"}, auth()), ConfigurationError);
  // Case and separators do not matter; raw ids pass through.
  LLMManager manager({"claude-3-haiku", "amazon.nova-pro-v1:0"}, {"us-east-1"}, auth());
  const auto access = manager.model_access("claude-3-haiku", "us-east-1");
  ASSERT_TRUE(access.has_value());
  EXPECT_EQ(access->model_id, kHaiku);
  EXPECT_EQ(access->regional_profile_id, std::optional<std::string>(kHaikuUsProfile));
  EXPECT_FALSE(manager.model_access("claude-3-haiku", "mars-north-1").has_value());
}

}  // namespace
}  // namespace llmm
