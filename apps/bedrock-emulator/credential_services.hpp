#pragma once
// The AWS credential services the SDKs' default chain talks to, played on the emulator's port so
// a test points AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, AWS_EC2_METADATA_SERVICE_ENDPOINT
// and AWS_CONTAINER_CREDENTIALS_FULL_URI at it (docs/emulator.md "Credential services"):
//
// * STS, query protocol 2011-06-15: POST / with a form body. AssumeRole and GetCallerIdentity are
//   SigV4-signed for service "sts" (checked like Bedrock requests); AssumeRoleWithWebIdentity is
//   unsigned and takes any JWT-shaped WebIdentityToken (three non-empty dot-separated parts).
//   XML answers and <ErrorResponse> errors in the service's shape. A role whose name starts with
//   "Denied" is refused (403 AccessDenied), to exercise STS errors.
// * SSO GetRoleCredentials: GET /federation/credentials?role_name=R&account_id=A with
//   x-amz-sso_bearer_token (401 UnauthorizedException when missing or not accepted).
// * IMDSv2: PUT /latest/api/token (x-aws-ec2-metadata-token-ttl-seconds 1..21600), then
//   GET /latest/meta-data/iam/security-credentials/[role] and /latest/meta-data/placement/region
//   with x-aws-ec2-metadata-token (401 without a valid one: the token is required, as on an
//   instance with HttpTokens=required).
// * The container endpoint (ECS, EKS Pod Identity): GET /v2/credentials/<id> or /v1/credentials;
//   the Authorization header must equal the configured token when one is configured.
//
// Every issued key goes into the CredentialStore's IssuedCredentials, valid for the configured
// lifetime; Bedrock calls signed with it afterwards get 403 ExpiredTokenException.
// Admin: GET/PUT /_emulator/credentials reads/replaces the CredentialServiceSettings (JSON:
// lifetimeSeconds, containerAuthorizationToken, imdsRoleName, imdsRegion, ssoAccessTokens,
// faults {"sts"|"sso"|"imds"|"imdsToken"|"container": "404"|"500"|"stall"}); POST
// /_emulator/credentials/expire makes every key issued so far expire now.
//
// Thread-safe: stateless apart from the store's IssuedCredentials (locked there).

#include "emulator_service.hpp"
#include "sigv4_verifier.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bedrock_emulator {

class CredentialServices {
 public:
  // `store` must outlive this object.
  explicit CredentialServices(const CredentialStore& store) : store_(store) {}

  // The answer when `method path` is a credential-service request, nullopt otherwise (the
  // Bedrock routes then apply). `operation` receives the operation name for the request log.
  [[nodiscard]] std::optional<ResponsePlan> handle(std::string_view method, std::string_view path,
                                                   std::string_view raw_query,
                                                   const HeaderList& headers,
                                                   const std::string& body,
                                                   std::chrono::system_clock::time_point now,
                                                   std::string& operation) const;

  // /_emulator/credentials (the caller has checked the peer is loopback); nullopt for other paths.
  [[nodiscard]] std::optional<ResponsePlan> admin(std::string_view method, std::string_view path,
                                                  const std::string& body) const;

 private:
  const CredentialStore& store_;
};

}  // namespace bedrock_emulator
