#pragma once
// One event of a ConverseStream answer as the consumer sees it (wire doc §4.4). Text and
// reasoning arrive as deltas; a tool call as its start and input fragments (the fragments
// joined are the call's JSON input, also given whole in the final BedrockResponse).

#include <llmm/json_value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace llmm {

enum class StreamEventType {
  Text,                // `text`: new answer text (after a recovery: only text not sent before)
  ToolUseStart,        // `tool_use_id`, `tool_name`
  ToolUseInput,        // `text`: a fragment of the tool call's JSON input
  Reasoning,           // `text`: reasoning text
  ReasoningSignature,  // `text`: the reasoning block's signature
  Citation,            // `document`: the citation object as sent
  BlockStop,           // a content block ended
  MessageStop,         // `stop_reason`
  Metadata,            // `document`: usage, metrics and trace as sent
  Recovery,            // `text`: why the stream moved to another target, mid-answer
};

// "text", "tool_use_start", ...
std::string_view to_string(StreamEventType type) noexcept;

// A value type: not synchronized.
struct StreamEvent {
  StreamEventType type = StreamEventType::Text;
  int block_index = 0;
  std::string text;
  std::string tool_use_id;
  std::string tool_name;
  std::optional<JsonValue> document;
  std::string stop_reason;
};

}  // namespace llmm
