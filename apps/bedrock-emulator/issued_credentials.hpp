#pragma once
// Temporary credentials the emulator's credential services (credential_services.hpp) hand out:
// STS, SSO, IMDS and the container endpoint all issue through this registry, and the SigV4
// verifier accepts what it holds until each key's expiry (then 403 ExpiredTokenException, as
// Bedrock answers). Also the services' settings, which the admin API and --credential-lifetime
// change at run time.
//
// Thread-safe: one mutex guards everything; the io threads issue and look up concurrently.
// CredentialStore holds it by shared_ptr, so every copy of a store sees the same keys.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock_emulator {

struct IssuedCredential {
  std::string access_key_id;  // "ASIA..." (temporary keys' prefix)
  std::string secret_access_key;
  std::string session_token;
  std::chrono::system_clock::time_point expiration;
  std::string arn;        // the identity, e.g. arn:aws:sts::123456789012:assumed-role/R/S
  std::string user_id;    // "AROA...:session"
  std::string issued_by;  // "sts:AssumeRole", "sso", "imds", "container", ...
};

// What the admin API sets (PUT /_emulator/credentials, docs/emulator.md). Defaults in brackets.
struct CredentialServiceSettings {
  std::chrono::seconds lifetime{3600};  // of every issued key [1 h]
  std::string
      container_authorization;  // required Authorization of the container endpoint ["": none]
  std::string imds_role_name = "emulator-instance-role";
  std::string imds_region = "us-east-1";
  std::vector<std::string>
      sso_access_tokens;  // accepted SSO bearer tokens [empty: any non-empty one]
  // Per service ("sts", "sso", "imds", "container"): "404", "500", "stall" or absent (answer).
  std::map<std::string, std::string, std::less<>> faults;
};

class IssuedCredentials {
 public:
  // Issues a new key valid for settings().lifetime from `now`.
  IssuedCredential issue(std::string arn, std::string user_id, std::string issued_by,
                         std::chrono::system_clock::time_point now);
  [[nodiscard]] std::optional<IssuedCredential> find(std::string_view access_key_id) const;
  [[nodiscard]] std::size_t count() const;
  // Every key issued so far expires at `now` (tests of expiry without waiting for a lifetime).
  void expire_all(std::chrono::system_clock::time_point now);

  [[nodiscard]] CredentialServiceSettings settings() const;
  void set_settings(CredentialServiceSettings settings);
  void set_lifetime(std::chrono::seconds lifetime);

  // IMDSv2 session tokens: issued by PUT /latest/api/token, valid for their TTL.
  std::string issue_imds_token(std::chrono::seconds ttl, std::chrono::system_clock::time_point now);
  [[nodiscard]] bool imds_token_valid(std::string_view token,
                                      std::chrono::system_clock::time_point now) const;

 private:
  mutable std::mutex mutex_;
  CredentialServiceSettings settings_;
  std::map<std::string, IssuedCredential, std::less<>> keys_;
  std::map<std::string, std::chrono::system_clock::time_point, std::less<>> imds_tokens_;
};

}  // namespace bedrock_emulator
