#pragma once
// URLs that may carry credentials (a proxy's "http://user:password@host:3128"), in the form
// every message, log line and printed configuration uses. Thread-safe: a plain function.

#include <string>
#include <string_view>

namespace llmm::core {

// "http://user:pw@host:3128/x" -> "http://***@host:3128/x"; a URL without userinfo unchanged.
std::string redact_userinfo(std::string_view url);

}  // namespace llmm::core
