#pragma once
// The error value every request outcome carries (DESIGN.md §5). Codes are chosen for what the
// caller should do next, not for where the failure came from.

#include <string>
#include <string_view>

namespace llmm {

enum class ErrorCode {
  InvalidArgument,     // the request itself is malformed (a 400 ValidationException, bad input)
  Unauthenticated,     // no usable credentials, or the service rejected the signature or token
  AccessDenied,        // the identity may not use this model or region
  ModelNotFound,       // the model or profile does not exist (in this region)
  ModelNotReady,       // the model is being loaded; retrying later helps
  Throttled,           // rate or quota limit; back off or go elsewhere
  ServiceUnavailable,  // 5xx from the service
  Timeout,             // connect timeout, read timeout (silence), or model timeout
  ConnectionFailed,    // refused, reset, DNS, a broken HTTP/2 connection or stream
  TlsFailed,           // the TLS handshake failed: an untrusted or mismatched certificate, no
                       // common protocol version; not retried on the same host
  Cancelled,           // the caller cancelled the call
  ModelError,          // the model failed to process the request (424)
  StreamCorrupt,       // a byte stream that does not decode
  ResponseRejected,    // every answer failed the caller's response validation
  Internal,            // anything else, including an unreadable reply
};

std::string_view to_string(ErrorCode code) noexcept;

// A value type: not synchronized.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  int http_status = 0;         // 0 when no HTTP response arrived
  std::string aws_error_type;  // e.g. "ThrottlingException", cleaned as the wire doc §5.1 says
  std::string request_id;      // x-amzn-RequestId, when the service sent one
  std::string model_id;
  std::string region;
  int attempt = 0;  // 1-based attempt number on the target that produced it

  // "Throttled (HTTP 429 ThrottlingException) in us-east-1 for m: Too many requests".
  [[nodiscard]] std::string describe() const;
  // {"code":"Throttled","message":...,"http_status":429,"aws_error_type":...,"request_id":...,
  // "model_id":...,"region":...,"attempt":1}: the form BedrockResponse::to_json() writes.
  [[nodiscard]] std::string to_json() const;
};

}  // namespace llmm
