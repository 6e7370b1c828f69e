#include "protocol/converse_json.hpp"

#include "protocol/content_block_json.hpp"
#include "protocol/converse_common_json.hpp"
#include "protocol/json_value_nlohmann.hpp"
#include "protocol/json_wire.hpp"

#include "core/overloaded.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace llmm::protocol {
namespace {

using namespace wire;  // NOLINT(google-build-using-namespace): the codec's own helpers

using core::Overloaded;

// ---- encoding -------------------------------------------------------------------------------

ordered_json encode_inference_config(const InferenceConfig& inference) {
  ordered_json config = ordered_json::object();
  if (inference.max_tokens) config["maxTokens"] = *inference.max_tokens;
  if (inference.temperature) config["temperature"] = *inference.temperature;
  if (inference.top_p) config["topP"] = *inference.top_p;
  if (!inference.stop_sequences.empty()) config["stopSequences"] = inference.stop_sequences;
  return config;
}

ordered_json encode_tool(const Tool& tool) {
  return std::visit(
      Overloaded{
          [](const ToolSpecification& spec) {
            ordered_json inner = ordered_json::object();
            inner["name"] = spec.name;
            if (spec.description) inner["description"] = *spec.description;
            inner["inputSchema"] = ordered_json{{"json", to_ordered_json(spec.input_schema)}};
            if (spec.strict) inner["strict"] = *spec.strict;
            return ordered_json{{"toolSpec", std::move(inner)}};
          },
          [](const SystemTool& system_tool) {
            return ordered_json{{"systemTool", ordered_json{{"name", system_tool.name}}}};
          },
          [](const CachePointBlock& cache) {
            return ordered_json{{"cachePoint", encode_cache_point(cache)}};
          },
      },
      tool);
}

ordered_json encode_tool_choice(const ToolChoice& choice) {
  return std::visit(Overloaded{
                        [](const AutoToolChoice&) {
                          return ordered_json{{"auto", ordered_json::object()}};
                        },
                        [](const AnyToolChoice&) {
                          return ordered_json{{"any", ordered_json::object()}};
                        },
                        [](const SpecificToolChoice& specific) {
                          return ordered_json{{"tool", ordered_json{{"name", specific.name}}}};
                        },
                    },
                    choice);
}

ordered_json encode_tool_config(const ToolConfiguration& config) {
  ordered_json tools = ordered_json::array();
  for (const auto& tool : config.tools) tools.push_back(encode_tool(tool));
  ordered_json out = ordered_json::object();
  out["tools"] = std::move(tools);
  if (config.tool_choice) out["toolChoice"] = encode_tool_choice(*config.tool_choice);
  return out;
}

ordered_json encode_guardrail_config(const GuardrailConfiguration& config,
                                     ConverseOperation operation) {
  ordered_json out = ordered_json::object();
  out["guardrailIdentifier"] = config.guardrail_identifier;
  out["guardrailVersion"] = config.guardrail_version;
  if (config.trace) out["trace"] = *config.trace;
  if (config.stream_processing_mode && operation == ConverseOperation::ConverseStream) {
    out["streamProcessingMode"] = *config.stream_processing_mode;
  }
  return out;
}

ordered_json encode_output_config(const OutputConfig& config) {
  ordered_json out = ordered_json::object();
  if (config.text_format) {
    const auto& schema = config.text_format->json_schema;
    ordered_json definition = ordered_json::object();
    definition["schema"] = schema.schema;
    if (schema.name) definition["name"] = *schema.name;
    if (schema.description) definition["description"] = *schema.description;
    ordered_json format = ordered_json::object();
    format["type"] = config.text_format->type;
    format["structure"] = ordered_json{{"jsonSchema", std::move(definition)}};
    out["textFormat"] = std::move(format);
  }
  return out;
}

// ---- decoding -------------------------------------------------------------------------------

InferenceConfig decode_inference_config(const json& value, const std::string& path) {
  as_object(value, path);
  InferenceConfig config;
  config.max_tokens = optional_int(value, "maxTokens", path);
  config.temperature = optional_double(value, "temperature", path);
  config.top_p = optional_double(value, "topP", path);
  config.stop_sequences = string_list(value, "stopSequences", path);
  return config;
}

Tool decode_tool(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "toolSpec") {
    as_object(*member, at);
    ToolSpecification spec;
    spec.name = required_string(*member, "name", at);
    spec.description = optional_string(*member, "description", at);
    const std::string schema_path = member_path(at, "inputSchema");
    const auto [schema_key, schema] =
        union_member(required(*member, "inputSchema", at), schema_path);
    if (schema_key != "json") fail(schema_path, "has an unknown member \"" + schema_key + "\"");
    spec.input_schema = json_value_from(*schema);
    spec.strict = optional_bool(*member, "strict", at);
    return spec;
  }
  if (key == "systemTool") {
    as_object(*member, at);
    return SystemTool{required_string(*member, "name", at)};
  }
  if (key == "cachePoint") return decode_cache_point(*member, at);
  fail(path, "has an unknown member \"" + key + "\"");
}

