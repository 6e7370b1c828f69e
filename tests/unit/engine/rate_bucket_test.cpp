// The fixed-limit bucket's reservations, to the nanosecond: requests per minute space attempts
// by 60/N s after a burst of one second's worth; tokens per minute admit while out of debt.
#include "engine/rate_bucket.hpp"

#include <gtest/gtest.h>

namespace llmm::engine {
namespace {

using namespace std::chrono_literals;
using Duration = RateBucket::Duration;

const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;

TEST(RateBucketTest, SixRequestsPerMinuteSpaceTenSecondsApart) {
  RateBucket requests(6, 1);
  EXPECT_EQ(requests.reserve(1, t0), Duration::zero()) << "a full bucket holds one request";
  EXPECT_EQ(requests.reserve(1, t0), Duration(10s));
  EXPECT_EQ(requests.reserve(1, t0), Duration(20s));
  EXPECT_EQ(requests.reserve(1, t0), Duration(30s));
  // The fourth went at 30 s: the fifth, asked at 35 s, goes at 40 s.
  EXPECT_EQ(requests.reserve(1, t0 + 35s), Duration(5s));
  // Idle for long, the bucket is full again, and no fuller.
  EXPECT_EQ(requests.reserve(1, t0 + 1h), Duration::zero());
  EXPECT_EQ(requests.reserve(1, t0 + 1h), Duration(10s));
}

TEST(RateBucketTest, HoldsOneSecondsWorthAsABurst) {
  RateBucket requests(120, 1);  // 2 a second
  EXPECT_DOUBLE_EQ(requests.level(t0), 2.0);
  EXPECT_EQ(requests.reserve(1, t0), Duration::zero());
  EXPECT_EQ(requests.reserve(1, t0), Duration::zero());
  EXPECT_EQ(requests.reserve(1, t0), Duration(500ms));
  EXPECT_EQ(requests.reserve(1, t0), Duration(1s));
  EXPECT_DOUBLE_EQ(requests.level(t0), -2.0);
  EXPECT_DOUBLE_EQ(requests.level(t0 + 1s), 0.0);
}

TEST(RateBucketTest, GivingBackFreesTheReservedSlot) {
  RateBucket requests(6, 1);
  EXPECT_EQ(requests.reserve(1, t0), Duration::zero());
  EXPECT_EQ(requests.reserve(1, t0), Duration(10s));
  requests.give_back(1, t0);
  EXPECT_EQ(requests.reserve(1, t0), Duration(10s)) << "the slot given back is taken again";
  // Giving back to a full bucket does not overfill it.
  RateBucket idle(6, 1);
  idle.give_back(1, t0);
  EXPECT_DOUBLE_EQ(idle.level(t0), 1.0);
}

TEST(RateBucketTest, TokensAdmitWhileNotInDebtAndChargeAfterTheAnswer) {
  RateBucket tokens(6000, 0);  // 100 a second, holding 100
  EXPECT_EQ(tokens.until_solvent(t0), Duration::zero());
  tokens.charge(150, t0);
  EXPECT_DOUBLE_EQ(tokens.level(t0), -50.0);
  EXPECT_EQ(tokens.until_solvent(t0), Duration(500ms));
  EXPECT_EQ(tokens.until_solvent(t0 + 200ms), Duration(300ms)) << "asking takes nothing";
  EXPECT_EQ(tokens.until_solvent(t0 + 500ms), Duration::zero());
  tokens.charge(100, t0 + 500ms);
  EXPECT_EQ(tokens.until_solvent(t0 + 500ms), Duration(1s));
  EXPECT_DOUBLE_EQ(tokens.level(t0 + 10s), 100.0);
}

}  // namespace
}  // namespace llmm::engine
