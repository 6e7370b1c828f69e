// What a manager adds to each call's request, read back from the emulator's body log: default
// inference values under the call's own, model-specific fields and the 1M-context beta per
// target, the passthrough of unmodelled top-level members, the share of calls sent to the global
// profile, the caller's own retryable error types, and the stream's first and last token times.
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kHaiku = "Claude 3 Haiku";
constexpr const char* kSonnet4 = "Claude Sonnet 4";  // the catalog lists its 1M-context beta

class RequestOptionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "7", "--log-bodies"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->admin_reset(); }

  static void scenario(const std::string& body) {
    const auto reply = emulator_->admin_put_scenario(body);
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static LLMManagerOptions options(std::vector<std::string> models) {
    return LLMManagerOptions{.models = std::move(models),
                             .regions = {"us-east-1"},
                             .auth = emulator_->auth_config(),
                             .retry = {.retry_delay = 10ms, .max_retry_delay = 80ms},
                             .catalog = test::offline_catalog()};
  }

  // The bodies of the model calls the emulator saw, parsed, in order.
  static std::vector<json> bodies() {
    std::vector<json> out;
    const json log = json::parse(emulator_->admin_requests());
    for (const auto& entry : log["requests"]) {
      if (entry["operation"] == "Converse" || entry["operation"] == "ConverseStream") {
        out.push_back(json::parse(entry["body"].get<std::string>()));
      }
    }
    return out;
  }

  static test::EmulatorProcess* emulator_;
};

test::EmulatorProcess* RequestOptionsTest::emulator_ = nullptr;

TEST_F(RequestOptionsTest, DefaultInferenceValuesGoUnderTheCallsOwn) {
  auto settings = options({kHaiku});
  settings.default_inference_config = {
      .max_tokens = 200, .temperature = 0.2, .stop_sequences = {"END"}};
  const LLMManager manager(settings);
  ConverseRequest request = ConverseRequest::from_prompt("hello");
  request.inference_config.temperature = 0.9;
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  ASSERT_EQ(bodies().size(), 1U);
  EXPECT_EQ(bodies()[0]["inferenceConfig"],
            json::parse(R"({"maxTokens":200,"temperature":0.9,"stopSequences":["END"]})"));
  EXPECT_EQ(request.inference_config.max_tokens, std::nullopt) << "the caller's request is kept";
}

TEST_F(RequestOptionsTest, ExtendedContextReachesTheWireOnlyForAModelThatTakesIt) {
  const LLMManager sonnet(options({kSonnet4}));
  CallOptions extended;
  extended.enable_extended_context = true;
  const BedrockResponse accepted = sonnet.converse(ConverseRequest::from_prompt("hi"), extended);
  ASSERT_TRUE(accepted.ok()) << accepted.error->describe();
  EXPECT_TRUE(accepted.warnings.empty());

  const LLMManager haiku(options({kHaiku}));
  const BedrockResponse left_out = haiku.converse(ConverseRequest::from_prompt("hi"), extended);
  ASSERT_TRUE(left_out.ok()) << left_out.error->describe();
  ASSERT_EQ(left_out.warnings.size(), 1U);
  EXPECT_NE(left_out.warnings[0].find("context-1m-2025-08-07"), std::string::npos);

  const auto sent = bodies();
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[0]["additionalModelRequestFields"]["anthropic_beta"],
            json::parse(R"(["context-1m-2025-08-07"])"));
  EXPECT_FALSE(sent[1].contains("additionalModelRequestFields")) << sent[1].dump();
}

