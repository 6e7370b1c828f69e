// RateControlConfig's checks name the field that is wrong, from wherever the caller set it.
#include <llmm/rate_control_config.hpp>
#include <llmm/retry_config.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace llmm {
namespace {

std::string message_of(const RateControlConfig& config) {
  try {
    config.validate();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(RateControlConfigTest, DefaultsAreTheSdksAdaptiveConstantsAndOff) {
  const RateControlConfig config;
  EXPECT_EQ(config.mode, RateControlMode::Off);
  EXPECT_TRUE(config.off());
  EXPECT_DOUBLE_EQ(config.cubic_beta, 0.7);
  EXPECT_DOUBLE_EQ(config.cubic_scale, 0.4);
  EXPECT_DOUBLE_EQ(config.smoothing, 0.8);
  EXPECT_DOUBLE_EQ(config.min_rate, 0.5);
  EXPECT_NO_THROW(config.validate());
  EXPECT_TRUE(RetryConfig{}.rate_control.off());
  EXPECT_EQ(to_string(RateControlMode::Off), "off");
  EXPECT_EQ(to_string(RateControlMode::Adaptive), "adaptive");
}

TEST(RateControlConfigTest, OutOfRangeValuesNameTheirField) {
  EXPECT_EQ(message_of({.cubic_beta = 1.0}),
            "RateControlConfig.cubic_beta must be in (0, 1), got 1");
  EXPECT_EQ(message_of({.cubic_scale = 0}), "RateControlConfig.cubic_scale must be > 0, got 0");
  EXPECT_EQ(message_of({.smoothing = 1.5}),
            "RateControlConfig.smoothing must be in (0, 1], got 1.5");
  EXPECT_EQ(message_of({.min_rate = -1}), "RateControlConfig.min_rate must be > 0, got -1");
  EXPECT_EQ(message_of({.limits = {{.requests_per_minute = 6}, {.tokens_per_minute = -5}}}),
            "RateControlConfig.limits[1].tokens_per_minute must be > 0, got -5");
  EXPECT_EQ(message_of({.limits = {{.model = "m"}}}),
            "RateControlConfig.limits[0] sets neither requests_per_minute nor tokens_per_minute");
  EXPECT_EQ(message_of({.limits = {{.region = " ", .requests_per_minute = 1}}}),
            "RateControlConfig.limits[0].region must not be blank (\"*\" matches any)");
  EXPECT_EQ(message_of({.limits = {{.model = "m", .requests_per_minute = 1},
                                   {.model = "m", .tokens_per_minute = 1}}}),
            "RateControlConfig.limits[1] names the same model \"m\" and region \"*\" as limits[0]");
}

TEST(RateControlConfigTest, RetryConfigNamesItAsItsRateControl) {
  RetryConfig retry;
  retry.rate_control.limits = {{.requests_per_minute = 0}};
  try {
    retry.validate();
    FAIL() << "accepted a zero requests_per_minute";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "RetryConfig.rate_control.limits[0].requests_per_minute must be > 0, got 0");
  }
}

}  // namespace
}  // namespace llmm
