#pragma once
// Trace-level lines of each request sent and each reply received, for a user chasing what went
// over the wire. Credential headers are always redacted (Authorization, X-Amz-Security-Token,
// Proxy-Authorization, the SSO bearer token); bodies only with LoggingConfig::log_bodies.
// Thread-safe: plain functions over an immutable Logger.

#include "http/http_message.hpp"
#include "observe/logger.hpp"

#include <cstdint>
#include <string>

namespace llmm::observe {

// "name: value" lines joined by "\n", the credential headers' values replaced by "***".
std::string redacted_headers(const http::Headers& headers);

// No-ops unless `log` has Trace on.
void log_request(const Logger& log, std::uint64_t call_id, int attempt,
                 const http::HttpRequest& request);
void log_reply(const Logger& log, std::uint64_t call_id, const http::HttpResponse& reply);

}  // namespace llmm::observe
