#pragma once
// The statistics of a batch, accumulated one result at a time in fixed memory (the streaming
// form never holds its results). Not synchronized: the batch's calling thread owns it.

#include "parallel/latency_histogram.hpp"

#include <llmm/parallel_result.hpp>
#include <llmm/parallel_run.hpp>

namespace llmm::parallel {

class BatchStatistics {
 public:
  void add(const ParallelResult& result);
  void note_in_flight(std::size_t in_flight) {
    stats_.max_in_flight = std::max(stats_.max_in_flight, in_flight);
  }
  // Everything that did not succeed: failed, timed out, cancelled, not started.
  [[nodiscard]] std::size_t unsuccessful() const noexcept {
    return stats_.total - stats_.succeeded;
  }
  [[nodiscard]] const ParallelStats& counts() const noexcept { return stats_; }
  // The stats with latencies filled in and the given duration.
  [[nodiscard]] ParallelStats finish(std::chrono::milliseconds total_duration) const;
  [[nodiscard]] ParallelProgress progress(std::size_t started, std::size_t in_flight,
                                          std::chrono::milliseconds elapsed) const;

 private:
  ParallelStats stats_;
  LatencyHistogram latency_;
};

}  // namespace llmm::parallel
