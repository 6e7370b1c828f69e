// The call engine's decisions for the whole fault matrix, on simulated time, against the real
// emulator: each exception, a reset, a stall, a corrupt stream, the total deadline and the
// breaker, with the exact attempt list and waits. One table, three callers: an LLMManager with
// one target, a RuntimeClient and a ControlPlaneClient classify the same fault the same way,
// because they run the same engine. Every case runs on each wire (plaintext HTTP/1.1, HTTPS
// with HTTP/1.1, HTTPS with HTTP/2): a reset is a TCP RST or an RST_STREAM, a stall a silent
// socket or a silent stream on a shared connection, and the engine must not see the difference.
#include <llmm/auth_manager.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "support/attempt_lists.hpp"
#include "support/emulator_process.hpp"
#include "support/fixed_seams.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"
#include "support/wire.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::decisions;
using test::regions_of;
using test::waits;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
// A silent server is given this long; it is the only real time these tests wait.
constexpr auto kReadTimeout = 200ms;

// Where a fault lies decides what follows it (engine/fault_triage.hpp).
enum class Lies { Transient, Target, Request };

struct FaultCase {
  const char* name;
  std::string action;  // the emulator scenario action
  ErrorCode code;
  Lies lies;
};

// Every fault a target can answer with, and what it means to the engine.
const std::vector<FaultCase>& fault_cases() {
  static const std::vector<FaultCase> cases = {
      {"throttling", R"({"type":"error","exception":"ThrottlingException"})", ErrorCode::Throttled,
       Lies::Transient},
      {"service unavailable", R"({"type":"error","exception":"ServiceUnavailableException"})",
       ErrorCode::ServiceUnavailable, Lies::Transient},
      {"internal server", R"({"type":"error","exception":"InternalServerException"})",
       ErrorCode::ServiceUnavailable, Lies::Transient},
      {"model not ready", R"({"type":"error","exception":"ModelNotReadyException"})",
       ErrorCode::ModelNotReady, Lies::Transient},
      {"connection reset", R"({"type":"reset"})", ErrorCode::ConnectionFailed, Lies::Transient},
      // HTTP/2: GOAWAY naming the stream unprocessed; HTTP/1.1: a close without an answer.
      {"goaway", R"({"type":"goaway"})", ErrorCode::ConnectionFailed, Lies::Transient},
      {"stall", R"({"type":"stall"})", ErrorCode::Timeout, Lies::Transient},
      {"model timeout (408)", R"({"type":"error","exception":"ModelTimeoutException"})",
       ErrorCode::Timeout, Lies::Target},
      {"access denied", R"({"type":"error","exception":"AccessDeniedException"})",
       ErrorCode::AccessDenied, Lies::Target},
      {"resource not found", R"({"type":"error","exception":"ResourceNotFoundException"})",
       ErrorCode::ModelNotFound, Lies::Target},
      {"model error", R"({"type":"error","exception":"ModelErrorException"})",
       ErrorCode::ModelError, Lies::Target},
      {"validation",
       R"({"type":"error","exception":"ValidationException","message":"Malformed input request"})",
       ErrorCode::InvalidArgument, Lies::Request},
      {"expired token", R"({"type":"error","exception":"ExpiredTokenException","status":403})",
       ErrorCode::Unauthenticated, Lies::Request},
  };
  return cases;
}

class FaultMatrixTest : public ::testing::TestWithParam<test::Wire> {
 protected:
  static void SetUpTestSuite() { tls_ = new test::TlsEmulator({"--seed", "7"}); }
  static void TearDownTestSuite() {
    delete tls_;
    tls_ = nullptr;
  }
  void SetUp() override {
    emulator_ = &tls_->process();
    emulator_->admin_reset();
  }
  // The wire the test meant is the one the emulator saw (ALPN's choice, counted per handshake).
  void TearDown() override {
    const auto tls = nlohmann::json::parse(emulator_->admin_counters())["tls"];
    const long long h2 = tls["byProtocol"].value("h2", 0LL);
    const long long http1 = tls["byProtocol"].value("http/1.1", 0LL);
    switch (GetParam()) {
      case test::Wire::PlainHttp1: EXPECT_EQ(tls["handshakes"], 0); break;
      case test::Wire::TlsHttp1:
        EXPECT_GT(http1, 0);
        EXPECT_EQ(h2, 0);
        break;
      case test::Wire::TlsHttp2:
        EXPECT_GT(h2, 0);
        EXPECT_EQ(http1, 0);
        break;
    }
    EXPECT_EQ(tls["failedHandshakes"], 0);
  }

