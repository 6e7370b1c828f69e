#pragma once
// Where an AuthManager's credentials came from, for display (`llmm config show --credentials`,
// logs): never the key, the secret, a session token or a bearer token.

#include <chrono>
#include <optional>
#include <string>

namespace llmm {

// A value type: not synchronized.
struct CredentialsInfo {
  // "explicit", "bearer", "environment", "shared-file", "assume-role", "web-identity", "sso",
  // "process", "container" or "imds".
  std::string provider;
  // Human-readable origin: "profile 'dev' in /home/me/.aws/credentials",
  // "assume role arn:aws:iam::1:role/R via STS sts.us-east-1.amazonaws.com (...)", ...
  std::string source;
  std::string profile;  // the shared-file profile involved; empty when none
  // When temporary credentials stop working; nullopt for long-term keys and bearer tokens.
  std::optional<std::chrono::system_clock::time_point> expiration;
};

}  // namespace llmm
