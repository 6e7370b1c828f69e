#pragma once
// ParallelResponse: what ParallelLLMManager::converse_parallel() returns, every result by id and
// in input order, the batch's statistics, and whether the failure strategy stopped it.

#include <llmm/parallel_request.hpp>
#include <llmm/parallel_result.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

// A value type: not synchronized.
struct ParallelResponse {
  // By the failure strategy: ContinueOnFailure, at least one success; StopOnFirstFailure, no
  // failure; StopOnThreshold, failed / total within the threshold.
  bool success = false;
  std::vector<ParallelResult> results;  // one per request, in input order
  ParallelStats stats;
  std::vector<ParallelRequest>
      requests;  // as run, ids filled in (retry_failed_requests reads them)
  // Why the batch stopped before its end ("stop_on_first_failure: request r7 failed: ...");
  // none when every request was started.
  std::optional<std::string> stopped;
  std::map<std::string, std::size_t, std::less<>> index_by_id;  // id -> position in results

  // The result with this id, or null.
  [[nodiscard]] const ParallelResult* find(std::string_view id) const;
  // The ids whose result has this outcome, in input order.
  [[nodiscard]] std::vector<std::string> ids(RequestOutcome outcome) const;
  [[nodiscard]] std::vector<std::string> successful_ids() const {
    return ids(RequestOutcome::Succeeded);
  }
  [[nodiscard]] std::vector<std::string> failed_ids() const { return ids(RequestOutcome::Failed); }
  [[nodiscard]] std::vector<std::string> timed_out_ids() const {
    return ids(RequestOutcome::TimedOut);
  }
  [[nodiscard]] std::vector<std::string> not_started_ids() const {
    return ids(RequestOutcome::NotStarted);
  }
  // Every warning of every response, each prefixed with its request id.
  [[nodiscard]] std::vector<std::string> warnings() const;
};

}  // namespace llmm
