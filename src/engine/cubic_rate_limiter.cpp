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

RateAdmission CubicRateLimiter::acquire(TimePoint now) {
  if (!limiting_) return {};
  refill(seconds(now));
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return {};
  }
  const auto until_token =
      std::chrono::ceil<Duration>(std::chrono::duration<double>((1 - tokens_) / fill_rate_));
  if (until_token > parameters_.reservation_horizon) {
    return {parameters_.reservation_horizon, false};
  }
  tokens_ -= 1;
  return {until_token, true};
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

void CubicRateLimiter::record(TimePoint now, bool throttled, TimePoint admitted_at) {
  const double t = seconds(now);
  const double measured = measure(t);
  // Admitted before the last cut: it answers the rate of then, already cut for.
  if (throttled && limiting_ && seconds(admitted_at) < last_throttle_) return;
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
    measured_once_ = true;
  }
  if (measured_once_) return measured_rate_;
  // The first half second has not ended: the SDKs' measure is still 0 there, which turns a
  // throttle in the first burst (the usual first one: a batch starts all its calls at once)
  // into a cut to the floor and a climb of seconds. The answers so far, over at least a tenth
  // of a second, are the rate in use.
  return count_ / std::max(t - last_bucket_, 0.1);
}

void CubicRateLimiter::refill(double t) {
  if (last_refill_) tokens_ = std::min(capacity_, tokens_ + (t - *last_refill_) * fill_rate_);
  last_refill_ = t;
}

void CubicRateLimiter::set_rate(double rate, double t) {
  refill(t);
  fill_rate_ = std::max(rate, parameters_.min_rate);
  capacity_ = std::max(rate, 1.0);
  // The debt is what reservations took ahead at the old rate: at most a horizon's worth of the
  // new one is kept, or a cut from thousands a second to a few would leave the bucket in debt
  // for minutes after those attempts have long gone out.
  const double horizon = std::chrono::duration<double>(parameters_.reservation_horizon).count();
  tokens_ = std::clamp(tokens_, -fill_rate_ * horizon, capacity_);
}

}  // namespace llmm::engine
