#pragma once
// Where an AuthManager's credentials came from and how their refreshes went, for display
// (`llmm config show --credentials`, logs, metrics): never the key, the secret, a session token
// or a bearer token.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace llmm {

// A value type: not synchronized.
struct CredentialsInfo {
  // "explicit", "bearer", "environment", "shared-file", "assume-role", "web-identity", "sso",
  // "process", "container", "imds" or "custom" (AuthType::Provider).
  std::string provider;
  // Human-readable origin: "profile 'dev' in /home/me/.aws/credentials",
  // "assume role arn:aws:iam::1:role/R via STS sts.us-east-1.amazonaws.com (...)", ...
  std::string source;
  std::string profile;  // the shared-file profile involved; empty when none
  // When temporary credentials stop working; nullopt for long-term keys and bearer tokens.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Successful and failed refreshes since the AuthManager was built (not counting the first
  // resolution), and the cause of the newest failure (empty when the newest refresh succeeded).
  std::uint64_t refreshes = 0;
  std::uint64_t failed_refreshes = 0;
  std::string last_refresh_error;
};

}  // namespace llmm
