#include "converse/stream_assembler.hpp"

#include "protocol/aws_error.hpp"
#include "protocol/base64.hpp"
#include "protocol/content_block_json.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace llmm::converse {
namespace {

using nlohmann::json;

const std::string* string_header(const eventstream::Message& message, std::string_view name) {
  for (const auto& header : message.headers) {
    if (header.name == name) return std::get_if<std::string>(&header.value);
  }
  return nullptr;
}

// The in-stream exception members (wire doc §4.5), their modelled names and the HTTP status the
// same error has before a stream starts; the code comes from the shared type mapping.
struct InStreamException {
  std::string_view member;  // :exception-type
  std::string_view type;
  int status;
};

constexpr std::array<InStreamException, 5> kExceptions = {{
    {"throttlingException", "ThrottlingException", 429},
    {"serviceUnavailableException", "ServiceUnavailableException", 503},
    {"internalServerException", "InternalServerException", 500},
    {"modelStreamErrorException", "ModelStreamErrorException", 424},
    {"validationException", "ValidationException", 400},
}};

Error exception_error(const eventstream::Message& message) {
  const std::string* member = string_header(message, ":exception-type");
  const std::string name = member ? *member : std::string("unknown");
  const json payload = json::parse(message.payload, nullptr, false);
  std::string text = message.payload;
  if (payload.is_object() && payload.contains("message") && payload["message"].is_string()) {
    text = payload["message"].get<std::string>();
  }
  for (const auto& known : kExceptions) {
    if (known.member == name) {
      return Error{protocol::error_code_for(known.type, known.status), text, known.status,
                   std::string(known.type)};
    }
  }
  // An unmodelled exception: the target failed mid-answer.
  return Error{ErrorCode::ServiceUnavailable, name + ": " + text, 500, name};
}

// A cited text block as Converse returns it: {"citationsContent": {"content": [{"text"}],
// "citations": [...]}}; kept as plain text if the citations do not decode.
ContentBlock cited_text(const std::string& text, const std::vector<JsonValue>& citations) {
  json citations_json = json::array();
  for (const JsonValue& citation : citations) citations_json.push_back(protocol::to_json(citation));
  const json block = {
      {"citationsContent",
       {{"content", json::array({{{"text", text}}})}, {"citations", citations_json}}}};
  try {
    return protocol::decode_content_block(block, "citationsContent");
  } catch (const std::exception&) {
    return TextBlock{text};
  }
}

Error corrupt(const std::string& what) {
  return Error{ErrorCode::StreamCorrupt, "malformed ConverseStream event: " + what};
}

int block_index_of(const json& payload) {
  const auto it = payload.find("contentBlockIndex");
  if (it == payload.end() || !it->is_number_integer())
    throw std::runtime_error("contentBlockIndex missing");
  const auto index = it->get<long long>();
  if (index < 0 || index > 100'000) throw std::runtime_error("contentBlockIndex out of range");
  return static_cast<int>(index);
}

std::string string_member(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string())
    throw std::runtime_error(std::string(key) + " is not a string");
  return it->get<std::string>();
}

}  // namespace

