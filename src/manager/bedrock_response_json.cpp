// BedrockResponse's JSON form, both ways: to_json() writes it, from_json() reads it back, so a
// response stored as a JSONL record (llmm batch --full) or sent between processes is a
// BedrockResponse again.
#include <llmm/bedrock_response.hpp>

#include "auth/timestamp.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/error_json.hpp"
#include "protocol/json_wire.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <ctime>
#include <exception>

namespace llmm {
namespace {

using nlohmann::json;
using protocol::error_json;
namespace wire = protocol::wire;

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
              {"decision", std::string(to_string(attempt.decision))},
              {"request_id", attempt.request_id}};
  out["error"] = attempt.error ? error_json(*attempt.error) : json(nullptr);
  return out;
}

json optional_ms(const std::optional<std::chrono::milliseconds>& value) {
  return value ? json(value->count()) : json(nullptr);
}

// The enum value whose to_string() is `text`, from the list of every value.
template <typename Enum, std::size_t N>
Enum named(const json& object, std::string_view key, const std::string& path,
           const std::array<Enum, N>& values) {
  const std::string text = wire::required_string(object, key, path);
  for (Enum value : values) {
    if (to_string(value) == text) return value;
  }
  wire::fail(wire::member_path(path, key), "\"" + text.substr(0, 64) + "\" is not a known value");
}

constexpr std::array<AccessMethod, 3> kAccessMethods = {
    AccessMethod::Direct, AccessMethod::RegionalProfile, AccessMethod::GlobalProfile};
constexpr std::array<AttemptDecision, 10> kDecisions = {
    AttemptDecision::Succeeded,          AttemptDecision::RetrySameTarget,
    AttemptDecision::Failover,           AttemptDecision::SwitchAccessMethod,
    AttemptDecision::DropParameters,     AttemptDecision::DropFeature,
    AttemptDecision::RetryForValidation, AttemptDecision::RefreshCredentials,
    AttemptDecision::CorrectClockSkew,   AttemptDecision::Stop};

std::chrono::milliseconds ms(const json& object, std::string_view key, const std::string& path) {
  return std::chrono::milliseconds(wire::required_long(object, key, path));
}

std::optional<std::chrono::milliseconds> optional_ms(const json& object, std::string_view key,
                                                     const std::string& path) {
  const json* value = wire::find(object, key);
  if (!value || value->is_null()) return std::nullopt;
  return ms(object, key, path);
}

int integer(const json& object, std::string_view key, const std::string& path) {
  const auto value = wire::optional_int(object, key, path);
  if (!value) wire::fail(wire::member_path(path, key), "is missing");
  return *value;
}

std::optional<Error> optional_error(const json& object, std::string_view key,
                                    const std::string& path) {
  const json* value = wire::find(object, key);
  if (!value || value->is_null()) return std::nullopt;
  return protocol::error_from_json(*value, wire::member_path(path, key));
}

Attempt attempt_from(const json& value, const std::string& path) {
  wire::as_object(value, path);
  Attempt attempt;
  attempt.number = integer(value, "number", path);
  attempt.model_name = wire::required_string(value, "model_name", path);
  attempt.model_id = wire::required_string(value, "model_id", path);
  attempt.region = wire::required_string(value, "region", path);
  attempt.access_method = named(value, "access_method", path, kAccessMethods);
  const std::string started = wire::required_string(value, "started", path);
  const auto when = auth::parse_iso8601(started);
  if (!when) wire::fail(wire::member_path(path, "started"), "is not an ISO 8601 time");
  attempt.started = *when;
  attempt.backoff_before = ms(value, "backoff_before_ms", path);
  attempt.rate_wait_before = ms(value, "rate_wait_ms", path);
  attempt.duration = ms(value, "duration_ms", path);
  attempt.decision = named(value, "decision", path, kDecisions);
  attempt.error = optional_error(value, "error", path);
  // Absent from the JSON that earlier builds wrote.
  attempt.request_id = wire::optional_string(value, "request_id", path).value_or("");
  return attempt;
}