TEST_F(RequestOptionsTest, ModelSpecificFieldsFollowEachTargetOfAFailover) {
  // Sonnet 4 (through its US profile) is throttled: the call fails over to Haiku, which is sent
  // the custom fields but not the beta it does not take.
  scenario(R"({"rules":[{"match":{"model":"us.anthropic.claude-sonnet-4-20250514-v1:0"},
                         "action":{"type":"error","exception":"ThrottlingException"}}]})");
  auto settings = options({kSonnet4, kHaiku});
  settings.model_specific = ModelSpecificConfig{
      .enable_extended_context = true,
      .custom_fields =
          JsonValue::parse(R"({"anthropic_beta":["interleaved-thinking-2025-05-14"]})")};
  const LLMManager manager(settings);
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.model_name, kHaiku);

  const auto sent = bodies();
  ASSERT_GE(sent.size(), 2U);
  EXPECT_EQ(sent.front()["additionalModelRequestFields"]["anthropic_beta"],
            json::parse(R"(["interleaved-thinking-2025-05-14","context-1m-2025-08-07"])"));
  // Haiku refuses the interleaved-thinking flag too: the fallback drops the fields for it.
  EXPECT_FALSE(sent.back().contains("additionalModelRequestFields")) << sent.back().dump();
  EXPECT_EQ(std::count_if(response.warnings.begin(), response.warnings.end(),
                          [](const std::string& warning) {
                            return warning.find("context-1m-2025-08-07") != std::string::npos;
                          }),
            1);
}

TEST_F(RequestOptionsTest, ExtraRequestFieldsArriveVerbatimAndWinOverTypedMembers) {
  const LLMManager manager(options({kHaiku}));
  ConverseRequest request = ConverseRequest::from_prompt("hello");
  request.inference_config.max_tokens = 100;
  request.extra_request_fields =
      JsonValue::parse(R"({"inferenceConfig":{"maxTokens":7},"futureMember":{"b":[1,"two"]}})");
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  const auto sent = bodies();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0]["futureMember"], json::parse(R"({"b":[1,"two"]})"));
  EXPECT_EQ(sent[0]["inferenceConfig"], json::parse(R"({"maxTokens":7})"));
}

TEST_F(RequestOptionsTest, ExtraRequestFieldsThatAreNotAnObjectStopTheCallNamingThem) {
  const LLMManager manager(options({kHaiku}));
  ConverseRequest request = ConverseRequest::from_prompt("hello");
  request.extra_request_fields = JsonValue::parse("[1]");
  const BedrockResponse response = manager.converse(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::InvalidArgument);
  EXPECT_NE(response.error->message.find("extra_request_fields"), std::string::npos);
  EXPECT_TRUE(bodies().empty()) << "nothing was sent";
}

TEST_F(RequestOptionsTest, BadModelSpecificFieldsAreRefusedBeforeAnythingIsSent) {
  auto settings = options({kHaiku});
  settings.model_specific = ModelSpecificConfig{.custom_fields = JsonValue::parse("3")};
  EXPECT_THROW(LLMManager{settings}, std::invalid_argument);
  const LLMManager manager(options({kHaiku}));
  CallOptions bad;
  bad.model_specific = ModelSpecificConfig{.custom_fields = JsonValue::parse("[]")};
  EXPECT_THROW((void)manager.converse(ConverseRequest::from_prompt("hi"), bad),
               std::invalid_argument);
  EXPECT_TRUE(bodies().empty());
}

TEST_F(RequestOptionsTest, AFractionOfCallsGoesToTheGlobalProfileAndSaysSo) {
  // Claude Haiku 4.5 is reached in us-east-1 through its US profile, else its global one.
  for (const double fraction : {0.25, 1.0 / 3.0}) {
    emulator_->admin_reset();
    auto settings = options({"Claude Haiku 4.5"});
    settings.retry.global_cris_fraction = fraction;
    const LLMManager manager(settings);
    constexpr int kCalls = 1000;
    int global = 0;
    for (int call = 1; call <= kCalls; ++call) {
      const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
      ASSERT_TRUE(response.ok()) << response.error->describe();
      ASSERT_EQ(response.attempts.size(), 1U);
      const bool went_global = response.access_method == AccessMethod::GlobalProfile;
      EXPECT_EQ(response.attempts[0].access_method, response.access_method);
      EXPECT_EQ(response.profile_id.starts_with("global."), went_global) << response.profile_id;
      global += went_global ? 1 : 0;
      // The deterministic rule: every prefix is within one call of its share.
      ASSERT_LT(std::abs(global - call * fraction), 1.0) << "after " << call << " calls";
    }
    EXPECT_EQ(global, static_cast<int>(kCalls * fraction)) << fraction;
    int sent_global = 0;
    const json log = json::parse(emulator_->admin_requests());
    for (const auto& entry : log["requests"]) {
      sent_global += entry["path"].get<std::string>().starts_with("/model/global.") ? 1 : 0;
    }
    EXPECT_EQ(sent_global, global) << "the responses say what was sent";
  }
  auto bad = options({kHaiku});
  bad.retry.global_cris_fraction = 1.5;
  EXPECT_THROW(LLMManager{bad}, std::invalid_argument);
}

