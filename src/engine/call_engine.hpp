#pragma once
// The one call engine (DESIGN.md §3, §10): every call, one target or many, Converse, stream or
// control plane, runs here. For each failed attempt it classifies the error once
// (fault_triage.hpp), then decides in a fixed order:
//   1. the exchange may end the call (a stream that delivered content and may not recover);
//   1a. the service said the credentials expired: they are refreshed and the attempt resent at
//      once; or it refused the signature time and the reply's Date shows this clock 5 minutes
//      or more off: the offset is learned and the attempt resent at once. Each once per call,
//      not counted against max_retries;
//   2. the request's own fault, rejected credentials, cancellation: stop at once;
//   3. transient (throttling, 5xx, timeouts, connection errors, a damaged stream): the target is
//      retried after a backoff (full jitter, Retry-After honoured when configured), up to
//      1 + retries_per_target tries; its breaker counts the failure;
//   4. profile required, or the target refused this id: the same target through its next route,
//      at once;
//   5. a refused request field or feature: the same target without it, at once, when the
//      exchange can leave it out;
//   6. otherwise the target is done: fail over to the next one (if failover is on).
// Before every attempt the limits apply: max_retries across the call, the total deadline, the
// breakers (open targets are skipped unless all are open), the credentials (an attempt whose
// credentials are about to expire, or have, waits for their refresh: credential_cache.hpp;
// when it fails the call fails, as every target signs with them), then the target's rate
// controller (rate_controllers.hpp, RetryConfig::rate_control: fixed requests/tokens per minute,
// the adaptive CUBIC limiter): it reserves the attempt and may hold it back; a hold that would
// outlast the deadline ends the call at once, like a backoff. A first visit to a target is
// immediate but for its rate controller; only a revisit backs off, and waits are transport
// timers, never sleeping threads. Every answer, throttled or not, and its tokens feed the
// target's rate controller. Every attempt records the decision that followed it and its waits.
//
// LLMManager plans many targets; RuntimeClient, ControlPlaneClient and catalog discovery plan
// one target with failover off and nothing learned.

#include "engine/exchange.hpp"
#include "engine/manager_memory.hpp"
#include "engine/target.hpp"
#include "http/transport.hpp"

#include <llmm/backoff_policy.hpp>
#include <llmm/seams.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::observe {
class Logger;
}

namespace llmm::engine {

struct EngineSettings {
  BackoffPolicy backoff;
  bool honour_retry_after = true;
  // Transient retries of one target after its first attempt (ClientConfig::retries_max_attempts).
  int retries_per_target = 3;
  // Attempts after the first across the whole call (RetryConfig::max_retries); none: unbounded.
  std::optional<int> max_retries;
  std::optional<std::chrono::milliseconds> total_deadline;
  // Errors retried as transient whatever their class (RetryConfig::retryable_errors): matched
  // against Error::aws_error_type and the ErrorCode's name.
  std::vector<std::string> retryable_errors;
  // Move on to the next target when one is done; off, a call ends with its first target.
  bool failover = true;
  Seams seams;
  http::Transport* transport = nullptr;  // outlives every call (owned by the AuthManager)
  // What a manager learns across calls, its breakers and counters; null for one-target clients.
  std::shared_ptr<ManagerMemory> memory;
  // Set when LoggingConfig asks for Trace: each request and reply, redacted (observe/wire_log.hpp).
  // Outlives every call, like the transport.
  const observe::Logger* wire_log = nullptr;
};

// Where the call ended and how: the error (none on success), the history, and the target and
// route of the last attempt (the first planned target when no attempt was made).
struct CallOutcome {
  std::optional<Error> error;
  CallLog log;
  std::optional<Target> target;
  AccessRoute route;
  std::chrono::milliseconds total_duration{0};
};

// Gives a call its targets, in order; runs on the loop thread when the call starts. An empty
// list fails the call at once with ModelNotFound.
using TargetPlanner = std::function<std::vector<Target>()>;

// Sees each attempt once its decision is taken (a progress display); what it throws is dropped.
using AttemptObserver = std::function<void(const Attempt&)>;

// What one call adds to its manager's settings.
struct CallControls {
  // This call's own limit (a batch's request timeout): the earlier of it and the manager's
  // total deadline applies. Passing it cancels the transfer: the call ends with Timeout.
  std::optional<std::chrono::milliseconds> timeout;
  // A stop request cancels the call: the transfer in flight is cancelled, a pending backoff,
  // credentials or rate wait ends, and the call ends with Cancelled. Taken from any thread.
  std::stop_token cancel;
  // Names the call in the wire log (the manager's call id; 0 when it keeps none).
  std::uint64_t call_id = 0;
};

// The start of the Timeout message of a call that CallControls::timeout ended.
inline constexpr std::string_view kRequestTimeoutName = "the request timeout";
[[nodiscard]] inline bool ended_by_request_timeout(const Error& error) {
  return error.code == ErrorCode::Timeout && error.message.starts_with(kRequestTimeoutName);
}

// Runs one call; everything, `plan`, the exchange, `done` and `on_attempt` included, runs on the
// loop thread.
void run_call(const EngineSettings& settings, TargetPlanner plan,
              std::shared_ptr<Exchange> exchange, std::function<void(CallOutcome)> done,
              AttemptObserver on_attempt = {}, CallControls controls = {});

}  // namespace llmm::engine
