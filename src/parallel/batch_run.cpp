#include "parallel/batch_run.hpp"

#include "engine/call_engine.hpp"
#include "parallel/batch_statistics.hpp"
#include "parallel/region_balancer.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace llmm::parallel {
namespace {

using std::chrono::milliseconds;

// Where the event loop leaves finished responses for the caller's thread.
struct Mailbox {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<ParallelResult> results;
  bool wake = false;  // a stop or cancel request: look at the tokens again

  void post(ParallelResult result) {
    {
      std::lock_guard lock(mutex);
      results.push_back(std::move(result));
    }
    ready.notify_one();
  }
  void poke() {
    {
      std::lock_guard lock(mutex);
      wake = true;
    }
    ready.notify_one();
  }
};

std::string percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g%%", fraction * 100.0);
  return text;
}

class BatchRun {
 public:
  BatchRun(const BatchSettings& settings, const ParallelRunOptions& options)
      : settings_(settings),
        options_(options),
        balancer_(settings.manager.regions(), settings.config.load_balancing,
                  settings.config.target_regions_per_request
                      ? static_cast<std::size_t>(*settings.config.target_regions_per_request)
                      : settings.manager.regions().size(),
                  settings.seed),
        mailbox_(std::make_shared<Mailbox>()) {}

  ParallelRunSummary run(const ParallelRequestSource& next, const ParallelResultSink& sink) {
    const auto started_at = settings_.clock.now();
    auto next_progress = started_at + options_.progress_interval;
    std::stop_callback on_stop(options_.stop, [mailbox = mailbox_] { mailbox->poke(); });
    std::stop_callback on_cancel(options_.cancel, [this] {
      cancel_in_flight_.request_stop();
      mailbox_->poke();
    });
    const auto limit = static_cast<std::size_t>(settings_.config.max_concurrent_requests);
    while (true) {
      if (options_.cancel.stop_requested()) {
        close_intake("cancelled by the caller", /*cancel=*/true);
      } else if (options_.stop.stop_requested()) {
        close_intake("stopped by the caller", /*cancel=*/false);
      }
      while (intake_open_ && in_flight_ < limit) take_one(next, sink);
      if (!intake_open_ && in_flight_ == 0) break;
      std::deque<ParallelResult> finished;
      {
        std::unique_lock lock(mailbox_->mutex);
        // At least 1 ms: a zero or negative interval must not make this thread spin.
        mailbox_->ready.wait_for(lock, std::max(options_.progress_interval, milliseconds(1)),
                                 [this] { return !mailbox_->results.empty() || mailbox_->wake; });
        mailbox_->wake = false;
        finished.swap(mailbox_->results);
      }
      for (ParallelResult& result : finished) complete(std::move(result), sink);
      if (options_.on_progress && settings_.clock.now() >= next_progress) {
        report_progress(started_at);
        next_progress = settings_.clock.now() + options_.progress_interval;
      }
    }
    if (options_.on_progress) report_progress(started_at);
    ParallelRunSummary summary;
    summary.stats = statistics_.finish(
        std::chrono::duration_cast<milliseconds>(settings_.clock.now() - started_at));
    summary.stopped = stopped_;
    summary.success = strategy_success(settings_.config, summary.stats, stopped_.has_value());
    if (failure_) std::rethrow_exception(failure_);
    return summary;
  }

 private:
  void close_intake(const std::string& why, bool cancel) {
    if (intake_open_) {
      intake_open_ = false;
      if (!stopped_) stopped_ = why;
    }
    if (cancel) cancel_in_flight_.request_stop();
  }

  void take_one(const ParallelRequestSource& next, const ParallelResultSink& sink) {
    std::optional<ParallelRequest> request;
    try {
      request = next();
    } catch (...) {
      if (!failure_) failure_ = std::current_exception();
      close_intake("the request source threw", /*cancel=*/false);
      return;
    }
    if (!request) {
      intake_open_ = false;
      return;
    }
    const std::size_t index = started_++;
    if (request->id.empty()) request->id = generated_id(index);
    if (!live_ids_.insert(request->id).second) {
      deliver(
          refused(std::move(request->id), index, "", "another request with this id is in flight"),
          sink);
      return;
    }
    std::vector<std::string> regions = balancer_.assign();
    std::string start_region = regions.front();
    CallOptions call;
    call.timeout = settings_.config.request_timeout;
    call.regions = std::move(regions);
    call.cancel = cancel_in_flight_.get_token();
    try {
      settings_.manager.converse_async(
          request->request,
          [mailbox = mailbox_, id = request->id, index, start_region](BedrockResponse response) {
            mailbox->post(ParallelResult{id, index, RequestOutcome::Failed, start_region,
                                         std::move(response)});
          },
          call);
    } catch (const std::exception& error) {
      balancer_.release(start_region);
      live_ids_.erase(request->id);
      deliver(refused(std::move(request->id), index, start_region, error.what()), sink);
      return;
    }
    ++in_flight_;
    statistics_.note_in_flight(in_flight_);
  }

