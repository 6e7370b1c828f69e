#pragma once
// ParallelConfig and ParallelLLMManagerOptions: what a ParallelLLMManager is built from, as one
// aggregate for designated initializers (fields in declaration order):
//
//   llmm::ParallelLLMManager batch({.manager = {.models = {"Claude 3 Haiku"},
//                                               .regions = {"us-east-1", "us-west-2"}},
//                                   .parallel = {.max_concurrent_requests = 64}});

#include <llmm/llm_manager_options.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace llmm {

// What a batch does when requests fail (the Python library's FailureHandlingStrategy, except
// that a stop really stops: nothing new starts, the requests in flight are cancelled, and the
// requests that never started are reported as such).
enum class FailureStrategy {
  ContinueOnFailure,   // run everything; the batch succeeds when at least one request did
  StopOnFirstFailure,  // the first failed request stops the batch
  StopOnThreshold,     // stop once failed / total exceeds failure_threshold
};

// Where each request starts its failover list. Every request still fails over through the
// manager's other regions (at most target_regions_per_request of them); what the strategy
// decides is the first, so the regions' quotas add up instead of every request queuing on the
// first region.
enum class LoadBalancing {
  RoundRobin,   // request k starts in region k mod N
  LeastLoaded,  // the region with the fewest requests of this batch in flight
  Random,       // uniformly, from the manager's RandomSource
};

// "continue_on_failure", "stop_on_first_failure", "stop_on_threshold"
std::string_view to_string(FailureStrategy strategy) noexcept;
// "round_robin", "least_loaded", "random"
std::string_view to_string(LoadBalancing strategy) noexcept;

// A value type: not synchronized. Defaults are the Python library's (5 in flight, 300 s per
// request, continue on failure, threshold 0.5, round robin).
struct ParallelConfig {
  int max_concurrent_requests = 5;  // in flight at once; must be >= 1
  // Each request's own limit, from its start to its answer, retries and failover included:
  // when it passes, the transfer is cancelled, its slot is freed and the request is reported
  // as timed out. Must be > 0.
  std::chrono::milliseconds request_timeout{300'000};
  FailureStrategy failure_strategy = FailureStrategy::ContinueOnFailure;
  double failure_threshold = 0.5;  // for StopOnThreshold: a fraction in [0, 1]
  LoadBalancing load_balancing = LoadBalancing::RoundRobin;
  // How many of the manager's regions one request may use, starting where load balancing
  // puts it; none: all of them. Must be >= 1 and at most the number of regions.
  std::optional<int> target_regions_per_request;

  // Throws std::invalid_argument naming the field when a value is out of range.
  void validate() const;
};

// A value type: not synchronized. `manager` builds the one underlying LLMManager.
struct ParallelLLMManagerOptions {
  LLMManagerOptions manager;
  ParallelConfig parallel;
};

}  // namespace llmm
