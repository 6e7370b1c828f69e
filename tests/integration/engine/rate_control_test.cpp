// The rate controller per target in the call engine (RetryConfig::rate_control), end to end on
// simulated time against a loopback server that reads the same clock: a fixed requests-per-minute
// limit spaces a batch exactly as its bucket says, a tokens-per-minute limit holds the next call
// until the last answer's tokens are repaid, the adaptive limiter turns a throttling storm into
// a flow, the default changes nothing, and a call waiting for the rate limit ends on cancel
// (Cancelled) and on its deadline (Timeout).
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "support/fixed_seams.hpp"
#include "support/loopback_http_server.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <future>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::LoopbackHttpServer;
using test::RecordedRequest;
using test::Reply;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";

// An answer using 3 input and 2 output tokens.
Reply converse_reply() {
  const nlohmann::json reply = {
      {"output", {{"message", {{"role", "assistant"}, {"content", {{{"text", "ok"}}}}}}}},
      {"stopReason", "end_turn"},
      {"usage", {{"inputTokens", 3}, {"outputTokens", 2}, {"totalTokens", 5}}},
      {"metrics", {{"latencyMs", 7}}}};
  return Reply{
      .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = reply.dump()};
}

Reply throttled_reply() {
  return Reply{
      .status = 429,
      .headers = {{"x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/"},
                  {"Content-Type", "application/json"}},
      .body = R"({"message":"Too many requests, please wait before trying again."})"};
}

AuthConfig keys_for(const LoopbackHttpServer& server) {
  return AuthConfig{.type = AuthType::Credentials,
                    .access_key_id = "AKIDEXAMPLE",
                    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    .runtime_endpoint = server.base_url(),
                    .control_endpoint = server.base_url(),
                    .environment = Environment::from_map({})};
}

RetryConfig with_rate_control(RateControlConfig rate) {
  RetryConfig retry;
  retry.rate_control = std::move(rate);
  return retry;
}

RateControlConfig requests_per_minute(double limit) {
  return RateControlConfig{
      .limits = {{.model = kModel, .region = "us-east-1", .requests_per_minute = limit}}};
}

// A server on the test's simulated clock: it records when (in simulated ms) each request came.
struct TimedServer {
  explicit TimedServer(
      std::shared_ptr<test::SimulatedClock> simulated,
      std::function<Reply(long long)> answer = [](long long) { return converse_reply(); })
      : clock(std::move(simulated)), answer(std::move(answer)) {}

  [[nodiscard]] std::vector<long long> arrivals() {
    std::lock_guard lock(mutex);
    return arrived;
  }

  std::shared_ptr<test::SimulatedClock> clock;
  std::function<Reply(long long)> answer;
  std::mutex mutex;
  std::vector<long long> arrived;
  LoopbackHttpServer server{[this](const RecordedRequest&) {
    const long long now = clock->elapsed().count();
    {
      std::lock_guard lock(mutex);
      arrived.push_back(now);
    }
    return answer(now);
  }};
};

Seams simulated(const std::shared_ptr<test::SimulatedClock>& clock) {
  return Seams{clock, std::make_shared<test::FixedRandom>(0.5)};
}

// Starts `count` calls at the same simulated instant and collects their responses.
std::vector<BedrockResponse> batch(const LLMManager& manager, test::SimulatedClock& clock,
                                   int count) {
  std::vector<std::promise<BedrockResponse>> done(static_cast<std::size_t>(count));
  clock.hold();  // the first calls' waits must not pass before the last one has started
  for (auto& promise : done) {
    manager.converse_async(ConverseRequest::from_prompt("x"), [&promise](BedrockResponse response) {
      promise.set_value(std::move(response));
    });
  }
  clock.release();
  std::vector<BedrockResponse> responses;
  for (auto& promise : done) responses.push_back(promise.get_future().get());
  return responses;
}

