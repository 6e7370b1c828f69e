#pragma once
// The two STS calls the credential chain makes (query protocol, version 2011-06-15):
// AssumeRole, SigV4-signed for service "sts" with the source credentials, and
// AssumeRoleWithWebIdentity, unsigned. The endpoint is AWS_ENDPOINT_URL_STS, else
// AWS_ENDPOINT_URL, else https://sts.<region>.amazonaws.com (the regional endpoint, botocore's
// default); the signing region is the resolved region, else us-east-1.
//
// Errors are llmm::AuthenticationError naming the operation, the role ARN, the STS host and the
// cause (the <Error><Code> and <Message> STS sent, or the transport's failure); they never hold
// a key, token or the web identity token.
//
// Thread-safe: no shared state.

#include "auth/credential_http.hpp"
#include "auth/credentials.hpp"
#include "auth/endpoint_resolver.hpp"

#include <llmm/environment.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::auth {

struct StsTarget {
  Endpoint endpoint;
  std::string signing_region;
  FetchNetwork network;  // the environment's proxy and CA bundle (credential_http.hpp)
};

// `region` is the region resolve_region found, if any.
StsTarget sts_target(const Environment& environment, const std::optional<std::string>& region);

struct AssumedRole {
  AwsCredentials keys;
  std::chrono::system_clock::time_point expiration;
  std::string assumed_role_arn;  // AssumedRoleUser/Arn
};

struct AssumeRoleInput {
  std::string role_arn;
  std::string session_name;  // empty: botocore-session-<unix seconds>
  std::string external_id;   // optional
  std::optional<int> duration_seconds;
};

// STS is a remote HTTPS service (TLS within the connect bound): bounds well above IMDS's 1 s,
// still short enough that a dead endpoint fails the manager's construction promptly.
inline constexpr FetchBounds kStsBounds{std::chrono::milliseconds(5000),
                                        std::chrono::milliseconds(10000)};

AssumedRole assume_role(const StsTarget& target, const AssumeRoleInput& input,
                        const AwsCredentials& source, std::chrono::system_clock::time_point now,
                        FetchBounds bounds = kStsBounds);

AssumedRole assume_role_with_web_identity(const StsTarget& target, const AssumeRoleInput& input,
                                          const std::string& web_identity_token,
                                          std::chrono::system_clock::time_point now,
                                          FetchBounds bounds = kStsBounds);

// The text of the first <tag>...</tag> in `xml`, entities decoded; nullopt when absent. For
// STS's answers, whose shape is fixed and small (no general XML parser is needed).
std::optional<std::string> xml_element_text(std::string_view xml, std::string_view tag);

}  // namespace llmm::auth
