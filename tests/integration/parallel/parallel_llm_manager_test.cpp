// ParallelLLMManager against a real loopback server: ids and input order, statistics, load
// balancing across regions, the failure strategies really stopping, the request timeout freeing
// its slot, retry_failed_requests, and the streaming form with caller cancellation.
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "support/loopback_http_server.hpp"
#include "support/offline_catalog.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <stop_token>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::LoopbackHttpServer;
using test::RecordedRequest;
using test::Reply;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";

std::string prompt_of(const RecordedRequest& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return "?";
  return body["messages"][0]["content"][0]["text"].get<std::string>();
}

// The region of the request's SigV4 credential scope.
std::string region_of(const RecordedRequest& request) {
  const std::string auth = request.header("authorization").value_or("");
  for (const char* region : {"us-east-1", "us-west-2", "eu-west-1"}) {
    if (auth.find(std::string("/") + region + "/") != std::string::npos) return region;
  }
  return "?";
}

Reply echo(const RecordedRequest& request) {
  nlohmann::json reply = {
      {"output",
       {{"message",
         {{"role", "assistant"}, {"content", {{{"text", "echo: " + prompt_of(request)}}}}}}}},
      {"stopReason", "end_turn"},
      {"usage", {{"inputTokens", 3}, {"outputTokens", 2}, {"totalTokens", 5}}},
      {"metrics", {{"latencyMs", 7}}}};
  return Reply{
      .status = 200, .headers = {{"Content-Type", "application/json"}}, .body = reply.dump()};
}

Reply refusal(int status, const std::string& type) {
  return Reply{.status = status,
               .headers = {{"x-amzn-ErrorType", type}, {"Content-Type", "application/json"}},
               .body = R"({"message":"scripted )" + type + "\"}"};
}

AuthConfig keys_for(const LoopbackHttpServer& server) {
  return AuthConfig{.type = AuthType::Credentials,
                    .access_key_id = "AKIDEXAMPLE",
                    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    .runtime_endpoint = server.base_url(),
                    .control_endpoint = server.base_url(),
                    .environment = Environment::from_map({})};
}

ParallelLLMManager batch_manager(const LoopbackHttpServer& server, std::vector<std::string> regions,
                                 ParallelConfig config) {
  return ParallelLLMManager(
      {.manager = {.models = {kModel},
                   .regions = std::move(regions),
                   .auth = keys_for(server),
                   .retry = RetryConfig{.retry_delay = 1ms, .max_retry_delay = 5ms},
                   .catalog = test::offline_catalog()},
       .parallel = config});
}

std::vector<ParallelRequest> named(const std::vector<std::string>& prompts) {
  std::vector<ParallelRequest> requests;
  for (const auto& prompt : prompts)
    requests.push_back({"id-" + prompt, ConverseRequest::from_prompt(prompt)});
  return requests;
}

TEST(ParallelLLMManagerBatchTest, ResultsByIdInInputOrderWithStatistics) {
  LoopbackHttpServer server(echo);
  const auto batch =
      batch_manager(server, {"us-east-1", "us-west-2"}, {.max_concurrent_requests = 4});
  std::vector<std::string> prompts;
  for (int i = 0; i < 30; ++i) prompts.push_back("p" + std::to_string(i));
  const ParallelResponse response = batch.converse_parallel(named(prompts));

  ASSERT_EQ(response.results.size(), 30U);
  EXPECT_TRUE(response.success);
  EXPECT_FALSE(response.stopped);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    const ParallelResult& result = response.results[i];
    EXPECT_EQ(result.id, "id-" + prompts[i]);
    EXPECT_EQ(result.index, i);
    ASSERT_TRUE(result.ok()) << result.response.error->describe();
    EXPECT_EQ(result.response.text(), "echo: " + prompts[i]);  // its own answer, no cross-talk
    EXPECT_EQ(response.find(result.id), &result);
    // Round robin starts request k in region k mod 2, and nothing fails over here.
    EXPECT_EQ(result.start_region, i % 2 == 0 ? "us-east-1" : "us-west-2");
    EXPECT_EQ(result.response.region, result.start_region);
  }
  EXPECT_EQ(response.find("nope"), nullptr);
  const ParallelStats& stats = response.stats;
  EXPECT_EQ(stats.total, 30U);
  EXPECT_EQ(stats.succeeded, 30U);
  EXPECT_DOUBLE_EQ(stats.success_rate(), 1.0);
  EXPECT_EQ(stats.tokens.input_tokens, 90);
  EXPECT_EQ(stats.tokens.total_tokens, 150);
  EXPECT_EQ(stats.attempts, 30U);
  EXPECT_EQ(stats.by_region.at("us-east-1"), 15U);
  EXPECT_EQ(stats.by_region.at("us-west-2"), 15U);
  EXPECT_EQ(stats.start_regions.at("us-east-1"), 15U);
  EXPECT_EQ(stats.by_access_method.at("direct"), 30U);
  EXPECT_EQ(stats.by_model.at(kModel), 30U);
  EXPECT_LE(stats.max_in_flight, 4U);
  EXPECT_GE(stats.max_in_flight, 1U);
  EXPECT_LE(stats.latency.p50_ms, stats.latency.p99_ms);
  EXPECT_LE(stats.latency.p99_ms, stats.latency.max_ms);
  EXPECT_EQ(server.request_count(), 30U);
}

