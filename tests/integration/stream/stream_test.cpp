// converse_stream against the real emulator: the exact text the consumer receives (no
// duplicates, no losses beyond what is stated), the attempts, recoveries and honesty of the
// final response, and the caller's request left unchanged. Every case runs on each wire:
// plaintext HTTP/1.1, HTTPS with HTTP/1.1, HTTPS with HTTP/2 (a cut stream is then an RST_STREAM,
// a stalled one a silent stream on a shared connection).
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"
#include "support/wire.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
const std::string kPrompt = "one two three four five six seven eight nine ten";

// Shared by both suites: one TLS emulator serves the three wires.
struct StreamSuite {
  static void start() { tls = new test::TlsEmulator({"--seed", "7"}); }
  static void stop() {
    delete tls;
    tls = nullptr;
  }

  static void scenario(const std::string& document) {
    const auto reply = tls->process().admin_put_scenario(document);
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static std::unique_ptr<LLMManager> manager_on(test::Wire wire, std::vector<std::string> regions,
                                                std::chrono::milliseconds read_timeout, int retries,
                                                std::shared_ptr<Clock> clock = Clock::system()) {
    return std::make_unique<LLMManager>(
        std::vector<std::string>{kHaiku}, std::move(regions), tls->auth_config(wire),
        RetryConfig{.retry_delay = 10ms, .max_retry_delay = 50ms},
        tls->client_config(wire, {.read_timeout = read_timeout, .retries_max_attempts = retries}),
        test::offline_catalog(), Seams{std::move(clock), std::make_shared<test::FixedRandom>(0.5)});
  }

  // Pulls every event; returns the concatenated text events.
  static std::string drain(StreamingResponse& stream,
                           std::vector<StreamEventType>* types = nullptr) {
    std::string text;
    while (auto event = stream.next()) {
      if (types) types->push_back(event->type);
      if (event->type == StreamEventType::Text) text += event->text;
    }
    return text;
  }

  static test::TlsEmulator* tls;
};

test::TlsEmulator* StreamSuite::tls = nullptr;

class StreamTest : public ::testing::TestWithParam<test::Wire>, protected StreamSuite {
 protected:
  static void SetUpTestSuite() { start(); }
  static void TearDownTestSuite() { stop(); }
  void SetUp() override { tls->process().admin_reset(); }

  [[nodiscard]] std::unique_ptr<LLMManager> manager(std::vector<std::string> regions,
                                                    std::chrono::milliseconds read_timeout = 10s,
                                                    int retries = 0) const {
    return manager_on(GetParam(), std::move(regions), read_timeout, retries);
  }
};

TEST_P(StreamTest, AHappyStreamGivesEveryEventAndTheSameResponseAsConverse) {
  auto llm = manager({"us-east-1"});
  const ConverseRequest request = ConverseRequest::from_prompt(kPrompt);
  StreamingResponse stream = llm->converse_stream(request);
  std::vector<StreamEventType> types;
  const std::string text = drain(stream, &types);
  const BedrockResponse& response = stream.response();

  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(text, kPrompt);
  EXPECT_EQ(response.text(), kPrompt);
  EXPECT_EQ(response.stop_reason(), "end_turn");
  EXPECT_GT(response.usage().output_tokens, 0);
  EXPECT_EQ(response.attempts.size(), 1u);
  EXPECT_EQ(response.region, "us-east-1");
  EXPECT_EQ(response.model_id, kHaiku);
  EXPECT_TRUE(response.recoveries.empty());
  EXPECT_EQ(types.back(), StreamEventType::Metadata);
  EXPECT_NE(std::find(types.begin(), types.end(), StreamEventType::MessageStop), types.end());

  const BedrockResponse whole = llm->converse(request);
  EXPECT_EQ(whole.text(), response.text());
  EXPECT_EQ(whole.usage().input_tokens, response.usage().input_tokens);
}

TEST_P(StreamTest, FailoverBeforeTheFirstTokenIsExactlyConverses) {
  scenario(R"({"rules":[{"match":{"region":"us-east-1"},
               "action":{"type":"error","exception":"ThrottlingException"}}]})");
  auto llm = manager({"us-east-1", "us-west-2"});
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt));
  EXPECT_EQ(drain(stream), kPrompt);
  const BedrockResponse& response = stream.response();
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response.attempts.size(), 2u);
  EXPECT_EQ(response.attempts[0].error->code, ErrorCode::Throttled);
  EXPECT_EQ(response.attempts[0].decision, AttemptDecision::Failover);
  EXPECT_EQ(response.region, "us-west-2");
  EXPECT_TRUE(response.recoveries.empty());
}

