#pragma once
// What one successful Converse exchange returned (wire doc §3).

#include <llmm/content_block.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/json_value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace llmm {

// The types in this header are value types: not synchronized.
struct CacheDetail {
  std::string ttl;  // "5m" | "1h"
  long long input_tokens = 0;
  friend bool operator==(const CacheDetail&, const CacheDetail&) = default;
};

struct TokenUsage {
  long long input_tokens = 0;
  long long output_tokens = 0;
  long long total_tokens = 0;
  long long cache_read_input_tokens = 0;   // 0 when the service did not say
  long long cache_write_input_tokens = 0;  // 0 when the service did not say
  std::vector<CacheDetail> cache_details;
  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

struct ConverseOutput {
  Message message{Role::Assistant, {}};
  std::string stop_reason;  // "end_turn", "max_tokens", ... unknown values kept as sent
  TokenUsage usage;
  std::chrono::milliseconds latency{0};  // metrics.latencyMs, as the service measured it
  std::string request_id;                // x-amzn-RequestId (a header, not in the body)
  std::optional<JsonValue> additional_model_response_fields;
  std::optional<JsonValue> trace;  // the raw trace document: guardrail, promptRouter, ...
  std::optional<PerformanceConfiguration> performance_config;  // echoed by the service
  std::optional<ServiceTier> service_tier;                     // echoed by the service
  // Top-level response members this library does not model, kept: always an object.
  JsonValue unknown_fields = JsonValue::object();

  // The text blocks of the message, joined with "\n".
  [[nodiscard]] std::string text() const;
  // The toolUse blocks, in message order.
  [[nodiscard]] std::vector<ToolUseBlock> tool_uses() const;
  // The first reasoningContent block.
  [[nodiscard]] std::optional<ReasoningContentBlock> reasoning() const;
  // The citationsContent blocks, in message order.
  [[nodiscard]] std::vector<CitationsContentBlock> citations() const;
  // trace.guardrail, when the service sent one.
  [[nodiscard]] std::optional<JsonValue> guardrail_trace() const;

  friend bool operator==(const ConverseOutput&, const ConverseOutput&) = default;
};

}  // namespace llmm
