#pragma once
// How the AuthManager finds credentials and endpoints. Validated when an AuthManager is built.

#include <llmm/credentials_provider.hpp>
#include <llmm/environment.hpp>

#include <memory>
#include <optional>
#include <string>

namespace llmm {

enum class AuthType {
  // The default chain (docs/UserGuide.md "Credentials"): bearer token env, key env, the
  // profile's assume role, web identity, the profile's SSO / keys / credential_process, the
  // container endpoint, EC2 instance metadata.
  Auto,
  Profile,      // a named profile of the shared files (keys, assume role, SSO, process, ...)
  Credentials,  // explicit access key id + secret (+ session token)
  BearerToken,  // an explicit Bedrock API key, sent as "Authorization: Bearer"
  Provider,     // the caller's own source: AuthConfig::credentials_provider
};

// A value type: not synchronized.
struct AuthConfig {
  AuthType type = AuthType::Auto;
  std::string profile_name;       // Profile (required); Auto uses AWS_PROFILE, then "default"
  std::string access_key_id;      // Credentials
  std::string secret_access_key;  // Credentials
  std::string session_token;      // Credentials, optional
  std::string bearer_token;       // BearerToken
  // Provider (required): asked when the AuthManager is built and again to refresh. Shared, so a
  // copied AuthConfig names the same provider; printing an AuthConfig prints only its name().
  std::shared_ptr<CredentialsProvider> credentials_provider;
  // Explicit endpoints (scheme://host[:port][/base]). They beat AWS_ENDPOINT_URL_BEDROCK_RUNTIME
  // / AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL. The signing region stays the call's region.
  std::string runtime_endpoint;
  std::string control_endpoint;
  // Where AWS_* variables and the shared-file locations are read from.
  Environment environment = Environment::process();
};

// The region `config` configures: AWS_REGION, then AWS_DEFAULT_REGION, then the active
// profile's `region` (AuthConfig::profile_name, else AWS_PROFILE, else "default"); nullopt
// when none is set. What LLMManager uses when given no region. Throws ConfigurationError for
// an unreadable shared file.
std::optional<std::string> configured_region(const AuthConfig& config);

}  // namespace llmm
