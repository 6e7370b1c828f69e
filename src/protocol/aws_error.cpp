#include "protocol/aws_error.hpp"

#include "core/ascii.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace llmm::protocol {

ErrorCode error_code_for(std::string_view type, long status) {
  if (type == "ThrottlingException" || type == "TooManyRequestsException" ||
      type == "ServiceQuotaExceededException" || type == "RequestThrottledException") {
    return ErrorCode::Throttled;
  }
  if (type == "ModelNotReadyException") return ErrorCode::ModelNotReady;
  if (type == "ServiceUnavailableException" || type == "InternalServerException") {
    return ErrorCode::ServiceUnavailable;
  }
  if (type == "AccessDeniedException") return ErrorCode::AccessDenied;
  if (type == "UnrecognizedClientException" || type == "InvalidSignatureException" ||
      type == "ExpiredTokenException" || type == "MissingAuthenticationTokenException" ||
      type == "IncompleteSignatureException") {
    return ErrorCode::Unauthenticated;
  }
  if (type == "ResourceNotFoundException") return ErrorCode::ModelNotFound;
  if (type == "ValidationException") return ErrorCode::InvalidArgument;
  if (type == "ModelErrorException" || type == "ModelStreamErrorException") {
    return ErrorCode::ModelError;
  }
  if (type == "ModelTimeoutException") return ErrorCode::Timeout;
  // No known type: decide by status, as the JS SDK does.
  if (status == 429) return ErrorCode::Throttled;
  if (status == 500 || status == 502 || status == 503 || status == 504) {
    return ErrorCode::ServiceUnavailable;
  }
  if (status == 401 || status == 403) return ErrorCode::AccessDenied;
  if (status == 404) return ErrorCode::ModelNotFound;
  if (status == 400) return ErrorCode::InvalidArgument;
  return ErrorCode::Internal;
}

namespace {

std::string string_member(const nlohmann::json& body, std::initializer_list<const char*> names) {
  if (!body.is_object()) return {};
  for (const char* name : names) {
    auto it = body.find(name);
    if (it != body.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

}  // namespace

std::string clean_error_type(std::string_view raw) {
  if (auto comma = raw.find(','); comma != std::string_view::npos) raw = raw.substr(0, comma);
  if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (auto hash = raw.find('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
  return std::string(core::trim_blanks(raw));
}

Error error_from_response(const http::HttpResponse& response) {
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  std::string type;
  if (auto header = response.header("x-amzn-ErrorType")) type = clean_error_type(*header);
  if (type.empty()) type = clean_error_type(string_member(body, {"code", "Code"}));
  if (type.empty()) type = clean_error_type(string_member(body, {"__type"}));

  Error error;
  error.http_status = static_cast<int>(response.status);
  error.aws_error_type = type;
  error.code = error_code_for(type, response.status);
  error.message = string_member(body, {"message", "Message"});
  if (error.message.empty()) {
    error.message =
        body.is_discarded() && !response.body.empty()
            ? "HTTP " + std::to_string(response.status) + " with a body that is not JSON"
            : "UnknownError";
  }
  if (auto id = response.header("x-amzn-RequestId")) error.request_id = *id;
  return error;
}

std::optional<std::chrono::milliseconds> retry_after_hint(const http::HttpResponse& response) {
  const auto parse = [](const std::string& text) -> std::optional<long long> {
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
  };
  if (auto header = response.header("x-amz-retry-after")) {
    if (auto millis = parse(*header)) return std::chrono::milliseconds(*millis);
  }
  if (auto header = response.header("Retry-After")) {
    if (auto seconds = parse(*header); seconds && *seconds < 86'400) {
      return std::chrono::milliseconds(*seconds * 1000);
    }
  }
  return std::nullopt;
}

}  // namespace llmm::protocol
