#include <llmm/converse_output.hpp>

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

namespace llmm {

std::string ConverseOutput::text() const {
  std::string joined;
  bool first = true;
  for (const auto& block : message.content) {
    if (const auto* text_block = std::get_if<TextBlock>(&block)) {
      if (!first) joined += '\n';
      joined += text_block->text;
      first = false;
    }
  }
  return joined;
}

std::vector<ToolUseBlock> ConverseOutput::tool_uses() const {
  std::vector<ToolUseBlock> uses;
  for (const auto& block : message.content) {
    if (const auto* use = std::get_if<ToolUseBlock>(&block)) uses.push_back(*use);
  }
  return uses;
}

std::optional<ReasoningContentBlock> ConverseOutput::reasoning() const {
  for (const auto& block : message.content) {
    if (const auto* reasoning_block = std::get_if<ReasoningContentBlock>(&block)) {
      return *reasoning_block;
    }
  }
  return std::nullopt;
}

std::vector<CitationsContentBlock> ConverseOutput::citations() const {
  std::vector<CitationsContentBlock> blocks;
  for (const auto& block : message.content) {
    if (const auto* cited = std::get_if<CitationsContentBlock>(&block)) blocks.push_back(*cited);
  }
  return blocks;
}

std::optional<JsonValue> ConverseOutput::guardrail_trace() const {
  if (!trace || !trace->is_object()) return std::nullopt;
  const auto document = protocol::to_json(*trace);
  const auto it = document.find("guardrail");
  if (it == document.end()) return std::nullopt;
  return protocol::json_value_from(*it);
}

}  // namespace llmm
