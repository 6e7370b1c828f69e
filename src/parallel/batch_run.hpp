#pragma once
// The one batch loop (ParallelLLMManager::converse_each, and through it converse_parallel and
// retry_failed_requests): pull a request while a slot is free, start it as an LLMManager call
// with the batch's timeout, regions and cancellation, hand each result to the sink as it
// completes, apply the failure strategy, report progress.
//
// Threads: the loop runs on the caller's thread, which alone touches the source, the sink, the
// statistics and the balancer; the event loop only posts finished responses to a mailbox.

#include <llmm/clock.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager_options.hpp>
#include <llmm/parallel_run.hpp>

#include <cstdint>
#include <string>

namespace llmm::parallel {

struct BatchSettings {
  const LLMManager& manager;
  const ParallelConfig& config;
  Clock& clock;
  std::uint64_t seed;  // LoadBalancing::Random
};

// Rethrows what the source or the sink threw, once every started request has been delivered.
ParallelRunSummary run_batch(const BatchSettings& settings, const ParallelRequestSource& next,
                             const ParallelResultSink& on_result,
                             const ParallelRunOptions& options);

// "request-<index>": the id of a request given without one.
std::string generated_id(std::size_t index);

// Whether a batch with these counts succeeded under the configured strategy.
bool strategy_success(const ParallelConfig& config, const ParallelStats& stats, bool stopped);

}  // namespace llmm::parallel
