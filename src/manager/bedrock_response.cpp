#include <llmm/bedrock_response.hpp>

#include "protocol/converse_json.hpp"
#include "protocol/error_json.hpp"
#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

namespace llmm {
namespace {

using nlohmann::json;
using protocol::error_json;

// 2026-11-25T12:00:00.123Z
std::string iso_time(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t whole = seconds.count();
  std::tm parts{};
  gmtime_r(&whole, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis.count()));
  return text;
}

json attempt_json(const Attempt& attempt) {
  json out = {{"number", attempt.number},
              {"model_name", attempt.model_name},
              {"model_id", attempt.model_id},
              {"region", attempt.region},
              {"access_method", std::string(to_string(attempt.access_method))},
              {"started", iso_time(attempt.started)},
              {"backoff_before_ms", attempt.backoff_before.count()},
              {"rate_wait_ms", attempt.rate_wait_before.count()},
              {"duration_ms", attempt.duration.count()},
              {"decision", std::string(to_string(attempt.decision))}};
  out["error"] = attempt.error ? error_json(*attempt.error) : json(nullptr);
  return out;
}

json optional_ms(const std::optional<std::chrono::milliseconds>& value) {
  return value ? json(value->count()) : json(nullptr);
}

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

std::string BedrockResponse::to_json() const {
  json out = {{"ok", ok()},
              {"model_name", model_name},
              {"model_id", model_id},
              {"region", region},
              {"access_method", std::string(to_string(access_method))},
              {"profile_id", profile_id},
              {"total_duration_ms", total_duration.count()},
              {"warnings", warnings}};
  // The output in the service's own response shape, so tools that read Converse replies can
  // read it too.
  out["output"] = output ? json::parse(protocol::encode_converse_output(*output)) : json(nullptr);
  if (output) out["text"] = output->text();
  out["error"] = error ? error_json(*error) : json(nullptr);
  out["attempts"] = json::array();
  for (const Attempt& attempt : attempts) out["attempts"].push_back(attempt_json(attempt));
  out["validations"] = json::array();
  for (const ValidationRecord& record : validations) {
    out["validations"].push_back({{"attempt_number", record.attempt_number},
                                  {"success", record.success},
                                  {"message", record.message},
                                  {"rejected_text", record.rejected_text}});
  }
  if (partial_output) out["partial_text"] = partial_output->text();
  out["recoveries"] = json::array();
  for (const StreamRecovery& recovery : recoveries) {
    out["recoveries"].push_back({{"attempt_number", recovery.attempt_number},
                                 {"region", recovery.region},
                                 {"model_id", recovery.model_id},
                                 {"error", recovery.error},
                                 {"characters_kept", recovery.characters_kept}});
  }
  out["time_to_first_token_ms"] = optional_ms(time_to_first_token);
  out["time_to_last_token_ms"] = optional_ms(time_to_last_token);
  // Replace invalid UTF-8 (a model's text is not guaranteed valid) instead of throwing.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

RetryExhaustedError::RetryExhaustedError(BedrockResponse response)
    : std::runtime_error("the call failed after " + std::to_string(response.attempts.size()) +
                         " attempt(s); last error: " +
                         (response.error ? response.error->describe() : std::string("none"))),
      response_(std::move(response)) {}

}  // namespace llmm