std::vector<long long> rate_waits(const std::vector<BedrockResponse>& responses) {
  std::vector<long long> waits;
  for (const auto& response : responses) {
    for (const Attempt& attempt : response.attempts)
      waits.push_back(attempt.rate_wait_before.count());
  }
  std::sort(waits.begin(), waits.end());
  return waits;
}

TEST(RateControlTest, ARequestsPerMinuteLimitSpacesABatchExactly) {
  auto clock = std::make_shared<test::SimulatedClock>();
  TimedServer timed(clock);
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server),
                     with_rate_control(requests_per_minute(6)), ClientConfig{},
                     test::offline_catalog(), simulated(clock));
  const auto responses = batch(manager, *clock, 4);
  for (const auto& response : responses) ASSERT_TRUE(response.ok()) << response.error->describe();
  // 6 a minute, a burst of one: one attempt every 10 s, the first at once.
  EXPECT_EQ(timed.arrivals(), (std::vector<long long>{0, 10'000, 20'000, 30'000}));
  EXPECT_EQ(rate_waits(responses), (std::vector<long long>{0, 10'000, 20'000, 30'000}));
  EXPECT_EQ(clock->elapsed(), 30s);
  const ManagerStats stats = manager.stats();
  EXPECT_EQ(stats.rate_limited_waits, 3U);
  EXPECT_EQ(stats.rate_limited_wait_time, 60s);
  EXPECT_EQ(stats.attempts, 4U);
  // The next one, asked for as the last went, takes the slot 10 s after it.
  const auto next = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.attempts.at(0).rate_wait_before, 10s);
  EXPECT_EQ(clock->elapsed(), 40s);
}

TEST(RateControlTest, ParallelLLMManagerSpacesItsBatchThroughItsManager) {
  auto clock = std::make_shared<test::SimulatedClock>();
  TimedServer timed(clock);
  ParallelLLMManager parallel({kModel}, {"us-east-1"}, keys_for(timed.server),
                              with_rate_control(requests_per_minute(60)), ClientConfig{},
                              ParallelConfig{.max_concurrent_requests = 3}, test::offline_catalog(),
                              simulated(clock));
  const std::vector<ConverseRequest> requests(3, ConverseRequest::from_prompt("x"));
  const auto result = parallel.converse_parallel(requests);
  for (const ParallelResult& one : result.results) EXPECT_TRUE(one.ok());
  EXPECT_EQ(timed.arrivals(), (std::vector<long long>{0, 1'000, 2'000}));
}

TEST(RateControlTest, ATokensPerMinuteLimitHoldsTheNextCallUntilTheDebtIsRepaid) {
  auto clock = std::make_shared<test::SimulatedClock>();
  TimedServer timed(clock);
  const RateControlConfig tokens{.limits = {{.tokens_per_minute = 60}}};  // 1 a second, holding 1
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server), with_rate_control(tokens),
                     ClientConfig{}, test::offline_catalog(), simulated(clock));
  std::vector<long long> waits;
  for (int i = 0; i < 3; ++i) {
    const auto response = manager.converse(ConverseRequest::from_prompt("x"));
    ASSERT_TRUE(response.ok()) << response.error->describe();
    waits.push_back(response.attempts.at(0).rate_wait_before.count());
  }
  // 5 tokens an answer: the full bucket (1) goes 4 into debt, then each answer 5 from level 0.
  EXPECT_EQ(waits, (std::vector<long long>{0, 4'000, 5'000}));
  EXPECT_EQ(timed.arrivals(), (std::vector<long long>{0, 4'000, 9'000}));
}

// A quota as a service keeps it: one request a second from a bucket that holds `burst`
// requests and starts full; beyond it, throttled.
struct OneASecond {
  explicit OneASecond(double burst) : burst(burst), tokens(burst) {}
  std::mutex mutex;
  double burst;
  double tokens;
  long long last_ms = 0;
  int throttled = 0;
  Reply operator()(long long now) {
    std::lock_guard lock(mutex);
    tokens = std::min(burst, tokens + static_cast<double>(now - last_ms) / 1000.0);
    last_ms = now;
    if (tokens < 1) {
      ++throttled;
      return throttled_reply();
    }
    tokens -= 1;
    return converse_reply();
  }
};

struct StormOutcome {
  int throttled = 0;
  int succeeded = 0;
  ManagerStats stats;
};

StormOutcome storm(RateControlMode mode, double burst) {
  auto clock = std::make_shared<test::SimulatedClock>();
  auto limit = std::make_shared<OneASecond>(burst);
  TimedServer timed(clock, [limit](long long now) { return (*limit)(now); });
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server),
                     with_rate_control(RateControlConfig{.mode = mode}), ClientConfig{},
                     test::offline_catalog(), simulated(clock));
  StormOutcome outcome;
  for (const auto& response : batch(manager, *clock, 20))
    outcome.succeeded += response.ok() ? 1 : 0;
  outcome.throttled = limit->throttled;
  outcome.stats = manager.stats();
  return outcome;
}

