#pragma once
// One token bucket of a quota (quota_book.hpp): `capacity` units, refilled continuously at
// `per_minute` units a minute, in exact integer arithmetic (microseconds and units scaled by
// 60,000,000), so a test that moves an injected clock by whole microseconds sees exact levels,
// never a rounding drift. Not thread-safe: the QuotaBook locks around it.
//
// A charge larger than the whole bucket (a request of more tokens than tpm * burst / 60) would
// otherwise be refused forever; it is admitted from a full bucket and leaves the bucket in debt,
// so the long-run rate still cannot exceed per_minute.

#include <chrono>
#include <cstdint>

namespace bedrock_emulator {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // Full at `now`. `per_minute` >= 1, `burst` > 0 (the capacity is per_minute * burst / 60 s).
  TokenBucket(std::int64_t per_minute, std::chrono::microseconds burst, TimePoint now);

  // Whether `units` can be taken at `now` (refills first); takes nothing.
  [[nodiscard]] bool can_take(std::int64_t units, TimePoint now);
  // Takes `units` (after can_take said yes at the same `now`).
  void take(std::int64_t units);
  // Full again (POST /_emulator/reset).
  void refill(TimePoint now);

  // The units in the bucket at the last refill, rounded down (negative while in debt).
  [[nodiscard]] std::int64_t available() const;

 private:
  void advance(TimePoint now);

  std::int64_t per_minute_;
  // Levels are in units * 60,000,000: one microsecond of refill adds exactly per_minute_.
  std::int64_t capacity_scaled_;
  std::int64_t level_scaled_;
  TimePoint last_;
};

}  // namespace bedrock_emulator
