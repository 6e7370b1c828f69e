#include <llmm/stop_reason.hpp>

#include <array>
#include <utility>

namespace llmm {
namespace {

constexpr std::array<std::pair<StopReason, std::string_view>, 9> kNames = {{
    {StopReason::EndTurn, "end_turn"},
    {StopReason::ToolUse, "tool_use"},
    {StopReason::MaxTokens, "max_tokens"},
    {StopReason::StopSequence, "stop_sequence"},
    {StopReason::GuardrailIntervened, "guardrail_intervened"},
    {StopReason::ContentFiltered, "content_filtered"},
    {StopReason::MalformedModelOutput, "malformed_model_output"},
    {StopReason::MalformedToolUse, "malformed_tool_use"},
    {StopReason::ModelContextWindowExceeded, "model_context_window_exceeded"},
}};

}  // namespace

StopReason stop_reason_from_string(std::string_view text) noexcept {
  for (const auto& [reason, name] : kNames) {
    if (name == text) return reason;
  }
  return StopReason::Unknown;
}

std::string_view to_string(StopReason reason) noexcept {
  for (const auto& [known, name] : kNames) {
    if (known == reason) return name;
  }
  return "unknown";
}

StopReasonCategory category_of(StopReason reason) noexcept {
  switch (reason) {
    case StopReason::EndTurn:
    case StopReason::ToolUse:
    case StopReason::MaxTokens:
    case StopReason::StopSequence: return StopReasonCategory::Terminal;
    case StopReason::GuardrailIntervened:
    case StopReason::ContentFiltered:
    case StopReason::ModelContextWindowExceeded: return StopReasonCategory::RetryDifferentTarget;
    case StopReason::MalformedModelOutput:
    case StopReason::MalformedToolUse: return StopReasonCategory::Retryable;
    case StopReason::Unknown: break;
  }
  return StopReasonCategory::Unknown;
}

std::string_view to_string(StopReasonCategory category) noexcept {
  switch (category) {
    case StopReasonCategory::Terminal: return "terminal";
    case StopReasonCategory::RetryDifferentTarget: return "retry_different_target";
    case StopReasonCategory::Retryable: return "retryable";
    case StopReasonCategory::Unknown: break;
  }
  return "unknown";
}

}  // namespace llmm
