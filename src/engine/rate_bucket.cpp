#include "engine/rate_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace llmm::engine {

RateBucket::RateBucket(double per_minute, double min_capacity)
    : unit_ns_(60e9 / per_minute),
      capacity_(std::max(min_capacity, per_minute / 60.0)),
      hold_(time_for(capacity_)) {}

RateBucket::Duration RateBucket::time_for(double amount) const {
  return Duration(std::llround(amount * unit_ns_));
}

RateBucket::Duration RateBucket::reserve(double amount, TimePoint now) {
  full_at_ = std::max(full_at_, now) + time_for(amount);
  // The bucket covered the amount once it is no further than its whole hold from full.
  return std::max(Duration::zero(), full_at_ - hold_ - now);
}

RateBucket::Duration RateBucket::until_solvent(TimePoint now) const {
  return std::max(Duration::zero(), full_at_ - hold_ - now);
}

void RateBucket::charge(double amount, TimePoint now) {
  full_at_ = std::max(full_at_, now) + time_for(amount);
}

void RateBucket::give_back(double amount, TimePoint now) {
  full_at_ = std::max(now, full_at_ - time_for(amount));
}

double RateBucket::level(TimePoint now) const {
  if (full_at_ <= now) return capacity_;
  return capacity_ - static_cast<double>((full_at_ - now).count()) / unit_ns_;
}

}  // namespace llmm::engine
