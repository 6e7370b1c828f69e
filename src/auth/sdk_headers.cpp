#include "auth/sdk_headers.hpp"

#include "auth/profile_settings.hpp"

#include <llmm/exceptions.hpp>

#include <cstdio>
#include <string_view>

namespace llmm::auth {
namespace {

constexpr std::size_t kMaxAppIdLength = 50;

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 7230 token characters, the alphabet of a user-agent product.
bool is_token_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

SdkHeaders::SdkHeaders(const AuthConfig& config)
    : user_agent_(kProduct),
      environment_(config.environment),
      in_lambda_(config.environment.get_non_empty("AWS_LAMBDA_FUNCTION_NAME").has_value()) {
  std::optional<std::string> app_id = config.environment.get_non_empty("AWS_SDK_UA_APP_ID");
  std::string origin = "AWS_SDK_UA_APP_ID";
  if (!app_id) {
    const ProfileSettings profile = profile_settings(config);
    app_id = profile.sdk_ua_app_id;
    origin = "sdk_ua_app_id of " + profile.origin;
  }
  if (!app_id) return;
  if (app_id->size() > kMaxAppIdLength) {
    throw ConfigurationError(origin + " is " + std::to_string(app_id->size()) +
                             " characters long; at most " + std::to_string(kMaxAppIdLength) +
                             " are allowed");
  }
  for (char c : *app_id) {
    if (!is_token_char(c)) {
      throw ConfigurationError(origin + " may hold only letters, digits and !#$%&'*+-.^_`|~");
    }
  }
  user_agent_ += " app/" + *app_id;
}

std::optional<std::string> SdkHeaders::trace_id() const {
  if (!in_lambda_) return std::nullopt;  // the common case costs no lookup per request
  const auto raw = environment_.get_non_empty("_X_AMZN_TRACE_ID");
  if (!raw) return std::nullopt;
  // botocore: quote(trace_id, safe='-=;:+&[]{}"\',').
  static constexpr std::string_view kSafe = "-=;:+&[]{}\"',_.~";
  std::string encoded;
  for (char c : *raw) {
    if (is_alnum(c) || kSafe.find(c) != std::string_view::npos) {
      encoded += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      encoded += escaped;
    }
  }
  return encoded;
}

}  // namespace llmm::auth
