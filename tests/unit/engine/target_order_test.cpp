// Reference scenario 1: target order by strategy, region order fixed / rotated / shuffled; the
// global profile's turn (RetryConfig::global_cris_fraction).
#include "engine/target_order.hpp"

#include "support/fixed_seams.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace llmm::engine {
namespace {

using Pairs = std::vector<std::pair<std::size_t, std::size_t>>;

TEST(TargetOrderTest, RegionFirstAndModelFirst) {
  test::FixedRandom random(0.0);
  const auto regions = order_regions(2, RegionOrder::Fixed, 0, random);
  EXPECT_EQ(order_targets(2, regions, RetryStrategy::RegionFirst),
            (Pairs{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
  EXPECT_EQ(order_targets(2, regions, RetryStrategy::ModelFirst),
            (Pairs{{0, 0}, {1, 0}, {0, 1}, {1, 1}}));
}

TEST(TargetOrderTest, RotateStartsOneRegionFurtherEachCallAndKeepsTheSet) {
  test::FixedRandom random(0.0);
  std::vector<std::size_t> firsts;
  for (std::uint64_t call = 0; call < 4; ++call) {
    const auto order = order_regions(3, RegionOrder::Rotate, call, random);
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<std::size_t>{0, 1, 2}));
    firsts.push_back(order.front());
  }
  EXPECT_EQ(firsts, (std::vector<std::size_t>{0, 1, 2, 0}));
}

TEST(TargetOrderTest, ShuffleIsAPermutationDrivenByTheRandomSource) {
  test::FixedRandom low(0.0);
  EXPECT_EQ(order_regions(4, RegionOrder::Shuffle, 0, low), (std::vector<std::size_t>{1, 2, 3, 0}));
  test::FixedRandom high(0.999);
  EXPECT_EQ(order_regions(4, RegionOrder::Shuffle, 0, high),
            (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(order_regions(1, RegionOrder::Shuffle, 5, low), (std::vector<std::size_t>{0}));
  EXPECT_TRUE(order_regions(0, RegionOrder::Rotate, 5, low).empty());
}

TEST(GlobalProfileTurnTest, EveryPrefixOfCallsIsWithinOneOfItsShare) {
  for (const double fraction : {0.0, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.9, 1.0}) {
    int global = 0;
    for (std::uint64_t call = 0; call < 10'000; ++call) {
      global += global_profile_turn(call, fraction) ? 1 : 0;
      ASSERT_LT(std::abs(global - static_cast<double>(call + 1) * fraction), 1.0)
          << fraction << " after " << call + 1 << " calls";
    }
  }
  EXPECT_FALSE(global_profile_turn(0, 0.5));
  EXPECT_TRUE(global_profile_turn(1, 0.5)) << "every second call";
  EXPECT_TRUE(global_profile_turn(0, 1.0));
  EXPECT_FALSE(global_profile_turn(12345, 0.0));
}

}  // namespace
}  // namespace llmm::engine
