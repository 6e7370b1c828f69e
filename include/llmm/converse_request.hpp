#pragma once
// The Converse request as typed values. This first cut carries text messages, system prompts and
// the inference configuration; the other content blocks arrive with the manager issue.

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace llmm {

enum class Role { User, Assistant };

struct TextBlock {
  std::string text;
  friend bool operator==(const TextBlock&, const TextBlock&) = default;
};

using ContentBlock = std::variant<TextBlock>;

struct Message {
  Role role = Role::User;
  std::vector<ContentBlock> content;

  static Message user(std::string text) { return {Role::User, {TextBlock{std::move(text)}}}; }
  static Message assistant(std::string text) {
    return {Role::Assistant, {TextBlock{std::move(text)}}};
  }
  friend bool operator==(const Message&, const Message&) = default;
};

struct InferenceConfig {
  std::optional<int> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::vector<std::string> stop_sequences;
  friend bool operator==(const InferenceConfig&, const InferenceConfig&) = default;
};

struct ConverseRequest {
  std::vector<Message> messages;
  std::vector<std::string> system;  // system text blocks
  InferenceConfig inference_config;

  // A one-turn request: a single user message.
  static ConverseRequest from_prompt(std::string prompt) {
    ConverseRequest request;
    request.messages.push_back(Message::user(std::move(prompt)));
    return request;
  }
  friend bool operator==(const ConverseRequest&, const ConverseRequest&) = default;
};

}  // namespace llmm