TEST_P(StreamTest, AProfileRequirementSwitchesBeforeTheFirstToken) {
  scenario(R"({"rules":[{"match":{"model":"anthropic.claude-3-haiku-20240307-v1:0"},
               "action":{"type":"requireProfile"}}]})");
  auto llm = manager({"us-east-1"});
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt));
  EXPECT_EQ(drain(stream), kPrompt);
  const BedrockResponse& response = stream.response();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response.access_method, AccessMethod::RegionalProfile);
  EXPECT_EQ(response.attempts[0].decision, AttemptDecision::SwitchAccessMethod);
}

// Each way a stream can break after content started: the next target continues, and the
// consumer receives the answer exactly once.
struct Break {
  const char* name;
  const char* action;
};

class StreamRecoveryTest : public ::testing::TestWithParam<std::tuple<Break, test::Wire>>,
                           protected StreamSuite {
 protected:
  static void SetUpTestSuite() { start(); }
  static void TearDownTestSuite() { stop(); }
  void SetUp() override { tls->process().admin_reset(); }
};

TEST_P(StreamRecoveryTest, RecoversWithoutDuplicatingText) {
  scenario(
      std::string(
          R"({"rules":[{"match":{"region":"us-east-1","operation":"ConverseStream"},"action":)") +
      std::get<0>(GetParam()).action + "}]}");
  auto llm = manager_on(std::get<1>(GetParam()), {"us-east-1", "us-west-2"}, 300ms, 0);
  const ConverseRequest request = ConverseRequest::from_prompt(kPrompt);
  const ConverseRequest copy = request;
  std::vector<StreamEventType> types;
  StreamingResponse stream = llm->converse_stream(request);
  const std::string text = drain(stream, &types);
  const BedrockResponse& response = stream.response();

  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(text, kPrompt) << "no duplicate, no loss";
  EXPECT_EQ(response.text(), kPrompt);
  ASSERT_GE(response.attempts.size(), 2u);
  EXPECT_EQ(response.attempts.back().region, "us-west-2");
  ASSERT_GE(response.recoveries.size(), 1u);
  EXPECT_GT(response.recoveries[0].characters_kept, 0u);
  EXPECT_LT(response.recoveries[0].characters_kept, kPrompt.size());
  EXPECT_NE(std::find(types.begin(), types.end(), StreamEventType::Recovery), types.end());
  EXPECT_EQ(request, copy) << "the caller's request is never modified";
}

INSTANTIATE_TEST_SUITE_P(
    Breaks, StreamRecoveryTest,
    ::testing::Combine(
        ::testing::Values(
            Break{"cut", R"({"type":"streamCut","afterEvents":3})"},
            Break{"crc", R"({"type":"corruptCrc","atEvent":3})"},
            Break{
                "throttled",
                R"({"type":"streamException","exception":"throttlingException","afterEvents":3})"},
            Break{
                "model_error",
                R"({"type":"streamException","exception":"modelStreamErrorException","afterEvents":4})"},
            Break{"stall", R"({"type":"streamStall","afterEvents":3})"}),
        test::all_wires()),
    [](const auto& info) {
      return std::string(std::get<0>(info.param).name) + "_" +
             test::wire_name(
                 ::testing::TestParamInfo<test::Wire>(std::get<1>(info.param), info.index));
    });

