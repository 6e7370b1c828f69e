#pragma once
// The per-target attempt loop: send, classify, wait (a timer on the event loop), send again, up
// to 1 + max_retries attempts. The only retry loop below the manager; the transport never retries.

#include "http/transport.hpp"

#include <llmm/attempt.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/clock.hpp>
#include <llmm/random_source.hpp>
#include <llmm/result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm::retry {

struct AttemptLoopOptions {
  int max_retries = 3;
  BackoffPolicy backoff;
  std::shared_ptr<Clock> clock;
  std::shared_ptr<RandomSource> random;
  std::string model_id;  // recorded on attempts and errors
  std::string region;
};

// Builds the request for attempt `number` of `max_attempts` (re-signed each time).
using RequestFactory = std::function<http::HttpRequest(int number, int max_attempts)>;
// The final 2xx response, or the last attempt's error; with every attempt made. Runs on the
// transport's loop thread.
using AttemptLoopDone = std::function<void(Result<http::HttpResponse>, std::vector<Attempt>)>;

// The caller keeps `transport` alive for the call; the loop itself holds it by reference only,
// from callbacks that run on its own thread (which exists only while the transport does), so a
// transport is never destroyed from its own loop thread.
void run_attempt_loop(http::Transport& transport, AttemptLoopOptions options,
                      RequestFactory make_request, AttemptLoopDone done);

}  // namespace llmm::retry