const json& list(const json& object, std::string_view key, const std::string& path) {
  return wire::as_array(wire::required(object, key, path), wire::member_path(path, key));
}

BedrockResponse response_from(const json& body) {
  const std::string path;
  wire::as_object(body, path);
  BedrockResponse response;
  response.model_name = wire::required_string(body, "model_name", path);
  response.model_id = wire::required_string(body, "model_id", path);
  response.region = wire::required_string(body, "region", path);
  response.access_method = named(body, "access_method", path, kAccessMethods);
  response.profile_id = wire::required_string(body, "profile_id", path);
  response.total_duration = ms(body, "total_duration_ms", path);
  response.warnings = wire::string_list(body, "warnings", path);
  if (const json* output = wire::find(body, "output"); output && !output->is_null()) {
    auto decoded = protocol::decode_converse_response(output->dump());
    if (!decoded) wire::fail("output", decoded.error().message);
    response.output = std::move(*decoded);
    response.output->request_id = wire::optional_string(body, "request_id", path).value_or("");
  }
  response.error = optional_error(body, "error", path);
  if (wire::required_bool(body, "ok", path) != response.output.has_value()) {
    wire::fail("ok", "does not match the output (ok is true exactly when there is one)");
  }
  if (response.output.has_value() == response.error.has_value()) {
    wire::fail("error", response.output ? "is set beside an output" : "is missing: no output");
  }
  const json& attempts = list(body, "attempts", path);
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    response.attempts.push_back(attempt_from(attempts[i], wire::index_path("attempts", i)));
  }
  const json& validations = list(body, "validations", path);
  for (std::size_t i = 0; i < validations.size(); ++i) {
    const std::string at = wire::index_path("validations", i);
    const json& record = wire::as_object(validations[i], at);
    response.validations.push_back({integer(record, "attempt_number", at),
                                    wire::required_bool(record, "success", at),
                                    wire::required_string(record, "message", at),
                                    wire::required_string(record, "rejected_text", at)});
  }
  if (auto partial = wire::optional_string(body, "partial_text", path)) {
    ConverseOutput kept;
    kept.message.content.emplace_back(TextBlock{std::move(*partial)});
    response.partial_output = std::move(kept);
  }
  const json& recoveries = list(body, "recoveries", path);
  for (std::size_t i = 0; i < recoveries.size(); ++i) {
    const std::string at = wire::index_path("recoveries", i);
    const json& recovery = wire::as_object(recoveries[i], at);
    const long long kept = wire::required_long(recovery, "characters_kept", at);
    if (kept < 0) wire::fail(wire::member_path(at, "characters_kept"), "is negative");
    response.recoveries.push_back(
        {integer(recovery, "attempt_number", at), wire::required_string(recovery, "region", at),
         wire::required_string(recovery, "model_id", at),
         wire::required_string(recovery, "error", at), static_cast<std::size_t>(kept)});
  }
  response.time_to_first_token = optional_ms(body, "time_to_first_token_ms", path);
  response.time_to_last_token = optional_ms(body, "time_to_last_token_ms", path);
  return response;
}

}  // namespace

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
  // read it too; its request id (a header on the wire) beside it.
  out["output"] = output ? json::parse(protocol::encode_converse_output(*output)) : json(nullptr);
  if (output) {
    out["text"] = output->text();
    out["request_id"] = output->request_id;
  }
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

Result<BedrockResponse> BedrockResponse::from_json(std::string_view json_text) {
  const auto malformed = [](std::string_view what) {
    return Error{ErrorCode::InvalidArgument,
                 "malformed BedrockResponse JSON: " + std::string(what)};
  };
  try {
    return response_from(wire::parse_body(json_text));
  } catch (const wire::WireError& error) {
    return malformed(error.what());
  } catch (const std::exception& error) {
    return malformed(error.what());
  }
}

}  // namespace llmm
