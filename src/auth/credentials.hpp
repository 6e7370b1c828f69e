#pragma once
// Resolved credentials. Secret members never reach a log, an error or a dump: describe() says
// where the credentials came from and shows only the access key id.

#include <chrono>
#include <optional>
#include <string>
#include <variant>

namespace llmm::auth {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct BearerToken {
  std::string token;
};

struct ResolvedCredentials {
  std::variant<AwsCredentials, BearerToken> value;
  // Where they came from, e.g. "environment (AWS_ACCESS_KEY_ID)" or
  // "profile 'dev' in /root/.aws/credentials". Never contains secret material.
  std::string source;
  // Which provider found them: "explicit", "bearer", "environment", "shared-file", "assume-role",
  // "web-identity", "sso", "process", "container", "imds".
  std::string provider;
  std::string profile;  // the shared-file profile involved, empty when none
  // When temporary credentials stop working; nullopt for long-term keys and bearer tokens.
  std::optional<std::chrono::system_clock::time_point> expiration;

  [[nodiscard]] bool is_bearer() const { return std::holds_alternative<BearerToken>(value); }
};

}  // namespace llmm::auth
