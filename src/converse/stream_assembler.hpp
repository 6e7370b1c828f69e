#pragma once
// Turns the event-stream messages of one ConverseStream attempt into consumer events and the
// ConverseOutput that Converse would have returned: blocks keyed by contentBlockIndex, tool input
// fragments joined and parsed at the end, reasoning text and signature, a text block with
// citation deltas as the citationsContent block Converse gives, usage and metrics from metadata.
// Unknown events and unknown members (such as the service's "p" padding) are ignored. In-stream
// exceptions and malformed payloads become Errors.

#include "protocol/eventstream/event_stream_message.hpp"

#include <llmm/converse_output.hpp>
#include <llmm/result.hpp>
#include <llmm/stream_event.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llmm::converse {

class StreamAssembler {
 public:
  // The consumer events one message yields (none for messageStart or an unknown event), or the
  // error it carries: an in-stream exception (Throttled, ServiceUnavailable, ModelError,
  // InvalidArgument by its type) or a payload that does not decode (StreamCorrupt).
  Result<std::vector<StreamEvent>> on_message(const eventstream::Message& message);

  // True once a text, tool-use or reasoning delta arrived.
  [[nodiscard]] bool content_started() const noexcept { return content_started_; }
  // True once messageStop arrived (metadata may follow).
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }
  // The text of the text blocks so far, joined as ConverseOutput::text() joins them.
  [[nodiscard]] std::string text() const;
  // The answer so far: complete blocks as Converse would give them; a tool call whose input
  // does not parse keeps the raw text as a JSON string.
  [[nodiscard]] ConverseOutput output() const;

 private:
  struct Block {
    enum class Kind { Text, ToolUse, Reasoning } kind = Kind::Text;
    std::string text;  // text, tool input fragments, or reasoning text
    std::string tool_use_id;
    std::string tool_name;
    std::string signature;
    std::string redacted;
    std::vector<JsonValue> citations;  // citation deltas of a text block, as sent
  };
  std::map<int, Block> blocks_;
  ConverseOutput output_;  // stop reason, usage, metrics, trace (message assembled on demand)
  bool content_started_ = false;
  bool stopped_ = false;
};

}  // namespace llmm::converse
