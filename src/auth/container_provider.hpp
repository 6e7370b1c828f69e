#pragma once
// The container credentials provider (ECS task roles, EKS Pod Identity).
//
// * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: GET http://169.254.170.2<relative uri>; it wins over
//   the full URI, as in botocore.
// * AWS_CONTAINER_CREDENTIALS_FULL_URI: any https URL; http only to a loopback host (127.0.0.0/8,
//   [::1], localhost) or the ECS/EKS agent addresses 169.254.170.2, 169.254.170.23 and
//   [fd00:ec2::23]. Any other host is a ConfigurationError naming it.
// * Authorization: the contents of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read at each fetch;
//   wins), else AWS_CONTAINER_AUTHORIZATION_TOKEN. A missing or empty token file, or a token
//   with CR/LF, is an AuthenticationError naming the file or variable.
// * Answer: JSON AccessKeyId, SecretAccessKey, Token, Expiration (ISO 8601).
// Bounded: 2 s to connect, 2 s of silence, one attempt. A failed fetch is an AuthenticationError
// naming the host and cause (the endpoint was configured, so passing on would hide it).
//
// Thread-safe: no shared state.

#include "auth/credential_http.hpp"
#include "auth/provider_outcome.hpp"

#include <llmm/environment.hpp>

#include <chrono>

namespace llmm::auth {

// Passes when neither variable is set.
ProviderOutcome container_credentials(const Environment& environment,
                                      std::chrono::system_clock::time_point now,
                                      FetchBounds bounds = {std::chrono::milliseconds(2000),
                                                            std::chrono::milliseconds(2000)});

}  // namespace llmm::auth
