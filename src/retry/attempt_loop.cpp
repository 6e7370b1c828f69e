#include "retry/attempt_loop.hpp"

#include "protocol/aws_error.hpp"
#include "retry/retry_classifier.hpp"

#include <chrono>
#include <exception>
#include <optional>

namespace llmm::retry {
namespace {

struct LoopState : std::enable_shared_from_this<LoopState> {
  http::Transport* transport = nullptr;
  AttemptLoopOptions options;
  RequestFactory make_request;
  AttemptLoopDone done;
  std::vector<Attempt> attempts;

  void start_attempt(std::chrono::milliseconds backoff_before) {
    Attempt attempt;
    attempt.number = static_cast<int>(attempts.size()) + 1;
    attempt.model_id = options.model_id;
    attempt.region = options.region;
    attempt.backoff_before = backoff_before;
    attempts.push_back(attempt);
    const auto started = options.clock->now();
    http::HttpRequest request;
    try {
      request = make_request(attempt.number, options.max_retries + 1);
    } catch (const std::exception& error) {
      // Building or signing failed (e.g. a value the signer refuses). Report it as this call's
      // outcome: on a retry this runs on the loop thread, where a throw would lose the call.
      Error failure{ErrorCode::InvalidArgument, std::string("cannot build the request: ") + error.what()};
      failure.model_id = options.model_id;
      failure.region = options.region;
      failure.attempt = attempt.number;
      attempts.back().error = failure;
      done(std::move(failure), std::move(attempts));
      return;
    }
    transport->submit(std::move(request),
                      {.on_complete = [self = shared_from_this(), started](Result<http::HttpResponse> outcome) {
                         self->finish_attempt(std::move(outcome), started);
                       }});
  }

  void finish_attempt(Result<http::HttpResponse> outcome,
                      std::chrono::steady_clock::time_point started) {
    Attempt& attempt = attempts.back();
    attempt.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        options.clock->now() - started);

    std::optional<std::chrono::milliseconds> hint;
    if (outcome && outcome->status >= 200 && outcome->status < 300) {
      done(std::move(outcome), std::move(attempts));
      return;
    }
    Error error = outcome ? protocol::error_from_response(*outcome) : outcome.error();
    if (outcome) hint = protocol::retry_after_hint(*outcome);
    error.model_id = options.model_id;
    error.region = options.region;
    error.attempt = attempt.number;
    attempt.error = error;

    const int retries_used = attempt.number - 1;
    if (!is_transient(error) || retries_used >= options.max_retries) {
      done(std::move(error), std::move(attempts));
      return;
    }
    const auto delay = options.backoff.delay_for(retries_used, options.random->uniform(), hint);
    transport->schedule(delay, [self = shared_from_this(), delay] { self->start_attempt(delay); });
  }
};

}  // namespace

void run_attempt_loop(http::Transport& transport, AttemptLoopOptions options,
                      RequestFactory make_request, AttemptLoopDone done) {
  auto state = std::make_shared<LoopState>();
  state->transport = &transport;
  state->options = std::move(options);
  state->make_request = std::move(make_request);
  state->done = std::move(done);
  state->start_attempt(std::chrono::milliseconds(0));
}

}  // namespace llmm::retry
