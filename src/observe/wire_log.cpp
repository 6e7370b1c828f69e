#include "observe/wire_log.hpp"

#include "core/ascii.hpp"
#include "core/redacted_url.hpp"

#include <array>
#include <string_view>

namespace llmm::observe {
namespace {

// Headers whose values are credentials, whoever sends them.
constexpr std::array<std::string_view, 4> kSecretHeaders = {
    "authorization", "x-amz-security-token", "proxy-authorization", "x-amz-sso_bearer_token"};

bool is_secret(std::string_view name) {
  for (const std::string_view secret : kSecretHeaders) {
    if (core::iequals_ascii(name, secret)) return true;
  }
  return false;
}

constexpr std::string_view kNotLogged = "(not logged)";

}  // namespace

std::string redacted_headers(const http::Headers& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out += '\n';
    out += name;
    out += ": ";
    out += is_secret(name) ? std::string_view("***") : std::string_view(value);
  }
  return out;
}

void log_request(const Logger& log, std::uint64_t call_id, int attempt,
                 const http::HttpRequest& request) {
  if (!log.enabled(LogLevel::Trace)) return;
  const std::string call = std::to_string(call_id);
  const std::string number = std::to_string(attempt);
  const std::string url = core::redact_userinfo(request.url);
  const std::string headers = redacted_headers(request.headers);
  const std::string size = std::to_string(request.body.size());
  const std::array fields = {
      LogField{"call", call},
      LogField{"attempt", number},
      LogField{"method", request.method},
      LogField{"url", url},
      LogField{"headers", headers},
      LogField{"body_bytes", size},
      LogField{"body", log.log_bodies() ? std::string_view(request.body) : kNotLogged}};
  log.log(LogLevel::Trace, "request", fields);
}

void log_reply(const Logger& log, std::uint64_t call_id, const http::HttpResponse& reply) {
  if (!log.enabled(LogLevel::Trace)) return;
  const std::string call = std::to_string(call_id);
  const std::string status = std::to_string(reply.status);
  const std::string headers = redacted_headers(reply.headers);
  const std::string size = std::to_string(reply.body.size());
  // A stream's body went to its decoder as it arrived: an empty body here.
  const std::array fields = {
      LogField{"call", call}, LogField{"status", status}, LogField{"headers", headers},
      LogField{"body_bytes", size},
      LogField{"body", log.log_bodies() ? std::string_view(reply.body) : kNotLogged}};
  log.log(LogLevel::Trace, "reply", fields);
}

}  // namespace llmm::observe
