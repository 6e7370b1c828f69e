// Logging and metrics of real calls against the real emulator: the structured fields of each
// attempt and call, level filtering, the wire lines' redaction (a sentinel session token and
// the secret key never reach a line at any level, bodies or not), and the Prometheus output
// parsed by a strict third-party parser (python3-prometheus-client) with counts equal to the
// calls made.
#include <llmm/llm_manager.hpp>
#include <llmm/logging.hpp>
#include <llmm/metrics_registry.hpp>
#include <llmm/parallel_llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "support/prometheus_samples.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr const char* kSentinelToken = "SENTINEL-SESSION-TOKEN-7f3a9c";

// Every record a sink got: its line and its fields, copied (a record lives only during the call).
class RecordingSink {
 public:
  struct Entry {
    LogLevel level;
    std::string message;
    std::string line;
    std::map<std::string, std::string> fields;
  };

  LogSink sink() {
    return [this](const LogRecord& record) {
      Entry entry{record.level, std::string(record.message), format_log_line(record), {}};
      for (const LogField& field : record.fields) {
        entry.fields[std::string(field.name)] = std::string(field.value);
      }
      const std::lock_guard lock(mutex_);
      entries_.push_back(std::move(entry));
    };
  }

  std::vector<Entry> entries() const {
    const std::lock_guard lock(mutex_);
    return entries_;
  }

  std::vector<Entry> with_message(std::string_view message) const {
    std::vector<Entry> found;
    for (const Entry& entry : entries()) {
      if (entry.message == message) found.push_back(entry);
    }
    return found;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

class TelemetryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "11"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->admin_reset(); }

  // us-east-1 refuses every Converse for rate (no Retry-After): each call fails over to
  // us-west-2.
  static void throttle_us_east_1() {
    const auto reply = emulator_->admin_put_scenario(
        R"({"rules":[{"name":"east throttled","match":{"region":"us-east-1"},)"
        R"("action":{"type":"error","exception":"ThrottlingException","message":"slow down"}}]})");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  static LLMManagerOptions options(LoggingConfig logging,
                                   std::shared_ptr<MetricsRegistry> metrics = nullptr) {
    AuthConfig auth = emulator_->auth_config();
    auth.session_token = kSentinelToken;  // the emulator takes any token with its fixed keys
    return LLMManagerOptions{.models = {"Claude 3 Haiku"},
                             .regions = {"us-east-1", "us-west-2"},
                             .auth = std::move(auth),
                             .retry = {.retry_delay = 1ms, .max_retry_delay = 5ms},
                             .catalog = test::offline_catalog(),
                             .logging = std::move(logging),
                             .metrics = std::move(metrics)};
  }

  static test::EmulatorProcess* emulator_;
};

test::EmulatorProcess* TelemetryTest::emulator_ = nullptr;

TEST_F(TelemetryTest, DebugGivesEachAttemptAndInfoEachCallWithTheirFields) {
  throttle_us_east_1();
  RecordingSink records;
  const LLMManager manager(options({.level = LogLevel::Debug, .sink = records.sink()}));
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hello"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  ASSERT_EQ(response.attempts.size(), 2U);

  const auto attempts = records.with_message("attempt ended");
  ASSERT_EQ(attempts.size(), 2U);
  const auto& first = attempts[0].fields;
  EXPECT_EQ(attempts[0].level, LogLevel::Debug);
  EXPECT_EQ(first.at("call"), "1");
  EXPECT_EQ(first.at("attempt"), "1");
  EXPECT_EQ(first.at("model"), "Claude 3 Haiku");
  EXPECT_EQ(first.at("model_id"), response.attempts[0].model_id);
  EXPECT_EQ(first.at("region"), "us-east-1");
  EXPECT_EQ(first.at("access_method"), to_string(response.attempts[0].access_method));
  EXPECT_EQ(first.at("decision"), "failover");
  EXPECT_EQ(first.at("outcome"), "Throttled");
  EXPECT_EQ(first.at("http_status"), "429");
  EXPECT_EQ(first.at("error_type"), "ThrottlingException");
  EXPECT_EQ(first.at("error"), "slow down");
  EXPECT_FALSE(first.at("request_id").empty());
  EXPECT_EQ(first.at("request_id"), response.attempts[0].request_id);
  EXPECT_TRUE(first.contains("duration_ms"));
  const auto& second = attempts[1].fields;
  EXPECT_EQ(second.at("attempt"), "2");
  EXPECT_EQ(second.at("region"), "us-west-2");
  EXPECT_EQ(second.at("decision"), "succeeded");
  EXPECT_EQ(second.at("outcome"), "success");
  EXPECT_FALSE(second.contains("error"));
  EXPECT_EQ(second.at("request_id"), response.output->request_id);
  EXPECT_NE(first.at("request_id"), second.at("request_id"));

  const auto ended = records.with_message("call ended");
  ASSERT_EQ(ended.size(), 1U);
  EXPECT_EQ(ended[0].level, LogLevel::Info);
  const auto& call = ended[0].fields;
  EXPECT_EQ(call.at("call"), "1");
  EXPECT_EQ(call.at("attempts"), "2");
  EXPECT_EQ(call.at("region"), "us-west-2");
  EXPECT_EQ(call.at("outcome"), "success");
  EXPECT_EQ(call.at("request_id"), response.output->request_id);
  EXPECT_EQ(call.at("input_tokens"), std::to_string(response.usage().input_tokens));
  EXPECT_EQ(call.at("output_tokens"), std::to_string(response.usage().output_tokens));
  EXPECT_EQ(records.with_message("request").size(), 0U) << "wire lines are Trace";

  // The next call has the next id.
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("again")).ok());
  EXPECT_EQ(records.with_message("call ended").at(1).fields.at("call"), "2");
}

