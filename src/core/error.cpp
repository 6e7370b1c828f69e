#include <llmm/error.hpp>

namespace llmm {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::Unauthenticated: return "Unauthenticated";
    case ErrorCode::AccessDenied: return "AccessDenied";
    case ErrorCode::ModelNotFound: return "ModelNotFound";
    case ErrorCode::ModelNotReady: return "ModelNotReady";
    case ErrorCode::Throttled: return "Throttled";
    case ErrorCode::ServiceUnavailable: return "ServiceUnavailable";
    case ErrorCode::Timeout: return "Timeout";
    case ErrorCode::ConnectionFailed: return "ConnectionFailed";
    case ErrorCode::TlsFailed: return "TlsFailed";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::ModelError: return "ModelError";
    case ErrorCode::StreamCorrupt: return "StreamCorrupt";
    case ErrorCode::ResponseRejected: return "ResponseRejected";
    case ErrorCode::Internal: return "Internal";
  }
  return "Unknown";
}

std::string Error::describe() const {
  std::string text(to_string(code));
  if (http_status != 0 || !aws_error_type.empty()) {
    text += " (";
    if (http_status != 0) text += "HTTP " + std::to_string(http_status);
    if (http_status != 0 && !aws_error_type.empty()) text += ' ';
    text += aws_error_type;
    text += ')';
  }
  if (!region.empty()) text += " in " + region;
  if (!model_id.empty()) text += " for " + model_id;
  if (!message.empty()) text += ": " + message;
  return text;
}

}  // namespace llmm
