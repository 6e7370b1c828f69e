// ParallelLLMManager at batch scale against the emulator process: 100,000 requests with about
// 5 % injected faults of every kind, each answer its own request's (the emulator echoes, and
// every prompt is unique), every request delivered exactly once, and memory flat from one
// batch to the next.
#include <llmm/parallel_llm_manager.hpp>

#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

// This process's resident set, in KiB.
long own_rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

std::string prompt_of(std::size_t i) { return "scale prompt " + std::to_string(i) + " omega"; }

class ParallelAtScaleTest : public ::testing::Test {
 protected:
  ParallelAtScaleTest() {
    emulator_.admin_put_scenario(R"({"seed": 3, "rules":[
      {"name":"throttle","match":{"operation":"Converse","probability":0.015},"action":{"type":"error","exception":"ThrottlingException","message":"Rate exceeded"}},
      {"name":"503","match":{"operation":"Converse","probability":0.01},"action":{"type":"error","exception":"ServiceUnavailableException","message":"down"}},
      {"name":"reset","match":{"operation":"Converse","probability":0.01},"action":{"type":"reset"}},
      {"name":"stall","match":{"operation":"Converse","probability":0.001},"action":{"type":"stall"}},
      {"name":"trickle","match":{"operation":"Converse","probability":0.005},"action":{"type":"trickle","intervalMs":1}},
      {"name":"slow","match":{"operation":"Converse","probability":0.01},"action":{"type":"delay","ms":20}}]})");
  }

  ParallelLLMManager manager() const {
    return ParallelLLMManager(
        {.manager = {.models = {"anthropic.claude-3-haiku-20240307-v1:0"},
                     .regions = {"us-east-1", "us-west-2", "eu-west-1"},
                     .auth = emulator_.auth_config(),
                     .retry = RetryConfig{.retry_delay = 1ms,
                                          .max_retry_delay = 4ms,
                                          .circuit_breaker = {.enabled = false}},
                     // A stall ends at the read timeout and is retried.
                     .client = ClientConfig({.read_timeout = 1s, .retries_max_attempts = 6}),
                     .catalog = test::offline_catalog()},
         .parallel = {.max_concurrent_requests = 128, .request_timeout = 60s}});
  }

  struct Tally {
    std::size_t delivered = 0, succeeded = 0, wrong_answers = 0, twice = 0;
    ParallelRunSummary summary;
  };
  // One streaming batch of `count` requests; `seen` marks each index delivered.
  static Tally run_batch(const ParallelLLMManager& batch, std::size_t count) {
    Tally tally;
    std::vector<bool> seen(count, false);
    std::size_t next = 0;
    tally.summary = batch.converse_each(
        [&]() -> std::optional<ParallelRequest> {
          if (next == count) return std::nullopt;
          const std::size_t i = next++;
          return ParallelRequest{"r" + std::to_string(i),
                                 ConverseRequest::from_prompt(prompt_of(i))};
        },
        [&](ParallelResult result) {
          ++tally.delivered;
          const std::size_t i = std::stoul(result.id.substr(1));
          if (seen[i]) ++tally.twice;
          seen[i] = true;
          if (!result.ok()) return;
          ++tally.succeeded;
          if (result.response.text() != prompt_of(i)) ++tally.wrong_answers;
        });
    return tally;
  }

  test::EmulatorProcess emulator_{BEDROCK_EMULATOR_PATH, {"--seed", "3", "--threads", "2"}};
};

TEST_F(ParallelAtScaleTest, AHundredThousandRequestsWithFaultsEachAnsweredOnceAndCorrectly) {
  const ParallelLLMManager batch = manager();
  const Tally tally = run_batch(batch, 100'000);
  EXPECT_EQ(tally.delivered, 100'000u);
  EXPECT_EQ(tally.twice, 0u);
  EXPECT_EQ(tally.wrong_answers, 0u);
  EXPECT_EQ(tally.succeeded, 100'000u) << "every fault is retryable and retried";
  EXPECT_GT(tally.summary.stats.attempts, 100'000u) << "faults were injected and retried";
  EXPECT_GT(tally.summary.stats.throttled_attempts, 0u);
  EXPECT_EQ(tally.summary.stats.by_region.size(), 3u);
  EXPECT_LE(tally.summary.stats.max_in_flight, 128u);
}

TEST_F(ParallelAtScaleTest, MemoryStaysFlatFromOneBatchToTheNext) {
  const ParallelLLMManager batch = manager();
  // The first batch grows the pools, the connections and the allocator's arenas; later ones
  // must reuse them.
  (void)run_batch(batch, 10'000);
  const long after_first = own_rss_kib();
  for (int round = 0; round < 3; ++round) {
    const Tally tally = run_batch(batch, 10'000);
    ASSERT_EQ(tally.delivered, 10'000u);
    ASSERT_EQ(tally.wrong_answers, 0u);
  }
  const long after_last = own_rss_kib();
  EXPECT_LT(after_last, after_first + 16 * 1024)
      << "RSS grew from " << after_first << " KiB to " << after_last << " KiB over 30,000 requests";
}

}  // namespace
}  // namespace llmm