TEST_P(StreamTest, WithoutRecoveryACutStreamIsAFailureCarryingItsPartialText) {
  scenario(R"({"rules":[{"match":{"operation":"ConverseStream"},
               "action":{"type":"streamCut","afterEvents":3}}]})");
  auto llm = manager({"us-east-1", "us-west-2"});
  StreamOptions options;
  options.recover = false;
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt), options);
  const std::string text = drain(stream);
  const BedrockResponse& response = stream.response();
  ASSERT_FALSE(response.ok());
  ASSERT_TRUE(response.partial_output.has_value()) << response.error->describe();
  EXPECT_EQ(response.partial_output->text(), text);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(kPrompt.rfind(text, 0), 0u) << "what arrived is a prefix of the answer";
  EXPECT_EQ(response.attempts.size(), 1u);
}

TEST_P(StreamTest, AStreamThatFailsBeforeAnyContentIsAFailure) {
  scenario(R"({"rules":[{"match":{"operation":"ConverseStream"},
               "action":{"type":"streamException","exception":"throttlingException","afterEvents":0}}]})");
  auto llm = manager({"us-east-1", "us-west-2"});
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt));
  EXPECT_EQ(drain(stream), "");
  const BedrockResponse& response = stream.response();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Throttled);
  EXPECT_FALSE(response.partial_output.has_value());
  EXPECT_EQ(response.attempts.size(), 2u);
}

TEST_P(StreamTest, AStallBeforeTheFirstTokenFailsOverAfterTheFirstTokenLimit) {
  scenario(R"({"rules":[{"match":{"region":"us-east-1","operation":"ConverseStream"},
               "action":{"type":"delay","ms":3000}}]})");
  auto clock = std::make_shared<test::SimulatedClock>();
  auto llm = manager_on(GetParam(), {"us-east-1", "us-west-2"}, 10s, 0, clock);
  StreamOptions options;
  options.first_token_timeout = 200ms;
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt), options);
  EXPECT_EQ(drain(stream), kPrompt);
  const BedrockResponse& response = stream.response();
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response.attempts.size(), 2u);
  EXPECT_EQ(response.attempts[0].error->code, ErrorCode::Timeout);
  EXPECT_NE(response.attempts[0].error->message.find("first token"), std::string::npos);
  // Cut by the first-token limit, not by the 3 s delay or the 10 s read timeout.
  EXPECT_EQ(response.attempts[0].duration, 200ms);
}

// Every region's stream goes silent after two deltas: each break is past the read timeout, the
// second target only repeats what the consumer has, and the call fails carrying what arrived.
TEST_P(StreamTest, AStallMidStreamEverywhereEndsHonestlyWithThePartialText) {
  scenario(R"({"rules":[{"match":{"operation":"ConverseStream"},
               "action":{"type":"streamStall","afterEvents":3}}]})");
  auto llm = manager({"us-east-1", "us-west-2"}, 300ms);
  StreamingResponse stream = llm->converse_stream(ConverseRequest::from_prompt(kPrompt));
  const std::string text = drain(stream);
  const BedrockResponse& response = stream.response();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Timeout);
  ASSERT_TRUE(response.partial_output.has_value());
  EXPECT_EQ(response.partial_output->text(), text);
  EXPECT_EQ(text, "one two three four five six ") << "two deltas of three words, once";
  EXPECT_EQ(response.attempts.size(), 2u);
  ASSERT_EQ(response.recoveries.size(), 1u);
  EXPECT_EQ(response.recoveries[0].characters_kept, text.size());
}

INSTANTIATE_TEST_SUITE_P(Wires, StreamTest, test::all_wires(), test::wire_name);

}  // namespace
}  // namespace llmm