TEST(ParallelLLMManagerBatchTest, DuplicateIdsAndAnEmptyListAreRefusedBeforeAnythingIsSent) {
  LoopbackHttpServer server(echo);
  const auto batch = batch_manager(server, {"us-east-1"}, {});
  auto requests = named({"a", "b", "a"});
  try {
    (void)batch.converse_parallel(requests);
    FAIL() << "duplicate ids were accepted";
  } catch (const RequestValidationError& error) {
    EXPECT_NE(std::string(error.what()).find("\"id-a\" (2 times)"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW((void)batch.converse_parallel(std::vector<ParallelRequest>{}),
               RequestValidationError);
  EXPECT_EQ(server.request_count(), 0U);
  // An empty id is generated from the position, so it cannot collide with another empty one.
  const auto generated =
      batch.converse_parallel(std::vector<ConverseRequest>(2, ConverseRequest::from_prompt("x")));
  EXPECT_EQ(generated.results[0].id, "request-0");
  EXPECT_EQ(generated.results[1].id, "request-1");
}

TEST(ParallelLLMManagerBatchTest, OutOfRangeConfigurationIsRefused) {
  LoopbackHttpServer server(echo);
  EXPECT_THROW(batch_manager(server, {"us-east-1"}, {.request_timeout = 0ms}),
               std::invalid_argument);
  EXPECT_THROW(batch_manager(server, {"us-east-1"}, {.failure_threshold = 1.5}),
               std::invalid_argument);
  EXPECT_THROW(batch_manager(server, {"us-east-1"}, {.target_regions_per_request = 2}),
               std::invalid_argument);
  EXPECT_THROW(batch_manager(server, {"us-east-1"}, {.target_regions_per_request = 0}),
               std::invalid_argument);
}

TEST(ParallelLLMManagerBatchTest,
     StopOnFirstFailureCancelsWhatIsInFlightAndReportsWhatNeverStarted) {
  LoopbackHttpServer server([](const RecordedRequest& request) {
    const std::string prompt = prompt_of(request);
    if (prompt == "bad") return refusal(400, "ValidationException");
    Reply reply = echo(request);
    if (prompt == "slow") reply.delay_before_headers = 1s;
    return reply;
  });
  const auto batch = batch_manager(
      server, {"us-east-1"},
      {.max_concurrent_requests = 2, .failure_strategy = FailureStrategy::StopOnFirstFailure});
  const ParallelResponse response = batch.converse_parallel(named({"slow", "bad", "c", "d", "e"}));

  EXPECT_FALSE(response.success);
  ASSERT_TRUE(response.stopped);
  EXPECT_NE(response.stopped->find("stop_on_first_failure: request id-bad failed"),
            std::string::npos)
      << *response.stopped;
  EXPECT_EQ(response.results[0].outcome, RequestOutcome::Cancelled);
  EXPECT_EQ(response.results[0].response.error->code, ErrorCode::Cancelled);
  EXPECT_EQ(response.results[1].outcome, RequestOutcome::Failed);
  EXPECT_EQ(response.results[1].response.error->code, ErrorCode::InvalidArgument);
  EXPECT_EQ(response.not_started_ids(), (std::vector<std::string>{"id-c", "id-d", "id-e"}));
  EXPECT_EQ(response.stats.not_started, 3U);
  EXPECT_EQ(response.stats.cancelled, 1U);
  // Nothing was sent after the failure. "slow" was sent before it, but its cancel may close the
  // connection before the server has read it, so the server saw "bad" and at most "slow".
  for (const RecordedRequest& seen : server.requests()) {
    const std::string prompt = prompt_of(seen);
    EXPECT_TRUE(prompt == "slow" || prompt == "bad") << prompt << " was sent after the failure";
  }
  EXPECT_GE(server.request_count(), 1U);
}

TEST(ParallelLLMManagerBatchTest, StopOnThresholdStopsOnceTheThresholdCanNoLongerBeMet) {
  LoopbackHttpServer server([](const RecordedRequest& request) {
    return prompt_of(request).starts_with("bad") ? refusal(400, "ValidationException")
                                                 : echo(request);
  });
  const auto batch = batch_manager(server, {"us-east-1"},
                                   {.max_concurrent_requests = 1,
                                    .failure_strategy = FailureStrategy::StopOnThreshold,
                                    .failure_threshold = 0.3});
  // Ten requests at most 30 % failed: the fourth failure (request 5) makes that impossible.
  const ParallelResponse response = batch.converse_parallel(
      named({"ok0", "bad1", "bad2", "bad3", "bad4", "ok5", "ok6", "ok7", "ok8", "ok9"}));
  EXPECT_FALSE(response.success);
  ASSERT_TRUE(response.stopped);
  EXPECT_NE(response.stopped->find("stop_on_threshold: 4 of 10 requests failed"), std::string::npos)
      << *response.stopped;
  EXPECT_EQ(response.failed_ids().size(), 4U);
  EXPECT_EQ(response.not_started_ids().size(), 5U);
  EXPECT_EQ(server.request_count(), 5U);

  // Within the threshold the batch succeeds.
  const ParallelResponse within = batch.converse_parallel(named({"x0", "bad-y", "x2", "x3"}));
  EXPECT_TRUE(within.success);
  EXPECT_FALSE(within.stopped);
}

TEST(ParallelLLMManagerBatchTest, TheRequestTimeoutCancelsTheTransferAndFreesItsSlot) {
  LoopbackHttpServer server([](const RecordedRequest& request) {
    Reply reply = echo(request);
    if (prompt_of(request) == "stuck") reply.delay_before_headers = 3s;
    return reply;
  });
  const auto batch = batch_manager(server, {"us-east-1"},
                                   {.max_concurrent_requests = 1, .request_timeout = 200ms});
  std::vector<std::chrono::milliseconds> finished_after;
  const auto start = std::chrono::steady_clock::now();
  const ParallelRunSummary summary = batch.converse_each(
      [requests = named({"stuck", "quick"}),
       next = std::size_t{0}]() mutable -> std::optional<ParallelRequest> {
        if (next == requests.size()) return std::nullopt;
        return requests[next++];
      },
      [&](const ParallelResult& result) {
        finished_after.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start));
        if (result.id == "id-stuck") {
          EXPECT_EQ(result.outcome, RequestOutcome::TimedOut);
          EXPECT_EQ(result.response.error->code, ErrorCode::Timeout);
          EXPECT_NE(result.response.error->message.find("the request timeout of 200 ms"),
                    std::string::npos)
              << result.response.error->message;
        } else {
          EXPECT_TRUE(result.ok());
        }
      });
  EXPECT_EQ(summary.stats.timed_out, 1U);
  EXPECT_EQ(summary.stats.succeeded, 1U);
  ASSERT_EQ(finished_after.size(), 2U);
  // With one slot, "quick" could only start once "stuck" had given its slot back: it was
  // answered while the server still held the stuck request (it sleeps 3 s), not after.
  EXPECT_GE(finished_after[0], 200ms);
  EXPECT_EQ(server.request_count(), 2U);
}

TEST(ParallelLLMManagerBatchTest, RetryFailedRequestsRunsOnlyTheFailuresAndMerges) {
  std::atomic<int> flaky_calls{0};
  LoopbackHttpServer server([&](const RecordedRequest& request) {
    const std::string prompt = prompt_of(request);
    if (prompt.starts_with("flaky") && flaky_calls.fetch_add(1) < 2)
      return refusal(400, "ValidationException");
    return echo(request);
  });
  const auto batch = batch_manager(server, {"us-east-1"}, {.max_concurrent_requests = 1});
  const ParallelResponse first = batch.converse_parallel(named({"a", "flaky1", "b", "flaky2"}));
  EXPECT_EQ(first.failed_ids(), (std::vector<std::string>{"id-flaky1", "id-flaky2"}));

  // A filter that throws skips its request; one that declines everything returns `first`.
  const ParallelResponse declined =
      batch.retry_failed_requests(first, [](const ParallelResult&) { return false; });
  EXPECT_EQ(declined.failed_ids(), first.failed_ids());
  const ParallelResponse partly =
      batch.retry_failed_requests(first, [](const ParallelResult& result) -> bool {
        if (result.id == "id-flaky2") throw std::runtime_error("filter fails");
        return true;
      });
  EXPECT_EQ(partly.failed_ids(), (std::vector<std::string>{"id-flaky2"}));
  EXPECT_TRUE(partly.find("id-flaky1")->ok());
  EXPECT_EQ(partly.find("id-flaky1")->index, 1U);

  const ParallelResponse merged = batch.retry_failed_requests(partly);
  EXPECT_TRUE(merged.failed_ids().empty());
  EXPECT_EQ(merged.stats.succeeded, 4U);
  EXPECT_EQ(merged.results[3].response.text(), "echo: flaky2");
  EXPECT_EQ(server.request_count(), 4U + 1U + 1U) << "successes were not sent again";
  EXPECT_THROW((void)batch.retry_failed_requests(merged), std::invalid_argument);
}

TEST(ParallelLLMManagerBatchTest, RegionsPerRequestBoundsFailoverAndLoadBalancingSpreadsStarts) {
  LoopbackHttpServer server([](const RecordedRequest& request) {
    return region_of(request) == "us-west-2" ? refusal(429, "ThrottlingException") : echo(request);
  });
  std::vector<std::string> prompts;
  for (int i = 0; i < 8; ++i) prompts.push_back("r" + std::to_string(i));

  // One region per request: requests started in the throttled region fail there.
  const auto pinned =
      batch_manager(server, {"us-east-1", "us-west-2"},
                    {.max_concurrent_requests = 1, .target_regions_per_request = 1});
  const ParallelResponse alone = pinned.converse_parallel(named(prompts));
  EXPECT_EQ(alone.stats.succeeded, 4U);
  EXPECT_EQ(alone.stats.start_regions.at("us-west-2"), 4U);
  for (const ParallelResult& result : alone.results) {
    if (result.start_region == "us-west-2") {
      EXPECT_EQ(result.response.error->code, ErrorCode::Throttled);
    }
  }
  EXPECT_GT(alone.stats.throttled_attempts, 0U);

  // Both regions: the throttled starts fail over and every request is answered in us-east-1.
  const auto spread =
      batch_manager(server, {"us-east-1", "us-west-2"},
                    {.max_concurrent_requests = 4, .load_balancing = LoadBalancing::LeastLoaded});
  const ParallelResponse both = spread.converse_parallel(named(prompts));
  EXPECT_TRUE(both.success);
  EXPECT_EQ(both.stats.succeeded, 8U);
  EXPECT_EQ(both.stats.by_region.at("us-east-1"), 8U);
  EXPECT_EQ(both.stats.start_regions.size(), 2U) << "least loaded still used both regions";
}

TEST(ParallelLLMManagerStreamingTest, EachResultOnceWithBoundedInFlightAndProgress) {
  LoopbackHttpServer server(echo);
  const auto batch = batch_manager(server, {"us-east-1"}, {.max_concurrent_requests = 8});
  constexpr std::size_t kCount = 200;
  std::size_t produced = 0;
  std::set<std::string> seen;
  std::size_t answered_correctly = 0;
  std::vector<ParallelProgress> reports;
  ParallelRunOptions options;
  options.on_progress = [&](const ParallelProgress& progress) { reports.push_back(progress); };
  const ParallelRunSummary summary = batch.converse_each(
      [&]() -> std::optional<ParallelRequest> {
        if (produced == kCount) return std::nullopt;
        const std::string n = std::to_string(produced++);
        return ParallelRequest{"s" + n, ConverseRequest::from_prompt("stream " + n)};
      },
      [&](ParallelResult result) {
        EXPECT_TRUE(seen.insert(result.id).second) << "twice: " << result.id;
        if (result.ok() && result.response.text() == "echo: stream " + result.id.substr(1))
          ++answered_correctly;
      },
      options);
  EXPECT_EQ(seen.size(), kCount);
  EXPECT_EQ(answered_correctly, kCount);
  EXPECT_TRUE(summary.success);
  EXPECT_FALSE(summary.stopped);
  EXPECT_EQ(summary.stats.total, kCount);
  EXPECT_LE(summary.stats.max_in_flight, 8U);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back().done, kCount);
  EXPECT_EQ(reports.back().in_flight, 0U);
  EXPECT_EQ(reports.back().succeeded, kCount);
}

