#include <llmm/parallel_llm_manager_options.hpp>
#include <llmm/parallel_result.hpp>

#include <stdexcept>
#include <string>

namespace llmm {

std::string_view to_string(FailureStrategy strategy) noexcept {
  switch (strategy) {
    case FailureStrategy::ContinueOnFailure: return "continue_on_failure";
    case FailureStrategy::StopOnFirstFailure: return "stop_on_first_failure";
    case FailureStrategy::StopOnThreshold: return "stop_on_threshold";
  }
  return "unknown";
}

std::string_view to_string(LoadBalancing strategy) noexcept {
  switch (strategy) {
    case LoadBalancing::RoundRobin: return "round_robin";
    case LoadBalancing::LeastLoaded: return "least_loaded";
    case LoadBalancing::Random: return "random";
  }
  return "unknown";
}

std::string_view to_string(RequestOutcome outcome) noexcept {
  switch (outcome) {
    case RequestOutcome::Succeeded: return "succeeded";
    case RequestOutcome::Failed: return "failed";
    case RequestOutcome::TimedOut: return "timed_out";
    case RequestOutcome::Cancelled: return "cancelled";
    case RequestOutcome::NotStarted: return "not_started";
  }
  return "unknown";
}

void ParallelConfig::validate() const {
  if (max_concurrent_requests < 1) {
    throw std::invalid_argument("ParallelConfig.max_concurrent_requests must be >= 1, got " +
                                std::to_string(max_concurrent_requests));
  }
  if (request_timeout.count() <= 0) {
    throw std::invalid_argument("ParallelConfig.request_timeout must be > 0 ms, got " +
                                std::to_string(request_timeout.count()));
  }
  // NaN fails both comparisons, so it is refused too.
  if (!(failure_threshold >= 0.0 && failure_threshold <= 1.0)) {
    throw std::invalid_argument("ParallelConfig.failure_threshold must be in [0, 1], got " +
                                std::to_string(failure_threshold));
  }
  if (target_regions_per_request && *target_regions_per_request < 1) {
    throw std::invalid_argument("ParallelConfig.target_regions_per_request must be >= 1, got " +
                                std::to_string(*target_regions_per_request));
  }
}

}  // namespace llmm