  [[nodiscard]] AuthConfig auth_config() const { return tls_->auth_config(GetParam()); }
  static void scenario(const std::string& operation, const std::string& action) {
    const auto reply = emulator_->admin_put_scenario(
        R"({"rules":[{"match":{"operation":")" + operation + R"("},"action":)" + action + "}]}");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static long long requests_for(const std::string& operation) {
    const auto counters = nlohmann::json::parse(emulator_->admin_counters());
    return counters["byOperation"].value(operation, 0LL);
  }

  [[nodiscard]] ClientConfig client(ClientConfig::Options options = {
                                        .read_timeout = kReadTimeout,
                                        .retries_max_attempts = 1}) const {
    return tls_->client_config(GetParam(), options);
  }
  // Backoff from 100 ms with the jitter pinned at 0.5: the one retry waits exactly 50 ms.
  static RetryConfig retry() { return RetryConfig{.retry_delay = 100ms, .max_retry_delay = 1s}; }
  static Seams simulated(const std::shared_ptr<test::SimulatedClock>& clock) {
    return Seams{clock, std::make_shared<test::FixedRandom>(0.5)};
  }

  static test::TlsEmulator* tls_;
  static test::EmulatorProcess* emulator_;
};

test::TlsEmulator* FaultMatrixTest::tls_ = nullptr;
test::EmulatorProcess* FaultMatrixTest::emulator_ = nullptr;

bool silent(const FaultCase& fault) {
  return fault.code == ErrorCode::Timeout && fault.lies == Lies::Transient;
}

// What every caller must agree on for one fault. `routes` is how many ids the caller can reach
// the model by: the manager also has its inference profile, a client only the id it was given.
void expect_engine_verdict(const FaultCase& fault, const BedrockResponse& response,
                           const std::string& caller, int routes) {
  SCOPED_TRACE(caller + ": " + fault.name);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, fault.code) << response.error->describe();
  switch (fault.lies) {
    case Lies::Transient:  // the same target again, after the backoff
      EXPECT_EQ(decisions(response), (std::vector<std::string>{"retry_same_target", "stop"}));
      EXPECT_EQ(waits(response), (std::vector<long long>{0, 50}));
      break;
    case Lies::Target:  // the target's other ids at once, then nothing is left
      EXPECT_EQ(decisions(response),
                (routes == 2 ? std::vector<std::string>{"switch_access_method", "stop"}
                             : std::vector<std::string>{"stop"}));
      EXPECT_EQ(waits(response), std::vector<long long>(static_cast<std::size_t>(routes), 0));
      break;
    case Lies::Request:  // no target will do better: stop at once
      EXPECT_EQ(decisions(response), (std::vector<std::string>{"stop"}));
      break;
  }
  for (const Attempt& attempt : response.attempts) {
    ASSERT_TRUE(attempt.error.has_value());
    EXPECT_EQ(attempt.error->code, fault.code);
    EXPECT_EQ(attempt.region, "us-east-1");
    // Simulated time: an answered attempt takes none, a silent one exactly its read timeout.
    EXPECT_EQ(attempt.duration, silent(fault) ? std::chrono::milliseconds(kReadTimeout) : 0ms);
  }
  EXPECT_EQ(response.attempts.front().model_id, kHaiku);
}

TEST_P(FaultMatrixTest, TheManagerAndTheRuntimeClientDecideAlikeForEveryFault) {
  for (const FaultCase& fault : fault_cases()) {
    scenario("Converse", fault.action);
    {
      auto clock = std::make_shared<test::SimulatedClock>();
      LLMManager manager({kHaiku}, {"us-east-1"}, auth_config(), retry(), client(),
                         test::offline_catalog(), simulated(clock));
      const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
      expect_engine_verdict(fault, response, "LLMManager", 2);
      const auto stats = manager.stats();
      EXPECT_EQ(stats.attempts, response.attempts.size());
      EXPECT_EQ(stats.retries, fault.lies == Lies::Transient ? 1u : 0u);
      // The only simulated time that passed: the backoff and any read timeouts.
      EXPECT_EQ(response.total_duration, (fault.lies == Lies::Transient ? 50ms : 0ms) +
                                             (silent(fault) ? 2 * kReadTimeout : 0ms))
          << fault.name;
    }
    {
      auto clock = std::make_shared<test::SimulatedClock>();
      AuthManager auth(auth_config(), client(), simulated(clock));
      const BedrockResponse response = auth.runtime_client("us-east-1")
                                           ->converse(kHaiku, ConverseRequest::from_prompt("hi"),
                                                      BackoffPolicy{.base_delay = 100ms});
      expect_engine_verdict(fault, response, "RuntimeClient", 1);
    }
  }
}

