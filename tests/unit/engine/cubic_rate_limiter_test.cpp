// The SDKs' adaptive rate limiter's arithmetic (botocore retries/adaptive.py): no limit before a
// throttle, the send rate measured in half-second buckets, the cut to beta × the rate in use on
// each throttle (one cut per round trip), the CUBIC curve back up, and the bucket's reservations
// at the fill rate within the horizon.
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
    const RateAdmission admission = limiter.acquire(t0);
    EXPECT_EQ(admission.wait, Duration::zero());
    EXPECT_TRUE(admission.reserved);
    limiter.record(t0, false, t0);
  }
  EXPECT_FALSE(limiter.limiting());
}

TEST(CubicRateLimiterTest, AThrottleCutsTheMeasuredRateByBeta) {
  CubicRateLimiter limiter({}, t0);
  // Ten answers 0.1 s apart: the sixth (0.5 s) closes the first half-second bucket, 6 answers
  // in 0.5 s = 12/s, smoothed 0.8 × 12 = 9.6.
  for (int i = 0; i < 10; ++i) limiter.record(at(0.1 * i), false, at(0.1 * i));
  EXPECT_DOUBLE_EQ(limiter.measured_rate(), 9.6);
  // The throttle at 1.0 s closes the next: 5 in 0.5 s = 10/s, 0.8 × 10 + 0.2 × 9.6 = 9.92, and
  // the rate in use (not limiting yet: the measured one) is cut to 0.7 × 9.92.
  limiter.record(at(1.0), true, at(0.9));
  EXPECT_TRUE(limiter.limiting());
  EXPECT_NEAR(limiter.measured_rate(), 9.92, 1e-12);
  EXPECT_NEAR(limiter.fill_rate(), 6.944, 1e-12);
  // Limiting, a throttle of an attempt sent after that cut cuts the lower of the measured rate
  // and the fill rate.
  limiter.record(at(1.2), true, at(1.1));
  EXPECT_NEAR(limiter.fill_rate(), 6.944 * 0.7, 1e-12);
}

TEST(CubicRateLimiterTest, ThrottlesOfAttemptsSentBeforeTheLastCutDoNotCutAgain) {
  CubicRateLimiter limiter({}, t0);
  for (int i = 0; i < 10; ++i) limiter.record(at(0.1 * i), false, at(0.1 * i));
  limiter.record(at(1.0), true, at(0.95));
  const double cut = limiter.fill_rate();
  // A storm: 100 more throttles, all of attempts that were in flight at the cut.
  for (int i = 0; i < 100; ++i) limiter.record(at(1.01), true, at(0.99));
  EXPECT_DOUBLE_EQ(limiter.fill_rate(), cut) << "one cut for the whole storm";
  // The next attempt sent after the cut and throttled is news: it cuts.
  limiter.record(at(1.05), true, at(1.02));
  EXPECT_LT(limiter.fill_rate(), cut);
}

TEST(CubicRateLimiterTest, GrowsBackAlongTheCubicCurve) {
  const CubicParameters cubic;
  CubicRateLimiter limiter(cubic, t0);
  // A steady 100 answers a second, so the measured rate (and its 2× cap) stays near 100/s.
  double t = 0;
  const auto feed_until = [&](double end) {
    for (; t < end - 1e-9; t += 0.1) {
      for (int i = 0; i < 10; ++i) limiter.record(at(t), false, at(t));
    }
  };
  feed_until(3.0);
  const double throttle_at = t;
  limiter.record(at(throttle_at), true, at(throttle_at));
  const double w_max = limiter.measured_rate();  // the rate in use when it throttled
  ASSERT_GT(w_max, 90.0);
  EXPECT_NEAR(limiter.fill_rate(), cubic.beta * w_max, 1e-9);
  const double k = std::cbrt(w_max * (1 - cubic.beta) / cubic.scale);
  // After a throttle the curve rises towards W, is back at it after K, and grows past it.
  for (const double dt : {k - 1, k, k + 1, k + 2}) {
    feed_until(throttle_at + dt);
    limiter.record(at(throttle_at + dt), false, at(throttle_at + dt));
    EXPECT_NEAR(limiter.fill_rate(), cubic.scale * std::pow(dt - k, 3) + w_max, 1e-6)
        << "dt " << dt;
  }
  EXPECT_NEAR(limiter.fill_rate(), w_max + 3.2, 1e-6) << "0.4 × 2³ above W, 2 s after K";
}

