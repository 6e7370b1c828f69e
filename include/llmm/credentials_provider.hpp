#pragma once
// Bridges a team's own credential source (an aws-sdk-cpp provider, a vault, a sidecar) into an
// AuthManager: AuthConfig{.type = AuthType::Provider, .credentials_provider = ...}. Credentials
// with an expiration are refreshed ahead of it and when the service says they expired, exactly
// as the default chain's are (docs/UserGuide.md "Refresh").

#include <chrono>
#include <optional>
#include <string>

namespace llmm {

// A value type: not synchronized. Its secret members never reach an error, a log or a dump.
struct ProvidedCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When they stop working; nullopt: never refreshed on time (only when the service says they
  // expired).
  std::optional<std::chrono::system_clock::time_point> expiration;
};

// Thread-safety: an AuthManager calls fetch() from one thread at a time (its constructor, then
// its refresh thread; never the event loop, so blocking is fine, but a slow fetch makes calls
// that wait for it slow). A provider shared by several AuthManagers must be thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // The credentials to sign with from now on. Throw (any std::exception) to report a failure:
  // its what() is quoted in errors and in CredentialsInfo, so it must not hold a secret.
  virtual ProvidedCredentials fetch() = 0;

  // A short name for errors and `config show` ("vault", "aws-sdk-cpp").
  [[nodiscard]] virtual std::string name() const = 0;
};

}  // namespace llmm