TEST_P(FaultMatrixTest, TheControlPlaneRetriesExactlyTheSameFaults) {
  for (const FaultCase& fault : fault_cases()) {
    SCOPED_TRACE(fault.name);
    emulator_->admin_reset();
    scenario("ListFoundationModels", fault.action);
    auto clock = std::make_shared<test::SimulatedClock>();
    AuthManager auth(auth_config(), client(), simulated(clock));
    const auto models = auth.control_client("us-east-1")
                            ->list_foundation_models({}, BackoffPolicy{.base_delay = 100ms});
    ASSERT_FALSE(models.has_value());
    EXPECT_EQ(models.error().code, fault.code) << models.error().describe();
    EXPECT_EQ(requests_for("ListFoundationModels"), fault.lies == Lies::Transient ? 2 : 1);
  }
}

TEST_P(FaultMatrixTest, ACorruptStreamIsRetriedOnTheSameTarget) {
  scenario("ConverseStream", R"({"type":"corruptCrc","atEvent":1})");
  auto clock = std::make_shared<test::SimulatedClock>();
  LLMManager manager({kHaiku}, {"us-east-1"}, auth_config(), retry(), client(),
                     test::offline_catalog(), simulated(clock));
  StreamingResponse stream = manager.converse_stream(ConverseRequest::from_prompt("hi"));
  while (stream.next()) {}
  const BedrockResponse response = stream.response();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::StreamCorrupt);
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"retry_same_target", "stop"}));
  EXPECT_EQ(waits(response), (std::vector<long long>{0, 50}));
}

TEST_P(FaultMatrixTest, TheTotalDeadlineEndsAStalledAttemptAtExactlyTheDeadline) {
  scenario("Converse", R"({"type":"stall"})");
  auto clock = std::make_shared<test::SimulatedClock>();
  RetryConfig config = retry();
  config.total_deadline = 150ms;
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth_config(), config,
                     client({.read_timeout = 10s, .retries_max_attempts = 1}),
                     test::offline_catalog(), simulated(clock));
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hi"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Timeout);
  EXPECT_NE(response.error->message.find("deadline"), std::string::npos) << response.error->message;
  ASSERT_EQ(response.attempts.size(), 1u);
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"stop"}));
  EXPECT_EQ(response.attempts[0].duration, 150ms);
  EXPECT_EQ(response.total_duration, 150ms);
}

TEST_P(FaultMatrixTest, AnOpenBreakerSkipsItsTargetUntilTheCoolDownHasPassed) {
  emulator_->admin_put_scenario(
      R"({"rules":[{"match":{"region":"us-east-1","operation":"Converse"},
                    "action":{"type":"error","exception":"ThrottlingException"}}]})");
  auto clock = std::make_shared<test::SimulatedClock>();
  RetryConfig config = retry();
  config.circuit_breaker =
      CircuitBreakerConfig{.enabled = true, .failure_threshold = 1, .cool_down = 30s};
  LLMManager manager({kHaiku}, {"us-east-1", "us-west-2"}, auth_config(), config,
                     client({.read_timeout = kReadTimeout, .retries_max_attempts = 0}),
                     test::offline_catalog(), simulated(clock));
  const BedrockResponse first = manager.converse(ConverseRequest::from_prompt("one"));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(decisions(first), (std::vector<std::string>{"failover", "succeeded"}));
  EXPECT_EQ(manager.stats().breaker_opens, 1u);
  // us-east-1 is open: the next call goes straight to us-west-2, with no time passing.
  const BedrockResponse second = manager.converse(ConverseRequest::from_prompt("two"));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second.attempts.size(), 1u);
  EXPECT_EQ(second.attempts[0].region, "us-west-2");
  EXPECT_EQ(clock->elapsed(), 0ms);
}

INSTANTIATE_TEST_SUITE_P(Wires, FaultMatrixTest, test::all_wires(), test::wire_name);

}  // namespace
}  // namespace llmm
