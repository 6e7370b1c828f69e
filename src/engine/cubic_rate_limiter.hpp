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
// It does not limit before the first throttle. Three departures from the SDKs:
//  * The SDKs block the sending thread until a token is there, waking when the rate changes.
//    Here acquire() reserves a token only when it comes within `reservation_horizon` and says
//    how long to wait for it (a loop timer); a caller further back is told to ask again after
//    the horizon. Reserving at any distance would queue hundreds of calls into debt at a rate
//    just cut to its floor, each waiting for minutes however fast the rate then grows back.
//  * One cut per round trip, as TCP does: a throttle of an attempt admitted before the last cut
//    answers the old rate and does not cut again (it is still measured). In the SDKs every
//    throttle of a burst cuts, so the answers of one storm at high concurrency take the rate to
//    its floor, from where the CUBIC curve needs seconds to climb back.
//  * In the first half second, before the SDKs' measure has a value, the send rate is the
//    answers so far over the time so far (measure()).
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
  std::chrono::milliseconds reservation_horizon{50};
};

// What acquire() decided: wait `wait`, then send (`reserved`: the token is held for this
// caller) or ask again (not reserved: no token within the horizon).
struct RateAdmission {
  std::chrono::steady_clock::duration wait{};
  bool reserved = true;
};

class CubicRateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  CubicRateLimiter(CubicParameters parameters, TimePoint now);

  // Reserves one attempt when its token comes within the horizon (zero wait before the first
  // throttle); otherwise reserves nothing and says when to ask again.
  RateAdmission acquire(TimePoint now);
  // Returns a token reserved and not used (the attempt never went out).
  void give_back(TimePoint now);
  // An attempt admitted at `admitted_at` (its acquire()) was answered at `now`; `throttled`
  // when the service refused it for rate.
  void record(TimePoint now, bool throttled, TimePoint admitted_at);

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
  bool measured_once_ = false;
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