TEST_F(RequestOptionsTest, TheCallersRetryableErrorsAreRetriedOnTheSameTarget) {
  // A 424 model error makes the manager try the target's other route (its profile), then give
  // up on it (with one model in one region, the call fails), unless the caller lists it as
  // retryable: then the same route is tried again after a backoff.
  const std::string first_fails = R"({"rules":[{"match":{"calls":[1,2]},
      "action":{"type":"error","exception":"ModelErrorException"}}]})";
  scenario(first_fails);
  const LLMManager plain(options({kHaiku}));
  const BedrockResponse failed = plain.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error->code, ErrorCode::ModelError);
  ASSERT_EQ(failed.attempts.size(), 2U);
  EXPECT_EQ(failed.attempts[0].decision, AttemptDecision::SwitchAccessMethod);

  emulator_->admin_reset();
  scenario(first_fails);
  auto settings = options({kHaiku});
  settings.retry.retryable_errors = {"ModelErrorException"};
  settings.seams = {std::make_shared<test::SimulatedClock>(),
                    std::make_shared<test::FixedRandom>(0.5)};
  const LLMManager listed(settings);
  const BedrockResponse retried = listed.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(retried.ok()) << retried.error->describe();
  ASSERT_EQ(retried.attempts.size(), 3U);
  EXPECT_EQ(retried.attempts[0].decision, AttemptDecision::RetrySameTarget);
  EXPECT_EQ(retried.attempts[1].decision, AttemptDecision::RetrySameTarget);
  // Full jitter at 0.5 of 10 ms, then of 20 ms.
  EXPECT_EQ(retried.attempts[1].backoff_before, 5ms);
  EXPECT_EQ(retried.attempts[2].backoff_before, 10ms);
  for (const Attempt& attempt : retried.attempts) {
    EXPECT_EQ(attempt.access_method, AccessMethod::Direct) << "the same route each time";
  }

  auto blank = options({kHaiku});
  blank.retry.retryable_errors = {" "};
  EXPECT_THROW(LLMManager{blank}, std::invalid_argument);
}

TEST_F(RequestOptionsTest, AStreamReportsItsFirstAndLastTokenTimes) {
  // The emulator holds the first event 150 ms; the times are on the manager's clock (real here).
  scenario(R"({"latency":{"timeToFirstTokenMs":150,"tokensPerSecond":0},"rules":[]})");
  const LLMManager manager(options({kHaiku}));
  StreamingResponse stream =
      manager.converse_stream(ConverseRequest::from_prompt("one two three four five six seven"));
  const BedrockResponse& response = stream.response();
  ASSERT_TRUE(response.ok()) << response.error->describe();
  ASSERT_TRUE(response.time_to_first_token.has_value());
  ASSERT_TRUE(response.time_to_last_token.has_value());
  EXPECT_GE(*response.time_to_first_token, 150ms) << "never before the server sent it";
  EXPECT_LE(*response.time_to_first_token, *response.time_to_last_token);
  EXPECT_LE(*response.time_to_last_token, response.total_duration);

  const BedrockResponse plain = manager.converse(ConverseRequest::from_prompt("hi"));
  EXPECT_FALSE(plain.time_to_first_token.has_value()) << "Converse is not a stream";
}

}  // namespace
}  // namespace llmm
