#include "batch_record.hpp"

#include <nlohmann/json.hpp>

namespace llmm::cli {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json& record) {
  return record.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

ordered_json usage_json(const TokenUsage& usage) {
  return {{"input_tokens", usage.input_tokens},
          {"output_tokens", usage.output_tokens},
          {"total_tokens", usage.total_tokens},
          {"cache_read_input_tokens", usage.cache_read_input_tokens},
          {"cache_write_input_tokens", usage.cache_write_input_tokens}};
}

}  // namespace

std::string result_record(const ParallelResult& result, std::size_t line, bool full) {
  const BedrockResponse& response = result.response;
  ordered_json record = {{"id", result.id},
                         {"line", line},
                         {"ok", result.ok()},
                         {"outcome", std::string(to_string(result.outcome))}};
  if (response.output) {
    record["text"] = response.output->text();
    record["stop_reason"] = response.output->stop_reason;
    record["usage"] = usage_json(response.output->usage);
  }
  record["model_name"] = response.model_name;
  record["model_id"] = response.model_id;
  record["region"] = response.region;
  record["access_method"] = std::string(to_string(response.access_method));
  record["profile_id"] = response.profile_id;
  record["start_region"] = result.start_region;
  record["attempts"] = response.attempts.size();
  record["duration_ms"] = response.total_duration.count();
  record["request_id"] = response.output  ? response.output->request_id
                         : response.error ? response.error->request_id
                                          : std::string();
  if (response.error) record["error"] = ordered_json::parse(response.error->to_json());
  if (!response.warnings.empty()) record["warnings"] = response.warnings;
  if (full) record["response"] = ordered_json::parse(response.to_json());
  return dump(record);
}

std::string invalid_line_record(const BatchLine& line) {
  const ordered_json record = {{"id", line.id},
                               {"line", line.number},
                               {"ok", false},
                               {"outcome", "invalid_input"},
                               {"error", {{"code", "InvalidArgument"}, {"message", line.error}}}};
  return dump(record);
}

}  // namespace llmm::cli
