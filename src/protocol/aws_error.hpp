#pragma once
// Turning a non-2xx HTTP reply into an llmm::Error (wire doc §5.1-5.3).

#include "http/http_message.hpp"

#include <llmm/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::protocol {

// "ValidationException:http://internal..." and "com.amazonaws.bedrockruntime#ValidationException"
// both become "ValidationException".
std::string clean_error_type(std::string_view raw);

// The code for a modelled exception name (cleaned), else for the HTTP status, as the JS SDK
// decides; also used for in-stream exceptions with their HTTP-equivalent status.
ErrorCode error_code_for(std::string_view type, long status);

// The error type from x-amzn-ErrorType, else body `code`, else `__type`; the message from body
// `message` or `Message`; the code from the type and status. Never fails: an unreadable body
// still gives an error carrying the status.
Error error_from_response(const http::HttpResponse& response);

// A server's hint of how long to wait: x-amz-retry-after (milliseconds) or Retry-After (seconds).
std::optional<std::chrono::milliseconds> retry_after_hint(const http::HttpResponse& response);

}  // namespace llmm::protocol
