// append_response: the assistant's answer onto a conversation, every block kept.
#include <llmm/message_builder.hpp>

#include "message/message_rules.hpp"

namespace llmm {

void append_response(std::vector<Message>& conversation, const ConverseOutput& output) {
  append_response(conversation, output.message);
}

void append_response(std::vector<Message>& conversation, Message assistant_message) {
  if (assistant_message.role != Role::Assistant) {
    message::fail("response", "is a user message, not the assistant's answer");
  }
  if (assistant_message.content.empty()) {
    message::fail("assistant response",
                  "has no content blocks; Bedrock refuses an empty message in a conversation");
  }
  conversation.push_back(std::move(assistant_message));
}

}  // namespace llmm
