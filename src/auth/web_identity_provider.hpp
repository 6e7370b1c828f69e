#pragma once
// Web identity credentials (EKS IRSA and the like): the token file's contents are exchanged for
// a role's credentials with STS AssumeRoleWithWebIdentity (unsigned). The file is read at each
// call, since the platform rotates it. From the environment (AWS_ROLE_ARN +
// AWS_WEB_IDENTITY_TOKEN_FILE [+ AWS_ROLE_SESSION_NAME]) or a profile (role_arn +
// web_identity_token_file [+ role_session_name]); the chain decides which (credential_chain).
//
// Errors: AuthenticationError naming the token file and its origin for a missing, unreadable or
// empty file, and what sts_client says for STS failures. The token is never quoted.
//
// Thread-safe: no shared state.

#include "auth/credentials.hpp"
#include "auth/sts_client.hpp"

#include <chrono>
#include <string>

namespace llmm::auth {

struct WebIdentitySource {
  std::string role_arn;
  std::string token_file;
  std::string session_name;  // empty: botocore-session-<unix seconds>
  std::string origin;        // "environment (AWS_WEB_IDENTITY_TOKEN_FILE)", "profile 'p' in /f"
  std::string profile;       // empty for the environment form
};

ResolvedCredentials credentials_from_web_identity(const WebIdentitySource& source,
                                                  const StsTarget& sts,
                                                  std::chrono::system_clock::time_point now);

}  // namespace llmm::auth
