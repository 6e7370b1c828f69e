#include "engine/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace llmm::engine {
namespace {

using namespace std::chrono_literals;

TEST(CircuitBreakerTest, OpensAfterTheThresholdForTheCoolDownThenProbes) {
  CircuitBreakers breakers({.enabled = true, .failure_threshold = 3, .cool_down = 10s});
  const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  EXPECT_FALSE(breakers.record_failure("a", t0));
  EXPECT_FALSE(breakers.record_failure("a", t0));
  EXPECT_FALSE(breakers.is_open("a", t0));
  EXPECT_TRUE(breakers.record_failure("a", t0)) << "the third failure opens it";
  EXPECT_TRUE(breakers.is_open("a", t0 + 9s));
  EXPECT_FALSE(breakers.is_open("b", t0)) << "per target";
  EXPECT_FALSE(breakers.is_open("a", t0 + 10s)) << "a probe is allowed after the cool-down";
  EXPECT_TRUE(breakers.record_failure("a", t0 + 10s)) << "a failed probe reopens at once";
  breakers.record_success("a");
  EXPECT_FALSE(breakers.is_open("a", t0 + 11s));
  EXPECT_FALSE(breakers.record_failure("a", t0 + 11s)) << "a success resets the count";
}

TEST(CircuitBreakerTest, DisabledNeverOpens) {
  CircuitBreakers breakers({.enabled = false, .failure_threshold = 1, .cool_down = 10s});
  const auto now = std::chrono::steady_clock::now();
  EXPECT_FALSE(breakers.record_failure("a", now));
  EXPECT_FALSE(breakers.is_open("a", now));
}

}  // namespace
}  // namespace llmm::engine
