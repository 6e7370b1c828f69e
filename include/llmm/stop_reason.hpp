#pragma once
// Why the model stopped, as a closed set with the seed system's categories (reference-system.md
// §3.9). ConverseOutput::stop_reason keeps the service's string as sent; this names it. A value
// the library does not know yet (a new service value) is StopReason::Unknown, its text kept in
// the response.

#include <string_view>

namespace llmm {

enum class StopReason {
  EndTurn,
  ToolUse,
  MaxTokens,
  StopSequence,
  GuardrailIntervened,
  ContentFiltered,
  MalformedModelOutput,
  MalformedToolUse,
  ModelContextWindowExceeded,
  Unknown,  // no stop reason (a failed call), or one this library does not know
};

enum class StopReasonCategory {
  Terminal,              // end_turn, tool_use, stop_sequence, max_tokens: the answer is final
  RetryDifferentTarget,  // context window exceeded, guardrail intervened, content filtered
  Retryable,             // malformed model output or tool use: asking again may help
  Unknown,
};

// "end_turn" -> EndTurn, ...; anything else -> Unknown. Exact, as the service spells them.
[[nodiscard]] StopReason stop_reason_from_string(std::string_view text) noexcept;
// The service's spelling ("end_turn"); "unknown" for Unknown.
[[nodiscard]] std::string_view to_string(StopReason reason) noexcept;
[[nodiscard]] StopReasonCategory category_of(StopReason reason) noexcept;
// "terminal", "retry_different_target", "retryable", "unknown".
[[nodiscard]] std::string_view to_string(StopReasonCategory category) noexcept;

}  // namespace llmm