ToolChoice decode_tool_choice(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  as_object(*member, at);
  if (key == "auto") return AutoToolChoice{};
  if (key == "any") return AnyToolChoice{};
  if (key == "tool") return SpecificToolChoice{required_string(*member, "name", at)};
  fail(path, "has an unknown member \"" + key + "\"");
}

ToolConfiguration decode_tool_config(const json& value, const std::string& path) {
  as_object(value, path);
  ToolConfiguration config;
  const std::string tools_path = member_path(path, "tools");
  const json& tools = as_array(required(value, "tools", path), tools_path);
  for (std::size_t i = 0; i < tools.size(); ++i) {
    config.tools.push_back(decode_tool(tools[i], index_path(tools_path, i)));
  }
  if (const json* choice = find(value, "toolChoice")) {
    config.tool_choice = decode_tool_choice(*choice, member_path(path, "toolChoice"));
  }
  return config;
}

GuardrailConfiguration decode_guardrail_config(const json& value, const std::string& path) {
  as_object(value, path);
  GuardrailConfiguration config;
  config.guardrail_identifier = optional_string(value, "guardrailIdentifier", path).value_or("");
  config.guardrail_version = optional_string(value, "guardrailVersion", path).value_or("");
  config.trace = optional_string(value, "trace", path);
  config.stream_processing_mode = optional_string(value, "streamProcessingMode", path);
  return config;
}

OutputConfig decode_output_config(const json& value, const std::string& path) {
  as_object(value, path);
  OutputConfig config;
  if (const json* format = find(value, "textFormat")) {
    const std::string at = member_path(path, "textFormat");
    as_object(*format, at);
    OutputFormat text_format;
    text_format.type = required_string(*format, "type", at);
    const std::string structure_path = member_path(at, "structure");
    const auto [key, definition] = union_member(required(*format, "structure", at), structure_path);
    if (key != "jsonSchema") fail(structure_path, "has an unknown member \"" + key + "\"");
    const std::string schema_path = member_path(structure_path, "jsonSchema");
    as_object(*definition, schema_path);
    text_format.json_schema.schema = required_string(*definition, "schema", schema_path);
    text_format.json_schema.name = optional_string(*definition, "name", schema_path);
    text_format.json_schema.description = optional_string(*definition, "description", schema_path);
    config.text_format = std::move(text_format);
  }
  return config;
}

std::map<std::string, std::string> decode_string_map(const json& value, const std::string& path,
                                                     bool text_union) {
  as_object(value, path);
  std::map<std::string, std::string> map;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string at = member_path(path, it.key());
    if (text_union) {
      const auto [key, text] = union_member(it.value(), at);
      if (key != "text") fail(at, "has an unknown member \"" + key + "\"");
      map[it.key()] = as_string(*text, member_path(at, "text"));
    } else {
      map[it.key()] = as_string(it.value(), at);
    }
  }
  return map;
}

