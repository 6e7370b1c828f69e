#pragma once
// The AWS SDKs' adaptive client-side rate limiter for one target (botocore retries/adaptive.py,
// bucket.py, cubic.py; the same in the Java, Go and C++ SDKs), so a target that throttles gets
// fewer attempts instead of all of them at once:
//  * every answer (throttled or not) is counted into the measured send rate: the count per
//    half-second bucket, smoothed (`smoothing` on the newest);
//  * a throttle records the rate in use (the measured rate, capped by the fill rate once
//    limiting) as the CUBIC maximum W, and cuts the rate to W × beta;
//  * a success sets the rate to scale × (t - K)³ + W, t the time since the last throttle and
//    K = ∛(W × (1 - beta) / scale): back to W at t = K, then beyond it;
//  * the token bucket fills at that rate, but never above twice the measured rate nor below
//    `min_rate`, and holds max(1, rate) tokens; each attempt takes one.
// It does not limit before the first throttle. Unlike the SDKs, which block the sending thread,
// acquire() reserves the token and says how long to wait for it (the wait is a loop timer).
// Times are seconds on the injected clock's timeline since the limiter was made.
// Not synchronized: RateControllers holds its lock around it.

#include <chrono>
#include <optional>

namespace llmm::engine {

struct CubicParameters {
  double beta = 0.7;
  double scale = 0.4;
  double smoothing = 0.8;
  double min_rate = 0.5;  // requests per second
};

class CubicRateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  CubicRateLimiter(CubicParameters parameters, TimePoint now);

  // Reserves one attempt: how long until its token is there (zero before the first throttle).
  Duration acquire(TimePoint now);
  // Returns a token reserved and not used (the attempt never went out).
  void give_back(TimePoint now);
  // An attempt's answer arrived at `now`; `throttled` when the service refused it for rate.
  void record(TimePoint now, bool throttled);

  // What the limiter holds, for tests and diagnostics: limiting yet (a throttle was seen), the
  // bucket's fill rate (requests per second), the measured send rate, the tokens at `now`.
  [[nodiscard]] bool limiting() const noexcept { return limiting_; }
  [[nodiscard]] double fill_rate() const noexcept { return fill_rate_; }
  [[nodiscard]] double measured_rate() const noexcept { return measured_rate_; }
  [[nodiscard]] double tokens(TimePoint now);

 private:
  [[nodiscard]] double seconds(TimePoint now) const;
  double measure(double t);
  void refill(double t);
  void set_rate(double rate, double t);

  CubicParameters parameters_;
  TimePoint epoch_;
  bool limiting_ = false;
  // The send-rate measurement.
  double measured_rate_ = 0;
  double last_bucket_ = 0;
  double count_ = 0;
  // The CUBIC curve: its maximum W, its zero point K and the last throttle.
  double w_max_ = 0;
  double k_ = 0;
  double last_throttle_ = 0;
  // The token bucket (the SDKs start it at one request per second, empty).
  double fill_rate_ = 1;
  double capacity_ = 1;
  double tokens_ = 0;
  std::optional<double> last_refill_;
};

}  // namespace llmm::engine
