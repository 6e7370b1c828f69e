// The stop reasons the service sends, named, with the seed system's categories.
#include <llmm/stop_reason.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace llmm {
namespace {

TEST(StopReasonTest, EveryKnownValueRoundTripsWithItsCategory) {
  const std::vector<std::pair<std::string, StopReasonCategory>> known = {
      {"end_turn", StopReasonCategory::Terminal},
      {"tool_use", StopReasonCategory::Terminal},
      {"max_tokens", StopReasonCategory::Terminal},
      {"stop_sequence", StopReasonCategory::Terminal},
      {"guardrail_intervened", StopReasonCategory::RetryDifferentTarget},
      {"content_filtered", StopReasonCategory::RetryDifferentTarget},
      {"model_context_window_exceeded", StopReasonCategory::RetryDifferentTarget},
      {"malformed_model_output", StopReasonCategory::Retryable},
      {"malformed_tool_use", StopReasonCategory::Retryable},
  };
  for (const auto& [text, category] : known) {
    const StopReason reason = stop_reason_from_string(text);
    EXPECT_NE(reason, StopReason::Unknown) << text;
    EXPECT_EQ(to_string(reason), text);
    EXPECT_EQ(category_of(reason), category) << text;
  }
}

TEST(StopReasonTest, AnythingElseIsUnknown) {
  for (const char* text : {"", "END_TURN", "end_turn ", "a_new_reason"}) {
    EXPECT_EQ(stop_reason_from_string(text), StopReason::Unknown) << '"' << text << '"';
  }
  EXPECT_EQ(category_of(StopReason::Unknown), StopReasonCategory::Unknown);
  EXPECT_EQ(to_string(StopReason::Unknown), "unknown");
  EXPECT_EQ(to_string(StopReasonCategory::RetryDifferentTarget), "retry_different_target");
}

}  // namespace
}  // namespace llmm
