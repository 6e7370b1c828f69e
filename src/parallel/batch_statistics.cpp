#include "parallel/batch_statistics.hpp"

namespace llmm::parallel {

void BatchStatistics::add(const ParallelResult& result) {
  ++stats_.total;
  const BedrockResponse& response = result.response;
  if (!result.start_region.empty()) ++stats_.start_regions[result.start_region];
  stats_.attempts += response.attempts.size();
  for (const Attempt& attempt : response.attempts) {
    if (attempt.error && attempt.error->code == ErrorCode::Throttled) ++stats_.throttled_attempts;
  }
  switch (result.outcome) {
    case RequestOutcome::Succeeded: {
      ++stats_.succeeded;
      latency_.add(response.total_duration);
      const TokenUsage usage = response.usage();
      stats_.tokens.input_tokens += usage.input_tokens;
      stats_.tokens.output_tokens += usage.output_tokens;
      stats_.tokens.total_tokens += usage.total_tokens;
      stats_.tokens.cache_read_input_tokens += usage.cache_read_input_tokens;
      stats_.tokens.cache_write_input_tokens += usage.cache_write_input_tokens;
      if (usage.cache_read_input_tokens > 0) ++stats_.cache_hits;
      ++stats_.by_region[response.region];
      ++stats_.by_model[response.model_name];
      ++stats_.by_access_method[std::string(to_string(response.access_method))];
      break;
    }
    case RequestOutcome::Failed: ++stats_.failed; break;
    case RequestOutcome::TimedOut: ++stats_.timed_out; break;
    case RequestOutcome::Cancelled: ++stats_.cancelled; break;
    case RequestOutcome::NotStarted: ++stats_.not_started; break;
  }
}

ParallelStats BatchStatistics::finish(std::chrono::milliseconds total_duration) const {
  ParallelStats stats = stats_;
  stats.latency = LatencySummary{latency_.min_ms(),          latency_.mean_ms(),
                                 latency_.quantile_ms(0.5),  latency_.quantile_ms(0.9),
                                 latency_.quantile_ms(0.99), latency_.max_ms()};
  stats.total_duration = total_duration;
  return stats;
}

ParallelProgress BatchStatistics::progress(std::size_t started, std::size_t in_flight,
                                           std::chrono::milliseconds elapsed) const {
  ParallelProgress progress;
  progress.started = started;
  progress.done = stats_.total;
  progress.succeeded = stats_.succeeded;
  progress.failed = stats_.total - stats_.succeeded;
  progress.timed_out = stats_.timed_out;
  progress.in_flight = in_flight;
  progress.elapsed = elapsed;
  if (elapsed.count() > 0) {
    progress.requests_per_second =
        static_cast<double>(stats_.total) * 1000.0 / static_cast<double>(elapsed.count());
  }
  progress.input_tokens = stats_.tokens.input_tokens;
  progress.output_tokens = stats_.tokens.output_tokens;
  progress.throttled_attempts = stats_.throttled_attempts;
  progress.by_region = stats_.by_region;
  return progress;
}

}  // namespace llmm::parallel
