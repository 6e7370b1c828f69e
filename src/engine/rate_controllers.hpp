#pragma once
// The rate controller of each target one manager calls (RetryConfig::rate_control): its fixed
// requests- and tokens-per-minute buckets (from the most specific matching FixedRateLimit) and,
// in Adaptive mode, its CUBIC limiter. Made on a target's first attempt, kept for the manager's
// life, keyed like the breakers. The engine asks before every attempt how long it must wait,
// tells it each answer (throttled or not, and the tokens it used), and gives back what an
// attempt that never went out had reserved.
// Thread-safe: every call of one manager shares it (one lock; each operation is a few sums).

#include "engine/cubic_rate_limiter.hpp"
#include "engine/rate_bucket.hpp"
#include "engine/target.hpp"

#include <llmm/rate_control_config.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmm::engine {

class RateControllers {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  explicit RateControllers(RateControlConfig config);

  // False when rate control is off and no limit is set: the engine skips every step.
  [[nodiscard]] bool active() const noexcept { return !config_.off(); }

  // Reserves `target`'s next attempt at `now`: how long it must wait first (zero: go now), the
  // longest of what its buckets ask; the reservation holds whether or not it waits. When the
  // adaptive limiter has no token within its horizon nothing is reserved, and the answer says
  // when to ask again (RateAdmission::reserved false).
  RateAdmission admit(const Target& target, TimePoint now);
  // The attempt admitted last for `target` does not go out (the call ended while it waited).
  void give_back(const Target& target, TimePoint now);
  // An attempt to `target` admitted at `admitted_at` ended at `now` with an answer; `throttled`
  // when the service refused it for rate; `tokens` the answer's input + output tokens (0 when
  // none).
  void record(const Target& target, TimePoint now, bool throttled, long long tokens,
              TimePoint admitted_at);

  // The fixed limit that applies to `target`, if any (the most specific matching rule).
  [[nodiscard]] const FixedRateLimit* limit_for(const Target& target) const;

  // Each target's requests-per-minute limit in force (Target::breaker_key(), limit): the
  // adaptive limiter's rate once a throttle made it limit, else the fixed limit; targets with
  // neither are left out. For the metrics' rate-limit gauge.
  [[nodiscard]] std::vector<std::pair<std::string, double>> request_limits();

 private:
  struct Controller {
    std::optional<RateBucket> requests;
    std::optional<RateBucket> tokens;
    std::optional<CubicRateLimiter> adaptive;
    std::optional<double> requests_per_minute;  // the fixed limit `requests` refills at
  };
  Controller& controller(const Target& target, TimePoint now);

  RateControlConfig config_;
  std::mutex mutex_;
  std::map<std::string, Controller> controllers_;
};

}  // namespace llmm::engine
