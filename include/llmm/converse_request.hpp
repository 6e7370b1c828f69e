#pragma once
// The Converse request as typed values (wire doc §2; bedrock-runtime ConverseRequest minus
// modelId, which the client puts in the path). Unset optionals and empty lists/maps are omitted
// on the wire.

#include <llmm/content_block.hpp>
#include <llmm/guardrail_config.hpp>
#include <llmm/json_value.hpp>
#include <llmm/result.hpp>
#include <llmm/tool_config.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm {

enum class Role { User, Assistant };

// The types in this header are value types: not synchronized. A manager copies what it needs
// from a request when a call starts, so the caller may reuse or change it afterwards.
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

struct PerformanceConfiguration {
  std::optional<std::string> latency;  // "standard" | "optimized"
  friend bool operator==(const PerformanceConfiguration&,
                         const PerformanceConfiguration&) = default;
};

struct ServiceTier {
  std::string type;  // "priority" | "default" | "flex" | "reserved"
  friend bool operator==(const ServiceTier&, const ServiceTier&) = default;
};

// outputConfig.textFormat.structure.jsonSchema: structured output.
struct JsonSchemaDefinition {
  std::string schema;  // the JSON schema as a string (not an object) on the wire
  std::optional<std::string> name;
  std::optional<std::string> description;
  friend bool operator==(const JsonSchemaDefinition&, const JsonSchemaDefinition&) = default;
};
struct OutputFormat {
  std::string type = "json_schema";
  JsonSchemaDefinition json_schema;  // structure.jsonSchema (the union's only member)
  friend bool operator==(const OutputFormat&, const OutputFormat&) = default;
};
struct OutputConfig {
  std::optional<OutputFormat> text_format;
  friend bool operator==(const OutputConfig&, const OutputConfig&) = default;
};

struct ConverseRequest {
  std::vector<Message> messages;
  std::vector<SystemContentBlock> system;
  InferenceConfig inference_config;
  std::optional<ToolConfiguration> tool_config;
  std::optional<GuardrailConfiguration> guardrail_config;
  std::optional<JsonValue> additional_model_request_fields;        // passed to the model as-is
  std::map<std::string, std::string> prompt_variables;             // name -> {"text": value}
  std::vector<std::string> additional_model_response_field_paths;  // JSON pointers
  std::map<std::string, std::string> request_metadata;
  std::optional<PerformanceConfiguration> performance_config;
  std::optional<ServiceTier> service_tier;
  std::optional<OutputConfig> output_config;
  // Top-level members sent as given, written last (a member of the same name as one above
  // replaces it): a Converse member this library does not model yet need not wait for a
  // release. A JSON object; anything else is refused when the request is sent.
  std::optional<JsonValue> extra_request_fields;

  // A one-turn request: a single user message.
  static ConverseRequest from_prompt(std::string prompt) {
    ConverseRequest request;
    request.messages.push_back(Message::user(std::move(prompt)));
    return request;
  }
  // The request from its JSON wire form (the Converse body of the wire doc §2, as to_json()
  // writes it and as the service's documentation shows it). Unknown top-level members (modelId,
  // an application's own "id") are ignored, not read into extra_request_fields; unknown content
  // blocks are kept as UnknownBlock.
  // A body that is not a request gives an InvalidArgument error "malformed Converse request:
  // <path> <what is wrong>". Never throws.
  [[nodiscard]] static Result<ConverseRequest> from_json(std::string_view json_text);
  // The Converse body this request is sent as (members in the service model's order).
  [[nodiscard]] std::string to_json() const;
  friend bool operator==(const ConverseRequest&, const ConverseRequest&) = default;
};

}  // namespace llmm
