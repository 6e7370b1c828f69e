#pragma once
// guardrailConfig of a Converse / ConverseStream request (wire doc §2).

#include <optional>
#include <string>

namespace llmm {

// A value type: not synchronized.
struct GuardrailConfiguration {
  std::string guardrail_identifier;  // guardrail id or ARN
  std::string guardrail_version;     // "DRAFT" or 1-99999999
  std::optional<std::string> trace;  // "enabled" | "disabled" (service default) | "enabled_full"
  // ConverseStream only: "sync" (service default) | "async". Sent whenever set.
  std::optional<std::string> stream_processing_mode;
  friend bool operator==(const GuardrailConfiguration&, const GuardrailConfiguration&) = default;
};

}  // namespace llmm
