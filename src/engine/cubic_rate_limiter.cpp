#include "engine/cubic_rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace llmm::engine {
namespace {

// The SDKs measure the send rate in half-second buckets.
constexpr double kBucketsPerSecond = 2.0;

}  // namespace

CubicRateLimiter::CubicRateLimiter(CubicParameters parameters, TimePoint now)
    : parameters_(parameters), epoch_(now) {
  fill_rate_ = std::max(1.0, parameters_.min_rate);
}

double CubicRateLimiter::seconds(TimePoint now) const {
  return std::chrono::duration<double>(now - epoch_).count();
}

CubicRateLimiter::Duration CubicRateLimiter::acquire(TimePoint now) {
  if (!limiting_) return Duration::zero();
  refill(seconds(now));
  tokens_ -= 1;
  if (tokens_ >= 0) return Duration::zero();
  return std::chrono::ceil<Duration>(std::chrono::duration<double>(-tokens_ / fill_rate_));
}

void CubicRateLimiter::give_back(TimePoint now) {
  if (!limiting_) return;
  refill(seconds(now));
  tokens_ = std::min(capacity_, tokens_ + 1);
}

double CubicRateLimiter::tokens(TimePoint now) {
  refill(seconds(now));
  return tokens_;
}

void CubicRateLimiter::record(TimePoint now, bool throttled) {
  const double t = seconds(now);
  const double measured = measure(t);
  double rate = 0;
  if (!throttled) {
    rate = parameters_.scale * std::pow(t - last_throttle_ - k_, 3) + w_max_;
  } else {
    w_max_ = limiting_ ? std::min(measured, fill_rate_) : measured;
    k_ = std::cbrt(w_max_ * (1 - parameters_.beta) / parameters_.scale);
    last_throttle_ = t;
    rate = w_max_ * parameters_.beta;
    limiting_ = true;
  }
  set_rate(std::min(rate, 2 * measured), t);
}

double CubicRateLimiter::measure(double t) {
  const double bucket = std::floor(t * kBucketsPerSecond) / kBucketsPerSecond;
  count_ += 1;
  if (bucket > last_bucket_) {
    const double current = count_ / (bucket - last_bucket_);
    measured_rate_ = current * parameters_.smoothing + measured_rate_ * (1 - parameters_.smoothing);
    count_ = 0;
    last_bucket_ = bucket;
  }
  return measured_rate_;
}

void CubicRateLimiter::refill(double t) {
  if (last_refill_) tokens_ = std::min(capacity_, tokens_ + (t - *last_refill_) * fill_rate_);
  last_refill_ = t;
}

void CubicRateLimiter::set_rate(double rate, double t) {
  refill(t);
  fill_rate_ = std::max(rate, parameters_.min_rate);
  capacity_ = std::max(rate, 1.0);
  tokens_ = std::min(tokens_, capacity_);
}

}  // namespace llmm::engine
