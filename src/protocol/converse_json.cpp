#include "protocol/converse_json.hpp"

#include <nlohmann/json.hpp>

namespace llmm::protocol {
namespace {

using nlohmann::json;

std::string_view role_name(Role role) { return role == Role::User ? "user" : "assistant"; }

Error malformed(std::string what) {
  return Error{ErrorCode::Internal, "malformed Converse response: " + std::move(what)};
}

long long integer_member(const json& object, const char* name, bool& ok) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) {
    ok = false;
    return 0;
  }
  return it->get<long long>();
}

}  // namespace

std::string encode_converse_request(const ConverseRequest& request) {
  json body = json::object();
  json messages = json::array();
  for (const auto& message : request.messages) {
    json content = json::array();
    for (const auto& block : message.content) {
      std::visit([&](const TextBlock& text) { content.push_back({{"text", text.text}}); }, block);
    }
    messages.push_back({{"role", role_name(message.role)}, {"content", std::move(content)}});
  }
  body["messages"] = std::move(messages);
  if (!request.system.empty()) {
    json system = json::array();
    for (const auto& text : request.system) system.push_back({{"text", text}});
    body["system"] = std::move(system);
  }
  const auto& inference = request.inference_config;
  json config = json::object();
  if (inference.max_tokens) config["maxTokens"] = *inference.max_tokens;
  if (inference.temperature) config["temperature"] = *inference.temperature;
  if (inference.top_p) config["topP"] = *inference.top_p;
  if (!inference.stop_sequences.empty()) config["stopSequences"] = inference.stop_sequences;
  if (!config.empty()) body["inferenceConfig"] = std::move(config);
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ConverseOutput> decode_converse_response(std::string_view body) {
  const auto document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return malformed("the body is not JSON");
  if (!document.is_object()) return malformed("the body is not a JSON object");

  ConverseOutput output;
  const auto output_it = document.find("output");
  if (output_it == document.end() || !output_it->is_object()) return malformed("no \"output\"");
  const auto message_it = output_it->find("message");
  if (message_it == output_it->end() || !message_it->is_object()) {
    return malformed("no \"output.message\"");
  }
  const auto role_it = message_it->find("role");
  if (role_it != message_it->end() && role_it->is_string() && *role_it == "user") {
    output.message.role = Role::User;
  }
  const auto content_it = message_it->find("content");
  if (content_it == message_it->end() || !content_it->is_array()) {
    return malformed("\"output.message.content\" is not an array");
  }
  for (const auto& block : *content_it) {
    if (!block.is_object()) return malformed("a content block is not an object");
    if (auto text = block.find("text"); text != block.end()) {
      if (!text->is_string()) return malformed("a text block is not a string");
      output.message.content.emplace_back(TextBlock{text->get<std::string>()});
    }
    // Other block kinds are decoded with the manager issue; they are skipped, not an error.
  }

  const auto stop_it = document.find("stopReason");
  if (stop_it == document.end() || !stop_it->is_string()) return malformed("no \"stopReason\"");
  output.stop_reason = stop_it->get<std::string>();

  const auto usage_it = document.find("usage");
  if (usage_it == document.end() || !usage_it->is_object()) return malformed("no \"usage\"");
  bool ok = true;
  output.usage.input_tokens = integer_member(*usage_it, "inputTokens", ok);
  output.usage.output_tokens = integer_member(*usage_it, "outputTokens", ok);
  output.usage.total_tokens = integer_member(*usage_it, "totalTokens", ok);
  if (!ok) return malformed("\"usage\" lacks integer inputTokens/outputTokens/totalTokens");

  if (auto metrics = document.find("metrics"); metrics != document.end() && metrics->is_object()) {
    bool has_latency = true;
    const auto latency = integer_member(*metrics, "latencyMs", has_latency);
    if (has_latency) output.latency = std::chrono::milliseconds(latency);
  }
  return output;
}

}  // namespace llmm::protocol
