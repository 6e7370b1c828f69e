#include "protocol/error_json.hpp"

#include "protocol/json_wire.hpp"

#include <algorithm>
#include <array>

namespace llmm {

namespace protocol {
namespace {

constexpr std::array<ErrorCode, 15> kCodes = {
    ErrorCode::InvalidArgument,    ErrorCode::Unauthenticated,  ErrorCode::AccessDenied,
    ErrorCode::ModelNotFound,      ErrorCode::ModelNotReady,    ErrorCode::Throttled,
    ErrorCode::ServiceUnavailable, ErrorCode::Timeout,          ErrorCode::ConnectionFailed,
    ErrorCode::TlsFailed,          ErrorCode::Cancelled,        ErrorCode::ModelError,
    ErrorCode::StreamCorrupt,      ErrorCode::ResponseRejected, ErrorCode::Internal};

}  // namespace

nlohmann::json error_json(const Error& error) {
  return {{"code", std::string(to_string(error.code))},
          {"message", error.message},
          {"http_status", error.http_status},
          {"aws_error_type", error.aws_error_type},
          {"request_id", error.request_id},
          {"model_id", error.model_id},
          {"region", error.region},
          {"attempt", error.attempt}};
}

Error error_from_json(const nlohmann::json& value, const std::string& path) {
  wire::as_object(value, path);
  Error error;
  const std::string code = wire::required_string(value, "code", path);
  const auto* known = std::find_if(kCodes.begin(), kCodes.end(), [&](ErrorCode candidate) {
    return to_string(candidate) == code;
  });
  if (known == kCodes.end()) {
    wire::fail(wire::member_path(path, "code"),
               "\"" + code.substr(0, 64) + "\" is not an ErrorCode");
  }
  error.code = *known;
  error.message = wire::required_string(value, "message", path);
  error.http_status = wire::optional_int(value, "http_status", path).value_or(0);
  error.aws_error_type = wire::optional_string(value, "aws_error_type", path).value_or("");
  error.request_id = wire::optional_string(value, "request_id", path).value_or("");
  error.model_id = wire::optional_string(value, "model_id", path).value_or("");
  error.region = wire::optional_string(value, "region", path).value_or("");
  error.attempt = wire::optional_int(value, "attempt", path).value_or(0);
  return error;
}

}  // namespace protocol

std::string Error::to_json() const {
  // Messages may quote a server's bytes: replace invalid UTF-8 instead of throwing.
  return protocol::error_json(*this).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace llmm
