#pragma once
// One fixed limit of a target (FixedRateLimit: requests or tokens per minute) as a token bucket
// that hands out reservations: a caller takes what it needs at once, into debt if need be, and
// is told how long to wait before using it, so concurrent calls queue in the order they asked
// and are spaced exactly. The bucket is kept as the time it will be full again (the generic cell
// rate algorithm), on the injected clock's timeline, in whole nanoseconds.
// Not synchronized: RateControllers holds its lock around it.

#include <chrono>

namespace llmm::engine {

class RateBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  // Refills `per_minute` units a minute and holds one second's worth, at least `min_capacity`
  // units (1 for requests: an attempt always fits; 0 for tokens: admission needs no debt). Full.
  RateBucket(double per_minute, double min_capacity);

  // Takes `amount` units now: how long until the bucket has refilled enough to cover it (zero:
  // it held them).
  Duration reserve(double amount, TimePoint now);
  // How long until the bucket is out of debt (zero: it is not), taking nothing.
  [[nodiscard]] Duration until_solvent(TimePoint now) const;
  // Takes `amount` units now whatever the bucket holds (an answer's tokens, already spent).
  void charge(double amount, TimePoint now);
  // Returns units reserved and not used (the attempt never went out).
  void give_back(double amount, TimePoint now);

  // Units the bucket holds at `now` (negative: in debt), for tests.
  [[nodiscard]] double level(TimePoint now) const;

 private:
  [[nodiscard]] Duration time_for(double amount) const;

  double unit_ns_;   // the time one unit takes to refill
  double capacity_;  // units
  Duration hold_;    // the time an empty bucket takes to fill
  TimePoint full_at_{};
};

}  // namespace llmm::engine
