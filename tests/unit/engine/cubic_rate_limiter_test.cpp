// The SDKs' adaptive rate limiter's arithmetic (botocore retries/adaptive.py): no limit before a
// throttle, the send rate measured in half-second buckets, the cut to beta × the rate in use on
// each throttle, the CUBIC curve back up, and the bucket's reservations at the fill rate.
#include "engine/cubic_rate_limiter.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace llmm::engine {
namespace {

using namespace std::chrono_literals;
using Duration = CubicRateLimiter::Duration;

const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;

std::chrono::steady_clock::time_point at(double seconds) {
  return t0 + std::chrono::round<Duration>(std::chrono::duration<double>(seconds));
}

TEST(CubicRateLimiterTest, DoesNotLimitBeforeTheFirstThrottle) {
  CubicRateLimiter limiter({}, t0);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter.acquire(t0), Duration::zero());
    limiter.record(t0, false);
  }
  EXPECT_FALSE(limiter.limiting());
}

TEST(CubicRateLimiterTest, AThrottleCutsTheMeasuredRateByBeta) {
  CubicRateLimiter limiter({}, t0);
  // Ten answers 0.1 s apart: the sixth (0.5 s) closes the first half-second bucket, 6 answers
  // in 0.5 s = 12/s, smoothed 0.8 × 12 = 9.6.
  for (int i = 0; i < 10; ++i) limiter.record(at(0.1 * i), false);
  EXPECT_DOUBLE_EQ(limiter.measured_rate(), 9.6);
  // The throttle at 1.0 s closes the next: 5 in 0.5 s = 10/s, 0.8 × 10 + 0.2 × 9.6 = 9.92, and
  // the rate in use (not limiting yet: the measured one) is cut to 0.7 × 9.92.
  limiter.record(at(1.0), true);
  EXPECT_TRUE(limiter.limiting());
  EXPECT_NEAR(limiter.measured_rate(), 9.92, 1e-12);
  EXPECT_NEAR(limiter.fill_rate(), 6.944, 1e-12);
  // Limiting, a throttle cuts the lower of the measured rate and the fill rate.
  limiter.record(at(1.2), true);
  EXPECT_NEAR(limiter.fill_rate(), 6.944 * 0.7, 1e-12);
}

TEST(CubicRateLimiterTest, GrowsBackAlongTheCubicCurve) {
  const CubicParameters cubic;
  CubicRateLimiter limiter(cubic, t0);
  // A steady 100 answers a second, so the measured rate (and its 2× cap) stays near 100/s.
  double t = 0;
  const auto feed_until = [&](double end) {
    for (; t < end - 1e-9; t += 0.1) {
      for (int i = 0; i < 10; ++i) limiter.record(at(t), false);
    }
  };
  feed_until(3.0);
  const double throttle_at = t;
  limiter.record(at(throttle_at), true);
  const double w_max = limiter.measured_rate();  // the rate in use when it throttled
  ASSERT_GT(w_max, 90.0);
  EXPECT_NEAR(limiter.fill_rate(), cubic.beta * w_max, 1e-9);
  const double k = std::cbrt(w_max * (1 - cubic.beta) / cubic.scale);
  // After a throttle the curve rises towards W, is back at it after K, and grows past it.
  for (const double dt : {k - 1, k, k + 1, k + 2}) {
    feed_until(throttle_at + dt);
    limiter.record(at(throttle_at + dt), false);
    EXPECT_NEAR(limiter.fill_rate(), cubic.scale * std::pow(dt - k, 3) + w_max, 1e-6) << "dt " << dt;
  }
  EXPECT_NEAR(limiter.fill_rate(), w_max + 3.2, 1e-6) << "0.4 × 2³ above W, 2 s after K";
}

TEST(CubicRateLimiterTest, ReservesTokensAtTheFillRateNeverBelowTheMinimum) {
  CubicRateLimiter limiter({}, t0);
  // A throttle before any rate was measured: the rate is 0, floored at 0.5/s; the bucket is empty.
  limiter.record(t0, true);
  EXPECT_DOUBLE_EQ(limiter.fill_rate(), 0.5);
  EXPECT_EQ(limiter.acquire(t0), Duration(2s));
  EXPECT_EQ(limiter.acquire(t0), Duration(4s));
  limiter.give_back(t0);
  EXPECT_EQ(limiter.acquire(t0), Duration(4s)) << "the token given back is taken again";
  // Long idle: the bucket refills to its capacity (one token) and no further.
  EXPECT_EQ(limiter.acquire(t0 + 1h), Duration::zero());
  EXPECT_EQ(limiter.acquire(t0 + 1h), Duration(2s));
}

}  // namespace
}  // namespace llmm::engine