TEST(RateControlTest, AdaptiveTurnsAThrottlingStormIntoAFlow) {
  // 20 at once against one request a second with a burst of 2.
  const StormOutcome off = storm(RateControlMode::Off, 2);
  const StormOutcome adaptive = storm(RateControlMode::Adaptive, 2);
  // Off, the retries come back together (the same backoff) and throttle together again, and
  // most calls run out of retries.
  EXPECT_EQ(off.stats.rate_limited_waits, 0U);
  EXPECT_LT(off.succeeded, 20);
  // Adaptive, the first throttle cuts the rate in use, estimated from the first burst (20
  // answers in the least time the estimate divides by, 0.1 s: 200 a second), and the storm's
  // other throttles do not cut again. Each attempt admitted after a cut and throttled cuts once
  // more, down to the quota; from there the limiter grows the rate back along the CUBIC curve
  // and is cut again each time it probes past the quota: a throttle per round or probe instead
  // of one per call. A call that several of those throttles meet can still run out of retries.
  EXPECT_GE(adaptive.succeeded, 19);
  EXPECT_GT(adaptive.succeeded, 3 * off.succeeded);
  EXPECT_GT(adaptive.stats.rate_limited_waits, 0U);
  EXPECT_LT(2 * adaptive.throttled, off.throttled);
  RecordProperty("throttled_off", off.throttled);
  RecordProperty("throttled_adaptive", adaptive.throttled);
}

TEST(RateControlTest, OffByDefaultNothingWaits) {
  auto clock = std::make_shared<test::SimulatedClock>();
  TimedServer timed(clock);
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server), RetryConfig{}, ClientConfig{},
                     test::offline_catalog(), simulated(clock));
  const auto responses = batch(manager, *clock, 8);
  for (const auto& response : responses) ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(timed.arrivals(), std::vector<long long>(8, 0));
  EXPECT_EQ(rate_waits(responses), std::vector<long long>(8, 0));
  EXPECT_EQ(manager.stats().rate_limited_waits, 0U);
  EXPECT_EQ(manager.stats().rate_limited_wait_time, 0ms);
  EXPECT_EQ(clock->elapsed(), 0ms);
}

