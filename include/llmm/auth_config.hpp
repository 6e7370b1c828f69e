#pragma once
// How the AuthManager finds credentials and endpoints. Validated when an AuthManager is built.

#include <llmm/environment.hpp>

#include <string>

namespace llmm {

enum class AuthType {
  Auto,         // the default chain (wire doc §7.3): bearer token env, key env, shared files
  Profile,      // a named profile of the shared config/credentials files
  Credentials,  // explicit access key id + secret (+ session token)
  BearerToken,  // an explicit Bedrock API key, sent as "Authorization: Bearer"
};

// A value type: not synchronized.
struct AuthConfig {
  AuthType type = AuthType::Auto;
  std::string profile_name;       // Profile (required); Auto uses AWS_PROFILE, then "default"
  std::string access_key_id;      // Credentials
  std::string secret_access_key;  // Credentials
  std::string session_token;      // Credentials, optional
  std::string bearer_token;       // BearerToken
  // Explicit endpoints (scheme://host[:port][/base]). They beat AWS_ENDPOINT_URL_BEDROCK_RUNTIME
  // / AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL. The signing region stays the call's region.
  std::string runtime_endpoint;
  std::string control_endpoint;
  // Where AWS_* variables and the shared-file locations are read from.
  Environment environment = Environment::process();
};

}  // namespace llmm
