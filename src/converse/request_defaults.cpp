#include "converse/request_defaults.hpp"

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace llmm {

void ModelSpecificConfig::validate() const {
  if (!custom_fields.is_object()) {
    throw std::invalid_argument("ModelSpecificConfig.custom_fields must be a JSON object, not " +
                                custom_fields.text().substr(0, 40));
  }
}

namespace converse {
namespace {

using nlohmann::json;

constexpr const char* kBeta = "anthropic_beta";

// A beta flag list as a list: a lone string is one flag.
json as_flag_list(const json& value) {
  if (value.is_array()) return value;
  if (value.is_null()) return json::array();
  return json::array({value});
}

void add_flags(json& fields, const json& flags) {
  json joined = as_flag_list(fields.contains(kBeta) ? fields[kBeta] : json());
  for (const json& flag : flags) {
    if (std::find(joined.begin(), joined.end(), flag) == joined.end()) joined.push_back(flag);
  }
  fields[kBeta] = std::move(joined);
}

}  // namespace

InferenceConfig with_defaults(const InferenceConfig& call, const InferenceConfig& defaults) {
  InferenceConfig merged = call;
  if (!merged.max_tokens) merged.max_tokens = defaults.max_tokens;
  if (!merged.temperature) merged.temperature = defaults.temperature;
  if (!merged.top_p) merged.top_p = defaults.top_p;
  if (merged.stop_sequences.empty()) merged.stop_sequences = defaults.stop_sequences;
  return merged;
}

std::optional<std::string> apply_model_specific(ConverseRequest& request,
                                                const ModelSpecificConfig& config,
                                                bool accepts_extended_context) {
  const json custom = protocol::to_json(config.custom_fields);
  const bool custom_empty = !custom.is_object() || custom.empty();
  if (custom_empty && !config.enable_extended_context) return std::nullopt;
  json fields = request.additional_model_request_fields
                    ? protocol::to_json(*request.additional_model_request_fields)
                    : json::object();
  if (fields.is_null()) fields = json::object();
  if (!fields.is_object()) {
    throw std::invalid_argument(
        "additionalModelRequestFields must be a JSON object for ModelSpecificConfig's fields to "
        "be merged into it");
  }
  if (!custom_empty) {
    for (const auto& [key, value] : custom.items()) {
      if (key == kBeta && value.is_array()) {
        add_flags(fields, value);
      } else {
        fields[key] = value;
      }
    }
  }
  std::optional<std::string> left_out;
  if (config.enable_extended_context) {
    if (accepts_extended_context) {
      add_flags(fields, json::array({std::string(kExtendedContextBeta)}));
    } else {
      left_out = "extended context (" + std::string(kExtendedContextBeta) + ")";
    }
  }
  if (!fields.empty()) request.additional_model_request_fields = protocol::json_value_from(fields);
  return left_out;
}

}  // namespace converse
}  // namespace llmm