TEST(CubicRateLimiterTest, ReservesTokensWithinTheHorizonNeverBelowTheMinimumRate) {
  CubicRateLimiter limiter({.min_rate = 8}, t0);
  // A throttle as the first answer: the rate in use is that answer over the first tenth of a
  // second (10 a second), cut to 7, floored at 8 a second; the bucket is empty.
  limiter.record(t0, true, t0);
  EXPECT_DOUBLE_EQ(limiter.fill_rate(), 8.0);
  // The first token is 125 ms away, past the 50 ms horizon: nothing reserved, ask again then.
  RateAdmission admission = limiter.acquire(t0);
  EXPECT_FALSE(admission.reserved);
  EXPECT_EQ(admission.wait, Duration(50ms));
  EXPECT_DOUBLE_EQ(limiter.tokens(t0), 0.0) << "asking took nothing";
  // 100 ms later the token is 25 ms away: reserved; the next is 150 ms away.
  admission = limiter.acquire(t0 + 100ms);
  EXPECT_TRUE(admission.reserved);
  EXPECT_EQ(admission.wait, Duration(25ms));
  EXPECT_FALSE(limiter.acquire(t0 + 100ms).reserved);
  limiter.give_back(t0 + 100ms);
  admission = limiter.acquire(t0 + 100ms);
  EXPECT_TRUE(admission.reserved) << "the token given back is there to take again";
  EXPECT_EQ(admission.wait, Duration(25ms));
  // Long idle: the bucket refills to its capacity (the rate before its floor: 7 tokens) and no
  // further.
  for (int i = 0; i < 7; ++i) EXPECT_EQ(limiter.acquire(t0 + 1h).wait, Duration::zero());
  EXPECT_FALSE(limiter.acquire(t0 + 1h).reserved);
}

TEST(CubicRateLimiterTest, AThrottleInTheFirstHalfSecondCutsTheRateOfTheAnswersSoFar) {
  CubicRateLimiter limiter({}, t0);
  // 300 answers in the first 30 ms of a batch, then a throttle: 300 / 0.1 s (the least time it
  // divides by) = 3000 a second in use, cut to 2100 (the SDKs would cut 0 to the floor, 0.5).
  for (int i = 0; i < 300; ++i) limiter.record(at(0.0001 * i), false, at(0.0001 * i));
  limiter.record(at(0.03), true, at(0.0));
  EXPECT_NEAR(limiter.fill_rate(), 0.7 * 301 / 0.1, 1e-6);
}

TEST(CubicRateLimiterTest, AtAHighRateReservationsQueueUpToTheHorizon) {
  CubicRateLimiter limiter({}, t0);
  // 1000 answers a second for 2 s, then a throttle: the fill rate is 0.7 × ~1000.
  for (int i = 0; i < 2000; ++i) limiter.record(at(0.001 * i), false, at(0.001 * i));
  limiter.record(at(2.0), true, at(2.0));
  const double rate = limiter.fill_rate();
  ASSERT_GT(rate, 600.0);
  const double held = limiter.tokens(at(2.0));
  int reserved = 0;
  while (limiter.acquire(at(2.0)).reserved) ++reserved;
  // What the bucket held, then tokens up to the horizon (50 ms) ahead are handed out, no more.
  EXPECT_NEAR(reserved, held + rate * 0.05, 1.0);
}

TEST(CubicRateLimiterTest, ACutForgivesTheDebtTakenAtTheOldRate) {
  CubicRateLimiter limiter({}, t0);
  for (int i = 0; i < 2000; ++i) limiter.record(at(0.001 * i), false, at(0.001 * i));
  limiter.record(at(2.0), true, at(2.0));
  while (limiter.acquire(at(2.0)).reserved) {}
  // A horizon's worth (50 ms at ~700 a second) reserved ahead: the bucket is that far in debt.
  ASSERT_NEAR(limiter.tokens(at(2.0)), -limiter.fill_rate() * 0.05, 1.0);
  // Throttle after throttle, each of an attempt sent after the cut before: down to the floor.
  for (int i = 1; i <= 30; ++i)
    limiter.record(at(2.0 + 0.01 * i), true, at(2.0 + 0.01 * i - 0.005));
  ASSERT_DOUBLE_EQ(limiter.fill_rate(), 0.5);
  // The debt kept is at most 50 ms of 0.5 a second: the next token is at most 2.05 s away, not
  // the minute that 30 tokens at 0.5 a second would take.
  EXPECT_GE(limiter.tokens(at(2.3)), -0.025 - 1e-9);
  EXPECT_TRUE(limiter.acquire(at(2.3 + 2.05)).reserved);
}

}  // namespace
}  // namespace llmm::engine