  static ParallelResult refused(std::string id, std::size_t index, std::string start_region,
                                const std::string& why) {
    ParallelResult result{
        std::move(id), index, RequestOutcome::Failed, std::move(start_region), {}};
    result.response.error = Error{ErrorCode::InvalidArgument, why};
    return result;
  }

  void complete(ParallelResult result, const ParallelResultSink& sink) {
    --in_flight_;
    live_ids_.erase(result.id);
    balancer_.release(result.start_region);
    const BedrockResponse& response = result.response;
    if (response.ok()) {
      result.outcome = RequestOutcome::Succeeded;
    } else if (response.error && response.error->code == ErrorCode::Cancelled &&
               cancel_in_flight_.stop_requested()) {
      result.outcome = RequestOutcome::Cancelled;
    } else if (response.error && engine::ended_by_request_timeout(*response.error)) {
      result.outcome = RequestOutcome::TimedOut;
    } else {
      result.outcome = RequestOutcome::Failed;
    }
    deliver(std::move(result), sink);
  }

  void deliver(ParallelResult result, const ParallelResultSink& sink) {
    statistics_.add(result);
    const bool failed =
        result.outcome == RequestOutcome::Failed || result.outcome == RequestOutcome::TimedOut;
    if (failed) apply_strategy(result);
    try {
      sink(std::move(result));
    } catch (...) {
      if (!failure_) failure_ = std::current_exception();
      close_intake("the result sink threw", /*cancel=*/false);
    }
  }

  void apply_strategy(const ParallelResult& result) {
    const ParallelConfig& config = settings_.config;
    switch (config.failure_strategy) {
      case FailureStrategy::ContinueOnFailure: return;
      case FailureStrategy::StopOnFirstFailure:
        close_intake("stop_on_first_failure: request " + result.id + " " +
                         std::string(to_string(result.outcome)) + ": " +
                         (result.response.error ? result.response.error->describe() : ""),
                     /*cancel=*/true);
        return;
      case FailureStrategy::StopOnThreshold: {
        const auto failed = static_cast<double>(statistics_.unsuccessful());
        const auto judged = options_.expected_total
                                ? static_cast<double>(*options_.expected_total)
                                : static_cast<double>(statistics_.counts().total);
        const bool enough = options_.expected_total || statistics_.counts().total >= 10;
        if (enough && judged > 0 && failed / judged > config.failure_threshold) {
          close_intake("stop_on_threshold: " + std::to_string(statistics_.unsuccessful()) + " of " +
                           std::to_string(static_cast<std::size_t>(judged)) +
                           " requests failed, above the threshold of " +
                           percent(config.failure_threshold),
                       /*cancel=*/true);
        }
        return;
      }
    }
  }

  void report_progress(std::chrono::steady_clock::time_point started_at) {
    ParallelProgress progress = statistics_.progress(
        started_, in_flight_,
        std::chrono::duration_cast<milliseconds>(settings_.clock.now() - started_at));
    progress.expected_total = options_.expected_total;
    try {
      options_.on_progress(progress);
    } catch (...) {  // NOLINT(bugprone-empty-catch): a progress display must not end the batch
    }
  }

  const BatchSettings& settings_;
  const ParallelRunOptions& options_;
  RegionBalancer balancer_;
  BatchStatistics statistics_;
  std::shared_ptr<Mailbox> mailbox_;
  std::stop_source cancel_in_flight_;  // the strategy's stop, or the caller's cancel
  std::unordered_set<std::string> live_ids_;
  std::size_t started_ = 0;
  std::size_t in_flight_ = 0;
  bool intake_open_ = true;
  std::optional<std::string> stopped_;
  std::exception_ptr failure_;
};

}  // namespace

std::string generated_id(std::size_t index) { return "request-" + std::to_string(index); }

bool strategy_success(const ParallelConfig& config, const ParallelStats& stats, bool stopped) {
  const std::size_t unsuccessful = stats.total - stats.succeeded;
  switch (config.failure_strategy) {
    case FailureStrategy::ContinueOnFailure: return stats.succeeded > 0;
    case FailureStrategy::StopOnFirstFailure:
      return stats.total > 0 && unsuccessful == 0 && !stopped;
    case FailureStrategy::StopOnThreshold:
      return stats.total > 0 && !stopped &&
             static_cast<double>(unsuccessful) / static_cast<double>(stats.total) <=
                 config.failure_threshold;
  }
  return false;
}

ParallelRunSummary run_batch(const BatchSettings& settings, const ParallelRequestSource& next,
                             const ParallelResultSink& on_result,
                             const ParallelRunOptions& options) {
  BatchRun run(settings, options);
  return run.run(next, on_result);
}

}  // namespace llmm::parallel