TEST(ParallelLLMManagerStreamingTest, ACallerCancelDeliversWhatWasInFlightAsCancelled) {
  LoopbackHttpServer server([](const RecordedRequest& request) {
    Reply reply = echo(request);
    if (prompt_of(request) != "fast") reply.delay_before_headers = 2s;
    return reply;
  });
  const auto batch = batch_manager(server, {"us-east-1"}, {.max_concurrent_requests = 3});
  std::stop_source cancel;
  ParallelRunOptions options;
  options.cancel = cancel.get_token();
  std::vector<ParallelResult> delivered;
  std::size_t produced = 0;
  const ParallelRunSummary summary = batch.converse_each(
      [&]() -> std::optional<ParallelRequest> {
        const std::string n = std::to_string(produced++);
        return ParallelRequest{"c" + n,
                               ConverseRequest::from_prompt(n == "0" ? "fast" : "held " + n)};
      },
      [&](ParallelResult result) {
        if (result.id == "c0") cancel.request_stop();  // the endless source stops here
        delivered.push_back(std::move(result));
      },
      options);
  ASSERT_TRUE(summary.stopped);
  EXPECT_EQ(*summary.stopped, "cancelled by the caller");
  ASSERT_EQ(delivered.size(), 3U) << "the fast one, then the two held ones";
  EXPECT_TRUE(delivered[0].ok());
  for (std::size_t i = 1; i < delivered.size(); ++i) {
    EXPECT_EQ(delivered[i].outcome, RequestOutcome::Cancelled) << delivered[i].id;
  }
  EXPECT_EQ(summary.stats.cancelled, 2U);
}

TEST(ParallelLLMManagerStreamingTest, ASourceThatThrowsEndsTheIntakeAndIsRethrownAfterDelivery) {
  LoopbackHttpServer server(echo);
  const auto batch = batch_manager(server, {"us-east-1"}, {.max_concurrent_requests = 4});
  std::size_t produced = 0;
  std::size_t delivered = 0;
  EXPECT_THROW(batch.converse_each(
                   [&]() -> std::optional<ParallelRequest> {
                     if (produced == 3) throw std::runtime_error("line 4 is not JSON");
                     return ParallelRequest{"t" + std::to_string(produced++),
                                            ConverseRequest::from_prompt("t")};
                   },
                   [&](const ParallelResult& result) {
                     EXPECT_TRUE(result.ok());
                     ++delivered;
                   }),
               std::runtime_error);
  EXPECT_EQ(delivered, 3U) << "the three started before the throw were still delivered";
}

}  // namespace
}  // namespace llmm