ConverseRequest decode_request(const json& body) {
  as_object(body, "");
  ConverseRequest request;
  if (const json* messages = find(body, "messages")) {
    as_array(*messages, "messages");
    for (std::size_t i = 0; i < messages->size(); ++i) {
      request.messages.push_back(
          decode_message((*messages)[i], index_path("messages", i), std::nullopt));
    }
  }
  if (const json* system = find(body, "system")) {
    as_array(*system, "system");
    for (std::size_t i = 0; i < system->size(); ++i) {
      request.system.push_back(decode_system_block((*system)[i], index_path("system", i)));
    }
  }
  if (const json* inference = find(body, "inferenceConfig")) {
    request.inference_config = decode_inference_config(*inference, "inferenceConfig");
  }
  if (const json* tools = find(body, "toolConfig")) {
    request.tool_config = decode_tool_config(*tools, "toolConfig");
  }
  if (const json* guardrail = find(body, "guardrailConfig")) {
    request.guardrail_config = decode_guardrail_config(*guardrail, "guardrailConfig");
  }
  if (const json* fields = find(body, "additionalModelRequestFields")) {
    request.additional_model_request_fields = json_value_from(*fields);
  }
  if (const json* variables = find(body, "promptVariables")) {
    request.prompt_variables = decode_string_map(*variables, "promptVariables", true);
  }
  request.additional_model_response_field_paths =
      string_list(body, "additionalModelResponseFieldPaths", "");
  if (const json* metadata = find(body, "requestMetadata")) {
    request.request_metadata = decode_string_map(*metadata, "requestMetadata", false);
  }
  if (const json* performance = find(body, "performanceConfig")) {
    request.performance_config = decode_performance_config(*performance, "performanceConfig");
  }
  if (const json* tier = find(body, "serviceTier")) {
    request.service_tier = decode_service_tier(*tier, "serviceTier");
  }
  if (const json* output = find(body, "outputConfig")) {
    request.output_config = decode_output_config(*output, "outputConfig");
  }
  return request;
}

}  // namespace

ordered_json encode_performance_config(const PerformanceConfiguration& config) {
  ordered_json out = ordered_json::object();
  if (config.latency) out["latency"] = *config.latency;
  return out;
}

PerformanceConfiguration decode_performance_config(const json& value, const std::string& path) {
  as_object(value, path);
  return PerformanceConfiguration{optional_string(value, "latency", path)};
}

ordered_json encode_service_tier(const ServiceTier& tier) {
  return ordered_json{{"type", tier.type}};
}

ServiceTier decode_service_tier(const json& value, const std::string& path) {
  as_object(value, path);
  return ServiceTier{required_string(value, "type", path)};
}

std::string encode_converse_request(const ConverseRequest& request, ConverseOperation operation) {
  ordered_json body = ordered_json::object();
  if (!request.messages.empty() || request.prompt_variables.empty()) {
    ordered_json messages = ordered_json::array();
    for (const auto& message : request.messages) messages.push_back(encode_message(message));
    body["messages"] = std::move(messages);
  }
  if (!request.system.empty()) {
    ordered_json system = ordered_json::array();
    for (const auto& block : request.system) system.push_back(encode_system_block(block));
    body["system"] = std::move(system);
  }
  if (auto config = encode_inference_config(request.inference_config); !config.empty()) {
    body["inferenceConfig"] = std::move(config);
  }
  if (request.tool_config) body["toolConfig"] = encode_tool_config(*request.tool_config);
  if (request.guardrail_config) {
    body["guardrailConfig"] = encode_guardrail_config(*request.guardrail_config, operation);
  }
  if (request.additional_model_request_fields) {
    body["additionalModelRequestFields"] =
        to_ordered_json(*request.additional_model_request_fields);
  }
  if (!request.prompt_variables.empty()) {
    ordered_json variables = ordered_json::object();
    for (const auto& [name, text] : request.prompt_variables) {
      variables[name] = ordered_json{{"text", text}};
    }
    body["promptVariables"] = std::move(variables);
  }
  if (!request.additional_model_response_field_paths.empty()) {
    body["additionalModelResponseFieldPaths"] = request.additional_model_response_field_paths;
  }
  if (!request.request_metadata.empty()) body["requestMetadata"] = request.request_metadata;
  if (request.performance_config) {
    body["performanceConfig"] = encode_performance_config(*request.performance_config);
  }
  if (request.service_tier) body["serviceTier"] = encode_service_tier(*request.service_tier);
  if (request.output_config) body["outputConfig"] = encode_output_config(*request.output_config);
  if (request.extra_request_fields) {
    if (!request.extra_request_fields->is_object()) {
      throw std::invalid_argument("ConverseRequest.extra_request_fields must be a JSON object");
    }
    ordered_json extra = to_ordered_json(*request.extra_request_fields);
    for (auto& [name, value] : extra.items()) body[name] = std::move(value);
  }
  return dump(body);
}

Result<ConverseRequest> decode_converse_request(std::string_view body) {
  const auto malformed = [](std::string_view what) {
    return Error{ErrorCode::InvalidArgument, "malformed Converse request: " + std::string(what)};
  };
  try {
    return decode_request(parse_body(body));
  } catch (const WireError& error) {
    return malformed(error.what());
  } catch (const std::exception& error) {
    return malformed(error.what());
  }
}

}  // namespace llmm::protocol