TEST(RateControlTest, ACancelDuringARateWaitEndsTheCallCancelled) {
  auto clock = std::make_shared<test::SimulatedClock>();
  // The first request is held until the test lets it go, so the loop is busy (simulated time
  // stands still) while the second call waits for its slot.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  TimedServer timed(clock, [released](long long) {
    released.wait();
    return converse_reply();
  });
  struct Release {
    std::promise<void>& promise;
    bool done = false;
    void operator()() {
      if (!std::exchange(done, true)) promise.set_value();
    }
    ~Release() { (*this)(); }
  } let_go{release};
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server),
                     with_rate_control(requests_per_minute(6)), ClientConfig{},
                     test::offline_catalog(), simulated(clock));
  std::promise<BedrockResponse> first;
  manager.converse_async(ConverseRequest::from_prompt("first"), [&first](BedrockResponse response) {
    first.set_value(std::move(response));
  });
  ASSERT_TRUE(timed.server.wait_for_requests(1, 60s));
  std::stop_source cancel;
  std::promise<BedrockResponse> second;
  manager.converse_async(
      ConverseRequest::from_prompt("second"),
      [&second](BedrockResponse response) { second.set_value(std::move(response)); },
      CallOptions{.cancel = cancel.get_token()});
  while (manager.stats().rate_limited_waits == 0) std::this_thread::yield();  // it waits now
  cancel.request_stop();
  const BedrockResponse cancelled = second.get_future().get();
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error->code, ErrorCode::Cancelled) << cancelled.error->describe();
  EXPECT_TRUE(cancelled.attempts.empty());
  EXPECT_EQ(clock->elapsed(), 0ms) << "the 10 s wait ended at once";
  let_go();
  EXPECT_TRUE(first.get_future().get().ok());
  EXPECT_EQ(manager.stats().rate_limited_wait_time, 0ms);
  // The cancelled call gave its slot back: the next call takes the one at 10 s, not 20 s.
  const auto next = manager.converse(ConverseRequest::from_prompt("next"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.attempts.at(0).rate_wait_before, 10s);
  EXPECT_EQ(timed.arrivals(), (std::vector<long long>{0, 10'000}));
}

TEST(RateControlTest, ARateWaitPastTheDeadlineEndsTheCallTimeout) {
  auto clock = std::make_shared<test::SimulatedClock>();
  TimedServer timed(clock);
  RetryConfig retry = with_rate_control(requests_per_minute(6));
  retry.total_deadline = 15s;
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(timed.server), retry, ClientConfig{},
                     test::offline_catalog(), simulated(clock));
  // Three at once: slots at 0, 10 s and 20 s. The 10 s wait fits in the 15 s deadline; the third
  // could not start in time, so it ends at once, as a backoff past the deadline does.
  std::vector<BedrockResponse> responses = batch(manager, *clock, 3);
  std::sort(responses.begin(), responses.end(),
            [](const BedrockResponse& a, const BedrockResponse& b) { return a.ok() > b.ok(); });
  ASSERT_TRUE(responses[0].ok() && responses[1].ok());
  EXPECT_EQ(rate_waits({responses[0], responses[1]}), (std::vector<long long>{0, 10'000}));
  const BedrockResponse& late = responses[2];
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error->code, ErrorCode::Timeout);
  EXPECT_EQ(
      late.error->message,
      "the call's total deadline of 15000 ms passed before the next attempt could start (the rate "
      "limit of " +
          std::string(kModel) + " in us-east-1 held it 20000 ms)");
  EXPECT_TRUE(late.attempts.empty());
  EXPECT_EQ(late.total_duration, 0ms);
  EXPECT_EQ(clock->elapsed(), 10s);
  // A call's own timeout counts the wait the same way; the slot it gave back serves the next.
  const auto timed_out =
      manager.converse(ConverseRequest::from_prompt("x"), CallOptions{.timeout = 5s});
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error->code, ErrorCode::Timeout);
  EXPECT_EQ(timed_out.error->message.rfind(
                "the request timeout of 5000 ms passed before the next attempt", 0),
            0U)
      << timed_out.error->message;
  const auto next = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_TRUE(next.ok()) << next.error->describe();
  EXPECT_EQ(next.attempts.at(0).rate_wait_before, 10s);
  EXPECT_EQ(timed.arrivals(), (std::vector<long long>{0, 10'000, 20'000}));
  EXPECT_EQ(manager.stats().rate_limited_waits, 2U);
}

}  // namespace
}  // namespace llmm