TEST_F(TelemetryTest, AFailedCallIsAWarningWithItsErrorAndRequestId) {
  const auto reply = emulator_->admin_put_scenario(
      R"({"rules":[{"name":"all denied","match":{},"action":{"type":"error",)"
      R"("exception":"AccessDeniedException","message":"not for you"}}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  RecordingSink records;
  const LLMManager manager(options({.level = LogLevel::Warning, .sink = records.sink()}));
  const BedrockResponse response = manager.converse(ConverseRequest::from_prompt("hello"));
  ASSERT_FALSE(response.ok());

  EXPECT_TRUE(records.with_message("attempt ended").empty()) << "Debug is off";
  EXPECT_TRUE(records.with_message("call ended").empty()) << "Info is off";
  const auto failed = records.with_message("call failed");
  ASSERT_EQ(failed.size(), 1U);
  EXPECT_EQ(failed[0].level, LogLevel::Warning);
  EXPECT_EQ(failed[0].fields.at("outcome"), to_string(response.error->code));
  EXPECT_EQ(failed[0].fields.at("error_type"), "AccessDeniedException");
  EXPECT_EQ(failed[0].fields.at("request_id"), response.error->request_id);
  EXPECT_FALSE(response.error->request_id.empty());
}

TEST_F(TelemetryTest, OffOrNoSinkLogsNothing) {
  throttle_us_east_1();
  RecordingSink records;
  const LLMManager off(options({.level = LogLevel::Off, .sink = records.sink()}));
  ASSERT_TRUE(off.converse(ConverseRequest::from_prompt("hello")).ok());
  const LLMManager no_sink(options({.level = LogLevel::Trace}));
  ASSERT_TRUE(no_sink.converse(ConverseRequest::from_prompt("hello")).ok());
  EXPECT_TRUE(records.entries().empty());
}

TEST_F(TelemetryTest, TraceShowsTheWireWithCredentialHeadersRedacted) {
  throttle_us_east_1();
  RecordingSink records;
  const LLMManager manager(options({.level = LogLevel::Trace, .sink = records.sink()}));
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("hello there")).ok());

  const auto requests = records.with_message("request");
  const auto replies = records.with_message("reply");
  ASSERT_EQ(requests.size(), 2U);
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(requests[0].fields.at("method"), "POST");
  EXPECT_NE(requests[0].fields.at("url").find("/converse"), std::string::npos);
  const std::string& headers = requests[0].fields.at("headers");
  EXPECT_NE(headers.find("authorization: ***"), std::string::npos) << headers;
  EXPECT_NE(headers.find("x-amz-security-token: ***"), std::string::npos) << headers;
  EXPECT_EQ(requests[0].fields.at("body"), "(not logged)");
  EXPECT_EQ(replies[0].fields.at("status"), "429");
  EXPECT_EQ(replies[1].fields.at("status"), "200");
}

