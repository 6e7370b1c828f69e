#include "token_bucket.hpp"

#include <algorithm>

namespace bedrock_emulator {
namespace {

constexpr std::int64_t kScale = 60'000'000;  // microseconds per minute

}  // namespace

TokenBucket::TokenBucket(std::int64_t per_minute, std::chrono::microseconds burst, TimePoint now)
    : per_minute_(per_minute),
      capacity_scaled_(per_minute * burst.count()),
      level_scaled_(capacity_scaled_),
      last_(now) {}

void TokenBucket::advance(TimePoint now) {
  if (now <= last_) return;  // a clock that stands still (or a test's that steps back) adds nothing
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - last_);
  // Only whole microseconds are consumed, so the remainder refills on the next call.
  last_ += elapsed;
  const std::int64_t missing = capacity_scaled_ - level_scaled_;
  // Compared before multiplying: a long idle time times the rate could overflow.
  if (missing <= 0 || elapsed.count() >= (missing + per_minute_ - 1) / per_minute_) {
    level_scaled_ = std::max(level_scaled_, capacity_scaled_);
  } else {
    level_scaled_ += elapsed.count() * per_minute_;
  }
}

bool TokenBucket::can_take(std::int64_t units, TimePoint now) {
  advance(now);
  const std::int64_t wanted = units * kScale;
  // More than a full bucket holds: only from a full bucket (see the header).
  return level_scaled_ >= std::min(wanted, capacity_scaled_);
}

void TokenBucket::take(std::int64_t units) { level_scaled_ -= units * kScale; }

void TokenBucket::refill(TimePoint now) {
  last_ = now;
  level_scaled_ = capacity_scaled_;
}

std::int64_t TokenBucket::available() const {
  // Rounded toward minus infinity, so half a request in debt reads -1, not 0.
  const std::int64_t whole = level_scaled_ / kScale;
  return (level_scaled_ % kScale < 0) ? whole - 1 : whole;
}

}  // namespace bedrock_emulator
