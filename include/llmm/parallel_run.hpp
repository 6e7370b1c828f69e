#pragma once
// The streaming form of a batch (ParallelLLMManager::converse_each): requests pulled from a
// source as slots free up, each result handed to a sink as it completes, progress reported on
// the way. Memory is bounded by max_concurrent_requests, not by the number of requests.

#include <llmm/parallel_request.hpp>
#include <llmm/parallel_result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

namespace llmm {

// The next request, or nullopt when there are no more. What it throws ends the intake: the
// requests in flight finish, and converse_each() rethrows once they have been delivered.
using ParallelRequestSource = std::function<std::optional<ParallelRequest>()>;
// Takes each result as it completes (in completion order). What it throws is treated as the
// source's throw is.
using ParallelResultSink = std::function<void(ParallelResult)>;

// A value type: not synchronized.
struct ParallelProgress {
  std::size_t started = 0;  // sent, or refused before sending
  std::size_t done = 0;     // delivered to the sink
  std::size_t succeeded = 0;
  std::size_t failed = 0;  // failed, timed out or cancelled
  std::size_t timed_out = 0;
  std::size_t in_flight = 0;
  std::optional<std::size_t> expected_total;  // ParallelRunOptions::expected_total
  double requests_per_second = 0;             // results delivered per second since the start
  long long input_tokens = 0;
  long long output_tokens = 0;
  std::uint64_t throttled_attempts = 0;
  std::map<std::string, std::size_t> by_region;  // successes per answering region
  std::chrono::milliseconds elapsed{0};          // on the manager's clock
};

// A value type: not synchronized. The callbacks run on the thread that called converse_each().
struct ParallelRunOptions {
  // Called every progress_interval while the batch runs, and once at its end.
  std::function<void(const ParallelProgress&)> on_progress;
  std::chrono::milliseconds progress_interval{1000};
  // A stop request: take no more requests; those in flight finish and are delivered.
  std::stop_token stop;
  // A cancel request: take no more requests and cancel those in flight (each is delivered as
  // Cancelled).
  std::stop_token cancel;
  // How many requests the source will give, when known: StopOnThreshold then stops as soon as
  // the threshold can no longer be met, and progress shows the share done. Unknown, the
  // threshold is judged over the results delivered so far, from the 10th on.
  std::optional<std::size_t> expected_total;
};

// What converse_each() returns once every started request has been delivered.
// A value type: not synchronized.
struct ParallelRunSummary {
  bool success = false;  // by the failure strategy, as ParallelResponse::success
  ParallelStats stats;
  // Why the batch ended before its source did: the failure strategy, or a stop or cancel
  // request; none when the source was drained.
  std::optional<std::string> stopped;
};

}  // namespace llmm
