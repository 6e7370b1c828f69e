// Which fixed limit a target gets, and what the per-target controllers ask of an attempt: the
// longest wait of its buckets, per target, adaptive limiting from a target's first throttle.
#include "engine/rate_controllers.hpp"

#include <gtest/gtest.h>

namespace llmm::engine {
namespace {

using namespace std::chrono_literals;
using Duration = RateControllers::Duration;

const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
constexpr const char* kHaikuId = "anthropic.claude-3-haiku-20240307-v1:0";

Target target(const std::string& name, const std::string& id, const std::string& region) {
  return Target{.model_name = name, .model_id = id, .region = region};
}

TEST(RateControllersTest, TheMostSpecificMatchingRuleApplies) {
  RateControlConfig config;
  config.limits = {{.requests_per_minute = 60},
                   {.region = "us-west-2", .requests_per_minute = 30},
                   {.model = "Claude 3 Haiku", .requests_per_minute = 20},
                   {.model = kHaikuId, .region = "us-west-2", .requests_per_minute = 10},
                   {.model = kHaikuId, .requests_per_minute = 15}};
  const RateControllers rates(config);
  const auto limit = [&](const Target& t) { return *rates.limit_for(t)->requests_per_minute; };
  EXPECT_EQ(limit(target("Claude 3 Haiku", kHaikuId, "us-west-2")), 10) << "model and region";
  EXPECT_EQ(limit(target("Claude 3 Haiku", kHaikuId, "us-east-1")), 20)
      << "model only, by its name; first of the equally specific";
  EXPECT_EQ(limit(target(kHaikuId, kHaikuId, "us-east-1")), 15) << "model only, by its id";
  EXPECT_EQ(limit(target("Nova Lite", "amazon.nova-lite-v1:0", "us-west-2")), 30) << "region only";
  EXPECT_EQ(limit(target("Nova Lite", "amazon.nova-lite-v1:0", "eu-west-1")), 60) << "neither";
  EXPECT_EQ(RateControllers(RateControlConfig{}).limit_for(target("m", "m", "r")), nullptr);
}

TEST(RateControllersTest, OffWithoutLimitsIsInactive) {
  EXPECT_FALSE(RateControllers(RateControlConfig{}).active());
  EXPECT_TRUE(RateControllers(RateControlConfig{.mode = RateControlMode::Adaptive}).active());
  RateControlConfig limited;
  limited.limits = {{.tokens_per_minute = 1000}};
  EXPECT_TRUE(RateControllers(limited).active());
}

TEST(RateControllersTest, AnAttemptWaitsForTheLongestOfItsBucketsPerTarget) {
  RateControlConfig config;
  config.limits = {{.region = "us-east-1", .requests_per_minute = 6, .tokens_per_minute = 60}};
  RateControllers rates(config);
  const Target east = target("m", "m", "us-east-1");
  const Target west = target("m", "m", "us-west-2");
  EXPECT_EQ(rates.admit(east, t0).wait, Duration::zero());
  rates.record(east, t0, false, 40, t0);  // 40 tokens at 1 a second, holding 1: 39 s in debt
  EXPECT_EQ(rates.admit(east, t0).wait, Duration(39s)) << "the tokens bucket's wait beats 10 s";
  EXPECT_EQ(rates.admit(east, t0 + 39s).wait, Duration::zero())
      << "the requests slot at 20 s has passed";
  EXPECT_EQ(rates.admit(west, t0).wait, Duration::zero()) << "no rule for us-west-2";
  EXPECT_EQ(rates.admit(west, t0).wait, Duration::zero());
}

TEST(RateControllersTest, GivingBackFreesTheRequestsSlot) {
  RateControlConfig config;
  config.limits = {{.requests_per_minute = 6}};
  RateControllers rates(config);
  const Target east = target("m", "m", "us-east-1");
  EXPECT_EQ(rates.admit(east, t0).wait, Duration::zero());
  EXPECT_EQ(rates.admit(east, t0).wait, Duration(10s));
  rates.give_back(east, t0);
  EXPECT_EQ(rates.admit(east, t0).wait, Duration(10s));
}

TEST(RateControllersTest, AdaptiveLimitsATargetFromItsFirstThrottle) {
  RateControllers rates(RateControlConfig{.mode = RateControlMode::Adaptive});
  const Target east = target("m", "m", "us-east-1");
  const Target west = target("m", "m", "us-west-2");
  EXPECT_EQ(rates.admit(east, t0).wait, Duration::zero());
  EXPECT_EQ(rates.admit(east, t0).wait, Duration::zero());
  rates.record(east, t0, true, 0, t0);  // one answer in 0.1 s: 10 a second, cut to 7
  const RateAdmission later = rates.admit(east, t0);
  EXPECT_FALSE(later.reserved) << "the token is 143 ms away, past the 50 ms horizon";
  EXPECT_EQ(later.wait, Duration(50ms));
  const RateAdmission then = rates.admit(east, t0 + 100ms);
  EXPECT_TRUE(then.reserved) << "0.7 tokens there: the next is 43 ms away";
  EXPECT_NEAR(std::chrono::duration<double>(then.wait).count(), 0.3 / 7, 1e-9);
  EXPECT_EQ(rates.admit(west, t0).wait, Duration::zero()) << "another target has not throttled";
}

}  // namespace
}  // namespace llmm::engine
