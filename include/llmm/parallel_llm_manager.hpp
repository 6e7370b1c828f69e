#pragma once
// ParallelLLMManager: runs many Converse requests with a bound on how many are in flight, on the
// one event loop of an LLMManager it builds with the same ClientConfig. No thread per request.
//
// Each request is one LLMManager call with the batch's own limits: its request_timeout, and a
// failover list that starts in the region load balancing gives it (so N regions' quotas add up)
// and spans at most target_regions_per_request regions. The failure strategy really stops: no
// new request starts, the ones in flight are cancelled, and those never sent are reported.

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>
#include <llmm/configuration_report.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/parallel_llm_manager_options.hpp>
#include <llmm/parallel_request.hpp>
#include <llmm/parallel_response.hpp>
#include <llmm/parallel_run.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm {

class LLMManager;

// Thread-safe: converse_parallel(), converse_each() and retry_failed_requests() may be called
// from several threads at once (each batch bounds itself to max_concurrent_requests, not the sum
// of batches); never from a completion callback (they block). The destructor must not race
// calls.
class ParallelLLMManager {
 public:
  // Throws as LLMManager does, and std::invalid_argument for a ParallelConfig out of range
  // (ParallelConfig::validate), or target_regions_per_request above the number of regions.
  //
  //   ParallelLLMManager batch({.manager = {.models = {"Claude 3 Haiku"}, .regions =
  //   {"us-east-1"}},
  //                             .parallel = {.max_concurrent_requests = 16}});
  explicit ParallelLLMManager(ParallelLLMManagerOptions options);
  // The same, positionally (ParallelConfig before CatalogConfig and Seams).
  ParallelLLMManager(std::vector<std::string> models, std::vector<std::string> regions,
                     AuthConfig auth_config = {}, RetryConfig retry_config = {},
                     ClientConfig client_config = {}, ParallelConfig parallel_config = {},
                     CatalogConfig catalog_config = {}, Seams seams = {});
  ~ParallelLLMManager();
  ParallelLLMManager(const ParallelLLMManager&) = delete;
  ParallelLLMManager& operator=(const ParallelLLMManager&) = delete;

  // Runs every request; returns when each has a result. Never throws for request outcomes.
  // Throws RequestValidationError for an empty list or duplicate ids (naming them), before
  // anything is sent.
  [[nodiscard]] ParallelResponse converse_parallel(std::vector<ParallelRequest> requests) const;
  // The same with generated ids ("request-0", "request-1", ...).
  [[nodiscard]] ParallelResponse converse_parallel(
      const std::vector<ConverseRequest>& requests) const;

  // Runs again the requests of `previous` that did not succeed (failed, timed out, cancelled,
  // not started) and that `filter` selects (all when it is empty; a filter that throws skips
  // that request), and merges: previous successes kept, retried results replaced, durations
  // summed. Returns `previous` unchanged when nothing is selected. Throws std::invalid_argument
  // when `previous` has nothing that did not succeed.
  [[nodiscard]] ParallelResponse retry_failed_requests(
      const ParallelResponse& previous,
      const std::function<bool(const ParallelResult&)>& filter = {}) const;

  // The streaming form, for batches of any size: pulls requests from `next` while fewer than
  // max_concurrent_requests are in flight, hands each result to `on_result` as it completes,
  // and returns when the source is drained (or the batch stopped) and every started request has
  // been delivered. Ids are not remembered once delivered: a request whose id is in flight is
  // refused (Failed, InvalidArgument) and the caller keeps ids unique across the whole input.
  // `next`, `on_result` and `options.on_progress` run on the calling thread, one at a time.
  ParallelRunSummary converse_each(const ParallelRequestSource& next,
                                   const ParallelResultSink& on_result,
                                   const ParallelRunOptions& options = {}) const;

  [[nodiscard]] const ParallelConfig& parallel_config() const noexcept;
  [[nodiscard]] const LLMManager& underlying_manager() const noexcept;
  // The underlying manager's (LLMManager::validate_configuration, refresh_model_data): a
  // refresh during a batch leaves the requests in flight on their targets.
  [[nodiscard]] ConfigurationReport validate_configuration() const;
  void refresh_model_data();

 private:
  ParallelConfig parallel_config_;
  std::shared_ptr<Clock> clock_;  // the manager's: latencies, rates, elapsed time
  // LoadBalancing::Random draws from a generator per batch, seeded from this and the batch's
  // number (the RandomSource itself belongs to the event loop).
  std::uint64_t random_seed_ = 0;
  mutable std::atomic<std::uint64_t> batches_{0};
  std::unique_ptr<LLMManager> manager_;
};

}  // namespace llmm
