#include <llmm/backoff_policy.hpp>
#include <llmm/retry_config.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace llmm {
namespace {

using std::chrono::milliseconds;

TEST(BackoffPolicyTest, DoublesToTheCapWithFullJitter) {
  const BackoffPolicy policy{milliseconds(100), 2.0, milliseconds(1000)};
  // With the random value pinned just below 1, the sequence is the interval itself.
  const double top = 0.999999;
  EXPECT_EQ(policy.delay_for(0, top), milliseconds(99));
  EXPECT_EQ(policy.delay_for(1, top), milliseconds(199));
  EXPECT_EQ(policy.delay_for(2, top), milliseconds(399));
  EXPECT_EQ(policy.delay_for(3, top), milliseconds(799));
  EXPECT_EQ(policy.delay_for(4, top), milliseconds(999));
  EXPECT_EQ(policy.delay_for(500, top), milliseconds(999));  // no overflow far out
  EXPECT_EQ(policy.delay_for(3, 0.0), milliseconds(0));
  EXPECT_EQ(policy.delay_for(3, 0.5), milliseconds(400));
}

TEST(BackoffPolicyTest, ServerHintRaisesTheWaitUpToTheCap) {
  const BackoffPolicy policy{milliseconds(100), 2.0, milliseconds(1000)};
  EXPECT_EQ(policy.delay_for(0, 0.0, milliseconds(300)), milliseconds(300));
  EXPECT_EQ(policy.delay_for(0, 0.0, milliseconds(5000)), milliseconds(1000));
  EXPECT_EQ(policy.delay_for(3, 0.999999, milliseconds(10)), milliseconds(799));
}

TEST(RetryConfigTest, ValidatesEachField) {
  EXPECT_NO_THROW(RetryConfig{}.validate());
  EXPECT_THROW((RetryConfig{.retry_delay = milliseconds(-1)}.validate()), std::invalid_argument);
  EXPECT_THROW((RetryConfig{.backoff_multiplier = 0}.validate()), std::invalid_argument);
  EXPECT_THROW((RetryConfig{.max_retry_delay = milliseconds(0)}.validate()), std::invalid_argument);
}

}  // namespace
}  // namespace llmm
