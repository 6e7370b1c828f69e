#pragma once
// IAM Identity Center (SSO) credentials: the access token `aws sso login` cached in
// ~/.aws/sso/cache/<sha1 hex>.json (the SHA-1 of the sso_session name, or of sso_start_url in
// the legacy form), exchanged with SSO GetRoleCredentials (GET /federation/credentials, header
// x-amz-sso_bearer_token, unsigned) on AWS_ENDPOINT_URL_SSO, else
// https://portal.sso.<sso_region>.amazonaws.com.
//
// Errors (AuthenticationError, naming the profile, the cache file or the SSO host): a missing
// cache file or an expired token says to run `aws sso login` (the token is not refreshed with
// its refreshToken here: that is the OIDC CreateToken call, not implemented yet); an unreadable
// cache, a bad expiresAt, an SSO error answer. Never the access token or the keys.
//
// Thread-safe: no shared state.

#include "auth/credential_http.hpp"
#include "auth/credentials.hpp"

#include <llmm/environment.hpp>

#include <chrono>
#include <string>

namespace llmm::auth {

struct SsoSource {
  std::string profile;
  std::string file;          // the config file, for messages
  std::string session_name;  // empty in the legacy form
  std::string start_url;
  std::string sso_region;
  std::string account_id;
  std::string role_name;
};

// The cache file of `source`: $HOME/.aws/sso/cache/<sha1>.json. ConfigurationError without HOME.
std::string sso_cache_path(const SsoSource& source, const Environment& environment);

ResolvedCredentials credentials_from_sso(const SsoSource& source, const Environment& environment,
                                         std::chrono::system_clock::time_point now,
                                         FetchBounds bounds = {std::chrono::milliseconds(5000),
                                                               std::chrono::milliseconds(10000)});

}  // namespace llmm::auth
