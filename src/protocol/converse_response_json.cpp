// The Converse response body (wire doc §3) to and from ConverseOutput.

#include "protocol/content_block_json.hpp"
#include "protocol/converse_common_json.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/json_value_nlohmann.hpp"
#include "protocol/json_wire.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace llmm::protocol {
namespace {

using namespace wire;  // NOLINT(google-build-using-namespace): the codec's own helpers

constexpr std::array<std::string_view, 8> kModelledMembers = {
    "output", "stopReason",        "usage",      "metrics", "additionalModelResponseFields",
    "trace",  "performanceConfig", "serviceTier"};

bool modelled(std::string_view key) {
  return std::find(kModelledMembers.begin(), kModelledMembers.end(), key) != kModelledMembers.end();
}

TokenUsage decode_usage(const json& value, const std::string& path) {
  as_object(value, path);
  TokenUsage usage;
  usage.input_tokens = required_long(value, "inputTokens", path);
  usage.output_tokens = required_long(value, "outputTokens", path);
  usage.total_tokens = required_long(value, "totalTokens", path);
  usage.cache_read_input_tokens = optional_long(value, "cacheReadInputTokens", path).value_or(0);
  usage.cache_write_input_tokens = optional_long(value, "cacheWriteInputTokens", path).value_or(0);
  if (const json* details = find(value, "cacheDetails")) {
    const std::string list_path = member_path(path, "cacheDetails");
    as_array(*details, list_path);
    for (std::size_t i = 0; i < details->size(); ++i) {
      const std::string at = index_path(list_path, i);
      const json& detail = as_object((*details)[i], at);
      usage.cache_details.push_back(CacheDetail{required_string(detail, "ttl", at),
                                                required_long(detail, "inputTokens", at)});
    }
  }
  return usage;
}

ordered_json encode_usage(const TokenUsage& usage) {
  ordered_json out = ordered_json::object();
  out["inputTokens"] = usage.input_tokens;
  out["outputTokens"] = usage.output_tokens;
  out["totalTokens"] = usage.total_tokens;
  if (usage.cache_read_input_tokens != 0) {
    out["cacheReadInputTokens"] = usage.cache_read_input_tokens;
  }
  if (usage.cache_write_input_tokens != 0) {
    out["cacheWriteInputTokens"] = usage.cache_write_input_tokens;
  }
  if (!usage.cache_details.empty()) {
    ordered_json details = ordered_json::array();
    for (const auto& detail : usage.cache_details) {
      ordered_json item = ordered_json::object();
      item["ttl"] = detail.ttl;
      item["inputTokens"] = detail.input_tokens;
      details.push_back(std::move(item));
    }
    out["cacheDetails"] = std::move(details);
  }
  return out;
}

ConverseOutput decode_output(const json& body) {
  as_object(body, "");
  ConverseOutput output;
  const json& out = as_object(required(body, "output", ""), "output");
  const json& message = required(out, "message", "output");
  output.message = decode_message(message, "output.message", Role::Assistant);

  output.stop_reason = required_string(body, "stopReason", "");
  output.usage = decode_usage(required(body, "usage", ""), "usage");
  // metrics is required by the model; a body without it is still usable.
  if (const json* metrics = find(body, "metrics")) {
    as_object(*metrics, "metrics");
    if (const auto latency = optional_long(*metrics, "latencyMs", "metrics")) {
      output.latency = std::chrono::milliseconds(*latency);
    }
  }
  if (const json* fields = find(body, "additionalModelResponseFields")) {
    output.additional_model_response_fields = json_value_from(*fields);
  }
  if (const json* trace = find(body, "trace")) output.trace = json_value_from(*trace);
  if (const json* performance = find(body, "performanceConfig")) {
    output.performance_config = decode_performance_config(*performance, "performanceConfig");
  }
  if (const json* tier = find(body, "serviceTier")) {
    output.service_tier = decode_service_tier(*tier, "serviceTier");
  }
  json unknown = json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!modelled(it.key())) unknown[it.key()] = it.value();
  }
  output.unknown_fields = json_value_from(unknown);
  return output;
}

}  // namespace

Result<ConverseOutput> decode_converse_response(std::string_view body) {
  const auto malformed = [](std::string_view what) {
    return Error{ErrorCode::Internal, "malformed Converse response: " + std::string(what)};
  };
  try {
    return decode_output(parse_body(body));
  } catch (const WireError& error) {
    return malformed(error.what());
  } catch (const std::exception& error) {
    return malformed(error.what());
  }
}

std::string encode_converse_output(const ConverseOutput& output) {
  ordered_json body = ordered_json::object();
  body["output"] = ordered_json{{"message", encode_message(output.message)}};
  body["stopReason"] = output.stop_reason;
  body["usage"] = encode_usage(output.usage);
  body["metrics"] = ordered_json{{"latencyMs", output.latency.count()}};
  if (output.additional_model_response_fields) {
    body["additionalModelResponseFields"] =
        to_ordered_json(*output.additional_model_response_fields);
  }
  if (output.trace) body["trace"] = to_ordered_json(*output.trace);
  if (output.performance_config) {
    body["performanceConfig"] = encode_performance_config(*output.performance_config);
  }
  if (output.service_tier) body["serviceTier"] = encode_service_tier(*output.service_tier);
  if (output.unknown_fields.is_object()) {
    const ordered_json unknown = to_ordered_json(output.unknown_fields);
    for (auto it = unknown.begin(); it != unknown.end(); ++it) {
      if (!modelled(it.key())) body[it.key()] = it.value();
    }
  }
  return dump(body);
}

}  // namespace llmm::protocol

namespace llmm::protocol {

Result<StreamMetadata> decode_stream_metadata(std::string_view payload) {
  try {
    const json body = parse_body(payload);
    as_object(body, "metadata");
    StreamMetadata metadata;
    if (const json* usage = find(body, "usage")) metadata.usage = decode_usage(*usage, "usage");
    if (const json* metrics = find(body, "metrics")) {
      as_object(*metrics, "metrics");
      metadata.latency =
          std::chrono::milliseconds(optional_long(*metrics, "latencyMs", "metrics").value_or(0));
    }
    if (const json* trace = find(body, "trace")) metadata.trace = json_value_from(*trace);
    if (const json* config = find(body, "performanceConfig")) {
      metadata.performance_config = decode_performance_config(*config, "performanceConfig");
    }
    if (const json* tier = find(body, "serviceTier")) {
      metadata.service_tier = decode_service_tier(*tier, "serviceTier");
    }
    return metadata;
  } catch (const std::exception& error) {
    return Error{ErrorCode::StreamCorrupt,
                 std::string("malformed metadata event: ") + error.what()};
  }
}

}  // namespace llmm::protocol
