#pragma once
// What one successful Converse exchange returned.

#include <llmm/converse_request.hpp>

#include <chrono>
#include <string>

namespace llmm {

struct TokenUsage {
  long long input_tokens = 0;
  long long output_tokens = 0;
  long long total_tokens = 0;
  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

struct ConverseOutput {
  Message message{Role::Assistant, {}};
  std::string stop_reason;  // "end_turn", "max_tokens", ... unknown values kept as sent
  TokenUsage usage;
  std::chrono::milliseconds latency{0};  // metrics.latencyMs, as the service measured it
  std::string request_id;                // x-amzn-RequestId

  // The text blocks of the message, joined with "\n".
  [[nodiscard]] std::string text() const;
};

}  // namespace llmm