// The sentinel: at every level, with bodies logged, through success, failover, a stream and a
// refused signature, no line holds the session token, the secret key or a signature.
TEST_F(TelemetryTest, NoSecretReachesAnyLineAtAnyLevel) {
  const std::string secret = emulator_->auth_config().secret_access_key;
  for (const LogLevel level :
       {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    SCOPED_TRACE(std::string(to_string(level)));
    throttle_us_east_1();
    RecordingSink records;
    const LLMManager manager(options({.level = level, .sink = records.sink(), .log_bodies = true}));
    ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("a prompt")).ok());
    StreamingResponse stream = manager.converse_stream(ConverseRequest::from_prompt("streamed"));
    while (stream.next()) {}
    ASSERT_TRUE(stream.response().ok());

    // A key the emulator does not know: refused, logged as a failure.
    LLMManagerOptions refused =
        options({.level = level, .sink = records.sink(), .log_bodies = true});
    refused.auth.access_key_id = "AKIDUNKNOWN";
    EXPECT_FALSE(LLMManager(std::move(refused)).converse(ConverseRequest::from_prompt("x")).ok());

    const auto entries = records.entries();
    if (level <= LogLevel::Warning) {
      EXPECT_FALSE(entries.empty());
    }
    for (const auto& entry : entries) {
      EXPECT_EQ(entry.line.find(kSentinelToken), std::string::npos) << entry.line;
      EXPECT_EQ(entry.line.find(secret), std::string::npos) << entry.line;
      EXPECT_EQ(entry.line.find("Signature="), std::string::npos) << entry.line;
    }
    if (level == LogLevel::Trace) {
      EXPECT_FALSE(records.with_message("request").empty());
      bool body_seen = false;
      for (const auto& entry : records.with_message("request")) {
        body_seen = body_seen || entry.fields.at("body").find("a prompt") != std::string::npos;
      }
      EXPECT_TRUE(body_seen) << "log_bodies shows the prompt";
    }
  }
}

TEST_F(TelemetryTest, MetricsParseStrictlyAndCountTheCallsMade) {
  throttle_us_east_1();
  const auto registry = std::make_shared<MetricsRegistry>();
  constexpr int kCalls = 12;
  long long input_tokens = 0;
  long long output_tokens = 0;
  {
    const LLMManager manager(options({}, registry));
    for (int i = 0; i < kCalls; ++i) {
      const BedrockResponse response =
          manager.converse(ConverseRequest::from_prompt("call " + std::to_string(i)));
      ASSERT_TRUE(response.ok()) << response.error->describe();
      input_tokens += response.usage().input_tokens;
      output_tokens += response.usage().output_tokens;
    }
    StreamingResponse stream = manager.converse_stream(ConverseRequest::from_prompt("streamed"));
    while (stream.next()) {}
    ASSERT_TRUE(stream.response().ok());
    input_tokens += stream.response().usage().input_tokens;
    output_tokens += stream.response().usage().output_tokens;
  }
  // A second manager, a model the emulator refuses: its failures count beside the first's.
  const auto denied = emulator_->admin_put_scenario(
      R"({"rules":[{"name":"denied","match":{},"action":{"type":"error",)"
      R"("exception":"AccessDeniedException","message":"no"}}]})");
  ASSERT_EQ(denied.status, 200);
  const LLMManager other(options({}, registry));
  EXPECT_FALSE(other.converse(ConverseRequest::from_prompt("x")).ok());

  const json samples = test::parse_with_prometheus_client(registry->render_prometheus());
  ASSERT_TRUE(samples.is_object());
  const int calls = kCalls + 1;
  const int throttled = CircuitBreakerConfig{}.failure_threshold;
  const std::map<std::string, std::string> haiku = {{"model", "Claude 3 Haiku"}};
  EXPECT_EQ(test::sample_value(samples, "llmm_calls_total", {{"outcome", "success"}}), calls);
  EXPECT_EQ(test::sample_value(samples, "llmm_calls_total", {{"outcome", "AccessDenied"}}), 1);
  EXPECT_EQ(test::sample_value(samples, "llmm_call_duration_seconds_count", haiku), calls + 1);
  EXPECT_EQ(test::sample_value(samples, "llmm_attempts_total",
                               {{"region", "us-east-1"}, {"outcome", "Throttled"}}),
            throttled);
  EXPECT_EQ(test::sample_value(samples, "llmm_attempts_total",
                               {{"region", "us-west-2"}, {"outcome", "success"}}),
            calls);
  EXPECT_EQ(test::sample_value(samples, "llmm_throttles_total", {{"region", "us-east-1"}}),
            throttled);
  // The manager that opened it is gone: no gauge, its count kept.
  EXPECT_EQ(test::sample_value(samples, "llmm_breaker_open"), 0);
  EXPECT_EQ(test::sample_value(samples, "llmm_breaker_opens_total"), 1);
  EXPECT_EQ(test::sample_value(samples, "llmm_throttles_total", {{"region", "us-west-2"}}), 0);
  EXPECT_EQ(test::sample_value(samples, "llmm_attempt_duration_seconds_count"),
            test::sample_value(samples, "llmm_attempts_total"));
  EXPECT_EQ(test::sample_value(samples, "llmm_time_to_first_token_seconds_count"), 1)
      << "one stream";
  EXPECT_EQ(test::sample_value(samples, "llmm_tokens_total", {{"kind", "input"}}), input_tokens);
  EXPECT_EQ(test::sample_value(samples, "llmm_tokens_total", {{"kind", "output"}}), output_tokens);
  EXPECT_GT(input_tokens, 0);

  const json& types = samples["types"];
  EXPECT_EQ(types["llmm_calls"], "counter");
  EXPECT_EQ(types["llmm_call_duration_seconds"], "histogram");
  EXPECT_EQ(types["llmm_attempt_duration_seconds"], "histogram");
  EXPECT_EQ(types["llmm_breaker_opens"], "counter");
  EXPECT_EQ(types["llmm_breaker_open"], "gauge");
  EXPECT_EQ(types["llmm_rate_limit_requests_per_minute"], "gauge");
  EXPECT_EQ(types["llmm_credential_refreshes"], "counter");
}

