#include "retry/retry_classifier.hpp"

namespace llmm::retry {

bool is_transient(const Error& error) noexcept {
  switch (error.code) {
    case ErrorCode::Throttled:
    case ErrorCode::ModelNotReady:
    case ErrorCode::ServiceUnavailable:
    case ErrorCode::ConnectionFailed:
      return true;
    case ErrorCode::Timeout:
      return error.http_status == 0;  // a socket timeout, not the model's 408
    default:
      return false;
  }
}

}  // namespace llmm::retry
