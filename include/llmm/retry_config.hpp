#pragma once
// How an LLMManager retries and fails over (DESIGN.md §3). Defaults follow the Python library
// (1 s base, doubling, 60 s cap, region-first, feature fallback on), with full jitter,
// Retry-After honoured, per-target breakers and an optional deadline for the whole call.
//
// Bounds: a target (model, region) is tried at most 1 + ClientConfig::retries_max_attempts
// times for transient errors; `max_retries`, when set, caps the attempts after the first across
// the whole call; `total_deadline`, when set, caps its duration. Switching a target's access
// method or dropping a rejected feature resends at once and counts as an attempt.
// `rate_control` (off by default) spaces a target's attempts to ride its quota
// (rate_control_config.hpp).

#include <llmm/access_method.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/rate_control_config.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace llmm {

// REGION_FIRST tries every region of the first model before the next model; MODEL_FIRST every
// model in the first region before the next region.
enum class RetryStrategy { RegionFirst, ModelFirst };
// Fixed keeps the configured order; Rotate starts each call one region further; Shuffle
// permutes the regions per call (from the injected RandomSource).
enum class RegionOrder { Fixed, Rotate, Shuffle };

// Stops a manager from hammering a sick target: after `failure_threshold` consecutive transient
// failures (throttles, 5xx, timeouts, connection errors) the target is skipped for `cool_down`,
// unless every target is open.
// A value type: not synchronized.
struct CircuitBreakerConfig {
  bool enabled = true;
  int failure_threshold = 5;
  std::chrono::milliseconds cool_down{30'000};
};

// A value type: not synchronized; a manager keeps its own copy.
struct RetryConfig {
  std::chrono::milliseconds retry_delay{1000};  // base of the backoff
  double backoff_multiplier = 2.0;
  std::chrono::milliseconds max_retry_delay{60'000};
  std::optional<int> max_retries;  // attempts after the first, across the whole call
  RetryStrategy retry_strategy = RetryStrategy::RegionFirst;
  RegionOrder region_order = RegionOrder::Fixed;
  std::optional<AccessMethod> access_method_preference;  // tried first where available
  // This share of calls (in [0, 1]) tries the global inference profile first where the model
  // has one; the others follow access_method_preference. Deterministic, not random: of any n
  // consecutive calls, n * fraction rounded down or up go global. CallOptions'
  // access_method_preference overrides it for a call.
  std::optional<double> global_cris_fraction;
  // Drop what a target rejects (request fields, media blocks, tools, guardrails) and resend,
  // restoring it for the next target; each drop is a warning on the response.
  bool enable_feature_fallback = true;
  bool honour_retry_after = true;  // Retry-After / x-amz-retry-after raise the wait
  std::optional<std::chrono::milliseconds> total_deadline;
  CircuitBreakerConfig circuit_breaker;
  RateControlConfig rate_control;  // per-target client-side rate limiting; off by default
  // More errors to retry on the same target after a backoff, as throttling is: the service's
  // error type ("ModelStreamErrorException", as Error::aws_error_type gives it) or an ErrorCode
  // name ("ModelError"). A cancelled call is never retried.
  std::vector<std::string> retryable_errors;

  // Throws std::invalid_argument naming the field when a value is out of range.
  void validate() const;
  [[nodiscard]] BackoffPolicy backoff() const {
    return BackoffPolicy{retry_delay, backoff_multiplier, max_retry_delay};
  }
};

}  // namespace llmm