TEST_F(TelemetryTest, TheRateLimitGaugeShowsEachTargetsLimit) {
  const auto registry = std::make_shared<MetricsRegistry>();
  LLMManagerOptions config = options({}, registry);
  config.retry.rate_control.limits = {
      FixedRateLimit{.region = "us-west-2", .requests_per_minute = 6000},
      FixedRateLimit{.requests_per_minute = 600}};
  const LLMManager manager(std::move(config));
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("hi")).ok());
  const json samples = test::parse_with_prometheus_client(registry->render_prometheus());
  ASSERT_TRUE(samples.is_object());
  // Only the target a call reached has a rate controller yet.
  EXPECT_EQ(test::sample_value(
                samples, "llmm_rate_limit_requests_per_minute",
                {{"region", "us-east-1"}, {"model_id", "anthropic.claude-3-haiku-20240307-v1:0"}}),
            600);
  EXPECT_EQ(
      test::sample_value(samples, "llmm_rate_limit_requests_per_minute", {{"region", "us-west-2"}}),
      0);
}

TEST_F(TelemetryTest, AModelGivenByIdIsLabelledByThatId) {
  throttle_us_east_1();
  const auto registry = std::make_shared<MetricsRegistry>();
  LLMManagerOptions config = options({}, registry);
  config.models = {"anthropic.claude-3-haiku-20240307-v1:0"};
  const LLMManager manager(std::move(config));
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("hi")).ok());
  const json samples = test::parse_with_prometheus_client(registry->render_prometheus());
  ASSERT_TRUE(samples.is_object());
  EXPECT_EQ(test::sample_value(samples, "llmm_calls_total",
                               {{"model", "anthropic.claude-3-haiku-20240307-v1:0"}}),
            1);
}

TEST_F(TelemetryTest, ParallelManagersCountEveryRequestOfABatch) {
  const auto registry = std::make_shared<MetricsRegistry>();
  RecordingSink records;
  ParallelLLMManager parallel(
      {.manager = options({.level = LogLevel::Info, .sink = records.sink()}, registry)});
  std::vector<ConverseRequest> requests;
  for (int i = 0; i < 20; ++i)
    requests.push_back(ConverseRequest::from_prompt("p" + std::to_string(i)));
  const ParallelResponse batch = parallel.converse_parallel(requests);
  EXPECT_TRUE(batch.success);
  const json samples = test::parse_with_prometheus_client(registry->render_prometheus());
  ASSERT_TRUE(samples.is_object());
  EXPECT_EQ(test::sample_value(samples, "llmm_calls_total", {{"outcome", "success"}}), 20);
  EXPECT_EQ(records.with_message("call ended").size(), 20U);
}

}  // namespace
}  // namespace llmm
