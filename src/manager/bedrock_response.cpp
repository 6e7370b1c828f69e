#include <llmm/bedrock_response.hpp>

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

namespace llmm {
namespace {

using nlohmann::json;

// The text inside a reply that is one fenced block ("```json\n{...}\n```"), else the text.
std::string_view unfenced(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  text = text.substr(first, text.find_last_not_of(kSpace) - first + 1);
  constexpr std::string_view kFence = "```";
  if (text.size() < 2 * kFence.size() || !text.starts_with(kFence) || !text.ends_with(kFence)) {
    return text;
  }
  const auto line_end = text.find('\n');
  if (line_end == std::string_view::npos) return text;
  return text.substr(line_end + 1, text.size() - kFence.size() - line_end - 1);
}

}  // namespace

Result<JsonValue> BedrockResponse::structured_output() const {
  const auto rejected = [](std::string why) {
    return Error{ErrorCode::ResponseRejected, "no structured output: " + std::move(why)};
  };
  if (!output) {
    return rejected("the call failed" + (error ? ": " + error->describe() : std::string()));
  }
  const std::string text = output->text();
  const std::string_view body = unfenced(text);
  if (body.empty()) return rejected("the answer has no text");
  if (!protocol::json_depth_within(body, protocol::kMaxJsonDepth)) {
    return rejected("the answer nests deeper than " + std::to_string(protocol::kMaxJsonDepth) +
                    " levels");
  }
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& problem) {
    return rejected("the answer is not JSON (at byte " + std::to_string(problem.byte) + ")");
  }
  if (!parsed.is_object() && !parsed.is_array()) {
    return rejected("the answer is a JSON " + std::string(parsed.type_name()) +
                    ", not an object or an array");
  }
  return protocol::json_value_from(parsed);
}

const std::vector<ContentBlock>& BedrockResponse::content() const noexcept {
  static const std::vector<ContentBlock> none;
  return output ? output->message.content : none;
}

RetryExhaustedError::RetryExhaustedError(BedrockResponse response)
    : std::runtime_error("the call failed after " + std::to_string(response.attempts.size()) +
                         " attempt(s); last error: " +
                         (response.error ? response.error->describe() : std::string("none"))),
      response_(std::move(response)) {}

}  // namespace llmm
