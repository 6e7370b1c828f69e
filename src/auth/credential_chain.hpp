#pragma once
// Finds the credentials and region an AuthConfig points at (wire doc §7.3).
//
// Credentials, by AuthConfig::type:
// * Credentials: the explicit keys (id and secret both required).
// * BearerToken: the explicit token.
// * Provider: what AuthConfig::credentials_provider fetches (its failure, or keys missing from
//   its answer, is an AuthenticationError naming it).
// * Profile: the named profile of the shared files only (no environment credentials): assume
//   role (role_arn + source_profile, chains followed, or credential_source), web identity
//   (web_identity_token_file + role_arn), SSO (sso_session or the legacy sso_start_url),
//   static keys, credential_process, in that order.
// * Auto, botocore's default chain with the bearer token first:
//   1. AWS_BEARER_TOKEN_BEDROCK (wins over any keys, as in the JS SDK);
//   2. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), even when AWS_PROFILE
//      is set (the SDK reference guide / botocore order, not the JS quirk);
//   3. the active profile's assume role (AuthConfig::profile_name, else AWS_PROFILE, else
//      "default");
//   4. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN, else the profile's;
//   5. the profile's SSO, static keys, credential_process (as for Profile);
//   6. the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
//   7. EC2 instance metadata (IMDSv2; AWS_EC2_METADATA_DISABLED=true turns it off).
//   A provider that is configured but fails is an error at once (as in botocore); IMDS, which
//   is never configured explicitly, passes instead. Finding nothing is an AuthenticationError
//   listing every step and why it passed.
// The explicit types never look at AWS_BEARER_TOKEN_BEDROCK: choosing a type is choosing a source.
// STS is reached at AWS_ENDPOINT_URL_STS (sts_client.hpp), SSO at AWS_ENDPOINT_URL_SSO.
// The providers make blocking HTTP calls with short bounds (credential_http.hpp), so
// resolve_credentials may take up to a few seconds; it is called when an AuthManager is built
// and again, on the AuthManager's refresh thread, to refresh (auth/credential_cache.hpp).
//
// Shared files: AWS_SHARED_CREDENTIALS_FILE (default $HOME/.aws/credentials) and AWS_CONFIG_FILE
// (default $HOME/.aws/config), a leading "~/" expanded with HOME. A missing file is skipped and
// reported as "(not found)" in errors. For one profile in both files the keys are merged key by
// key and the credentials file wins.
//
// Errors never contain a secret key, session token, bearer token, web identity or SSO token:
// they name variables, files, profiles, keys, providers and hosts. Missing or unusable
// configuration is llmm::ConfigurationError; a provider that fails, or finding no credentials
// at all, is llmm::AuthenticationError.

#include "auth/credentials.hpp"

#include <llmm/auth_config.hpp>

#include <optional>
#include <string>

namespace llmm::auth {

struct SharedFilePaths {
  std::string config;       // empty when neither AWS_CONFIG_FILE nor HOME is set
  std::string credentials;  // empty when neither AWS_SHARED_CREDENTIALS_FILE nor HOME is set
};

// Where the shared files are, from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE / HOME.
// ConfigurationError when a variable starts with "~/" and HOME is not set.
SharedFilePaths shared_file_paths(const Environment& environment);

// The profile whose shared-file settings apply: profile_name, else AWS_PROFILE, else "default".
std::string active_profile(const AuthConfig& config);

ResolvedCredentials resolve_credentials(const AuthConfig& config);

// AWS_REGION, then AWS_DEFAULT_REGION, then `region` of the active profile (config file first,
// then the credentials file, which botocore ignores and JS prefers). nullopt when none is set,
// including when the active profile does not exist. Not validated here (see endpoint_resolver).
std::optional<std::string> resolve_region(const AuthConfig& config);

// resolve_region, or a ConfigurationError saying where it looked (the variables, the profile
// and both shared files) when no region is set anywhere. For managers and the CLI given no
// regions: the SDKs' behaviour, so a container where AWS set AWS_REGION needs no -r.
std::string default_region(const AuthConfig& config);

}  // namespace llmm::auth
