#pragma once
// Client-side rate control per target (model, region), so that a batch rides a quota instead of
// storming it: when a region throttles, every request in flight would otherwise hit the throttle
// and fail over together. Two mechanisms, each optional, both off by default:
//  * Adaptive: the AWS SDKs' adaptive retry mode's client-side rate limiter (CUBIC). It does not
//    limit until a target first throttles; from then on the target's attempts pass a token bucket
//    whose fill rate is the measured send rate cut by `cubic_beta` on each throttle and grown
//    back along the CUBIC curve while answers succeed (never below `min_rate`, never above twice
//    the measured send rate). Unlike the SDKs' limiter, which collapses to its floor when many
//    calls are in flight: one cut per round (throttles of attempts admitted before the last cut
//    do not cut again), a send-rate estimate in the first half second, tokens reserved at most
//    50 ms ahead, and a cut forgives the debt of reservations made at the old rate.
//  * Fixed limits: requests and tokens per minute for the targets a rule matches, each target
//    with its own buckets. Every attempt takes one request; an answer's input + output tokens are
//    charged after it, and an attempt is admitted while the tokens bucket is not in debt. Each
//    bucket holds one second's worth of its limit (at least one request) and starts full.
// An attempt held back waits on the event loop (ManagerStats::rate_limited_waits,
// Attempt::rate_wait_before); the wait counts against the call's deadlines and ends on cancel.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

enum class RateControlMode {
  Off,       // no adaptive limiting (fixed limits still apply)
  Adaptive,  // the SDKs' CUBIC client-side rate limiter per target, from its first throttle
};

// "off", "adaptive".
std::string_view to_string(RateControlMode mode) noexcept;

// Fixed limits for the targets this rule matches. `model` is matched against the model name as
// the manager was given it ("Claude 3 Haiku") or its foundation model id; "*" matches any. The
// most specific matching rule applies to a target (model and region named, then model only,
// then region only, then neither); among equally specific ones, the first listed.
// A value type: not synchronized.
struct FixedRateLimit {
  std::string model = "*";
  std::string region = "*";
  std::optional<double> requests_per_minute;  // attempts started, per target
  std::optional<double> tokens_per_minute;    // input + output tokens answered, per target
};

// A value type: not synchronized; a manager keeps its own copy (RetryConfig::rate_control).
struct RateControlConfig {
  RateControlMode mode = RateControlMode::Off;
  // The CUBIC constants of the SDKs' adaptive mode: the share of the rate kept after a throttle,
  // how fast the rate grows back, the weight of the newest send-rate measurement, and the floor
  // in requests per second.
  double cubic_beta = 0.7;
  double cubic_scale = 0.4;
  double smoothing = 0.8;
  double min_rate = 0.5;
  std::vector<FixedRateLimit> limits;

  // True when neither mechanism is on: the engine does not consult it.
  [[nodiscard]] bool off() const noexcept { return mode == RateControlMode::Off && limits.empty(); }
  // Throws std::invalid_argument naming the field ("RateControlConfig.limits[1].tokens_per_minute
  // must be > 0, got -5") when a value is out of range, a rule names no limit or a blank model or
  // region, or two rules name the same model and region.
  void validate() const;
};

}  // namespace llmm