Result<std::vector<StreamEvent>> StreamAssembler::on_message(const eventstream::Message& message) {
  const std::string* kind = string_header(message, ":message-type");
  if (kind && *kind == "exception") return exception_error(message);
  if (kind && *kind == "error") {
    const std::string* code = string_header(message, ":error-code");
    const std::string* text = string_header(message, ":error-message");
    return Error{ErrorCode::ServiceUnavailable,
                 (code ? *code : std::string("error")) + ": " + (text ? *text : std::string()), 500,
                 code ? *code : std::string()};
  }
  const std::string* type = string_header(message, ":event-type");
  if (!type) return corrupt("an event without :event-type");
  if (*type == "metadata") {
    auto metadata = protocol::decode_stream_metadata(message.payload);
    if (!metadata) return metadata.error();
    output_.usage = metadata->usage;
    output_.latency = metadata->latency;
    output_.trace = metadata->trace;
    output_.performance_config = metadata->performance_config;
    output_.service_tier = metadata->service_tier;
    StreamEvent event{StreamEventType::Metadata};
    event.document = JsonValue::parse(message.payload);
    return std::vector<StreamEvent>{std::move(event)};
  }
  try {
    const json payload = json::parse(message.payload);
    if (!payload.is_object()) return corrupt(*type + " payload is not an object");
    std::vector<StreamEvent> events;
    if (*type == "messageStart") return events;
    if (*type == "contentBlockStart") {
      const int index = block_index_of(payload);
      const auto start = payload.find("start");
      if (start != payload.end() && start->is_object() && start->contains("toolUse")) {
        const json& tool = (*start)["toolUse"];
        Block& block = blocks_[index];
        block.kind = Block::Kind::ToolUse;
        block.tool_use_id = string_member(tool, "toolUseId");
        block.tool_name = string_member(tool, "name");
        StreamEvent event{StreamEventType::ToolUseStart, index};
        event.tool_use_id = block.tool_use_id;
        event.tool_name = block.tool_name;
        events.push_back(std::move(event));
        content_started_ = true;
      }
      return events;
    }
    if (*type == "contentBlockDelta") {
      const int index = block_index_of(payload);
      const auto delta = payload.find("delta");
      if (delta == payload.end() || !delta->is_object())
        return corrupt("contentBlockDelta without delta");
      Block& block = blocks_[index];
      if (delta->contains("text")) {
        block.kind = Block::Kind::Text;
        const std::string text = string_member(*delta, "text");
        block.text += text;
        events.push_back(StreamEvent{StreamEventType::Text, index, text});
      } else if (delta->contains("toolUse")) {
        const std::string fragment = string_member((*delta)["toolUse"], "input");
        block.kind = Block::Kind::ToolUse;
        block.text += fragment;
        events.push_back(StreamEvent{StreamEventType::ToolUseInput, index, fragment});
      } else if (delta->contains("reasoningContent")) {
        const json& reasoning = (*delta)["reasoningContent"];
        block.kind = Block::Kind::Reasoning;
        if (reasoning.contains("text")) {
          const std::string text = string_member(reasoning, "text");
          block.text += text;
          events.push_back(StreamEvent{StreamEventType::Reasoning, index, text});
        } else if (reasoning.contains("signature")) {
          block.signature += string_member(reasoning, "signature");
          events.push_back(StreamEvent{StreamEventType::ReasoningSignature, index,
                                       string_member(reasoning, "signature")});
        } else if (reasoning.contains("redactedContent")) {
          auto bytes = protocol::base64_decode(string_member(reasoning, "redactedContent"));
          if (!bytes) return corrupt("redactedContent is not base64");
          block.redacted += *bytes;
        }
      } else if (delta->contains("citation")) {
        StreamEvent event{StreamEventType::Citation, index};
        event.document = protocol::json_value_from((*delta)["citation"]);
        block.citations.push_back(*event.document);
        events.push_back(std::move(event));
      }
      content_started_ = content_started_ || !events.empty();
      return events;
    }
    if (*type == "contentBlockStop") {
      return std::vector<StreamEvent>{
          StreamEvent{StreamEventType::BlockStop, block_index_of(payload)}};
    }
    if (*type == "messageStop") {
      output_.stop_reason = string_member(payload, "stopReason");
      if (payload.contains("additionalModelResponseFields")) {
        output_.additional_model_response_fields =
            protocol::json_value_from(payload["additionalModelResponseFields"]);
      }
      stopped_ = true;
      StreamEvent event{StreamEventType::MessageStop};
      event.stop_reason = output_.stop_reason;
      return std::vector<StreamEvent>{std::move(event)};
    }
    return events;  // an event this library does not know: skipped, as the JS SDK does
  } catch (const std::exception& error) {
    return corrupt(*type + ": " + error.what());
  }
}

std::string StreamAssembler::text() const { return output().text(); }

ConverseOutput StreamAssembler::output() const {
  ConverseOutput output = output_;
  output.message = Message{Role::Assistant, {}};
  for (const auto& [index, block] : blocks_) {
    switch (block.kind) {
      case Block::Kind::Text:
        output.message.content.push_back(block.citations.empty()
                                             ? ContentBlock{TextBlock{block.text}}
                                             : cited_text(block.text, block.citations));
        break;
      case Block::Kind::ToolUse: {
        JsonValue input;
        try {
          input = JsonValue::parse(block.text.empty() ? "{}" : block.text);
        } catch (const std::exception&) {
          input = protocol::json_value_from(json(block.text));  // kept as sent
        }
        output.message.content.emplace_back(
            ToolUseBlock{block.tool_use_id, block.tool_name, input});
        break;
      }
      case Block::Kind::Reasoning: {
        ReasoningContentBlock reasoning;
        if (!block.redacted.empty()) {
          reasoning.content = RedactedReasoning{block.redacted};
        } else {
          reasoning.content = ReasoningTextBlock{
              block.text, block.signature.empty() ? std::nullopt : std::optional(block.signature)};
        }
        output.message.content.emplace_back(std::move(reasoning));
        break;
      }
    }
  }
  return output;
}

}  // namespace llmm::converse
