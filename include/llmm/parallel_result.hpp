#pragma once
// ParallelResult: how one request of a batch ended, and ParallelStats: what a whole batch did.

#include <llmm/bedrock_response.hpp>
#include <llmm/cache_efficiency.hpp>
#include <llmm/converse_output.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace llmm {

enum class RequestOutcome {
  Succeeded,
  Failed,      // the call ended with an error (response.error says which)
  TimedOut,    // ParallelConfig::request_timeout passed; the transfer was cancelled
  Cancelled,   // in flight when the batch stopped (a failure strategy, or the caller)
  NotStarted,  // the batch stopped before this request was sent; response.error says why
};

// "succeeded", "failed", "timed_out", "cancelled", "not_started"
std::string_view to_string(RequestOutcome outcome) noexcept;

// A value type: not synchronized.
struct ParallelResult {
  std::string id;
  std::size_t index = 0;  // 0-based position in the input
  RequestOutcome outcome = RequestOutcome::NotStarted;
  std::string start_region;  // where load balancing started its failover list
  BedrockResponse response;  // region, model, access method, attempts, usage, error

  [[nodiscard]] bool ok() const noexcept { return outcome == RequestOutcome::Succeeded; }
};

// Latencies of the successful requests (start to answer, retries included), in milliseconds.
// Percentiles come from a histogram with 1 ms steps below 64 ms and 2 % steps above, so they are
// exact to that precision whatever the batch size. All zero when nothing succeeded.
// A value type: not synchronized.
struct LatencySummary {
  double min_ms = 0, mean_ms = 0, p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
};

// A value type: not synchronized.
struct ParallelStats {
  std::size_t total = 0;  // requests taken from the input
  std::size_t succeeded = 0, failed = 0, timed_out = 0, cancelled = 0, not_started = 0;
  LatencySummary latency;
  TokenUsage tokens;           // summed over the successful requests (cache_details left empty)
  std::size_t cache_hits = 0;  // successes that read from the prompt cache
  std::uint64_t attempts = 0;  // over every request that was sent
  std::uint64_t throttled_attempts = 0;  // attempts refused with Throttled
  // Of the successful requests: where they were answered, by whom, and how.
  std::map<std::string, std::size_t> by_region;
  std::map<std::string, std::size_t> by_model;          // the configured model name
  std::map<std::string, std::size_t> by_access_method;  // "direct", "regional_cris", ...
  // Of every started request: where load balancing started it.
  std::map<std::string, std::size_t> start_regions;
  std::size_t max_in_flight = 0;  // measured, not estimated
  std::chrono::milliseconds total_duration{0};

  // What the prompt cache did over the batch's successes (`tokens`); nullopt without prompt
  // tokens.
  [[nodiscard]] std::optional<CacheEfficiency> cache_efficiency() const noexcept {
    return ::llmm::cache_efficiency(tokens);
  }
  // succeeded / total, in [0, 1]; 0 for an empty batch.
  [[nodiscard]] double success_rate() const noexcept {
    return total == 0 ? 0.0 : static_cast<double>(succeeded) / static_cast<double>(total);
  }
};

}  // namespace llmm
