#pragma once
// EC2 instance metadata credentials (IMDSv2): PUT latest/api/token (TTL 21600 s), then
// GET latest/meta-data/iam/security-credentials/ (the role name) and .../<role>, each with
// x-aws-ec2-metadata-token. When the token PUT is answered 403/404/405 (IMDSv1 only), the GETs
// go without a token unless AWS_EC2_METADATA_V1_DISABLED=true.
//
// Endpoint: AWS_EC2_METADATA_SERVICE_ENDPOINT, else by AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE
// (IPv4: http://169.254.169.254, IPv6: http://[fd00:ec2::254]). Off with
// AWS_EC2_METADATA_DISABLED=true. Bounded as the SDKs: AWS_METADATA_SERVICE_TIMEOUT seconds
// (default 1) to connect and of silence, AWS_METADATA_SERVICE_NUM_ATTEMPTS (default 1).
//
// As in botocore, a machine without IMDS is not an error here: every failure (disabled, no
// answer, 404, 500, garbled answer) passes with the reason (host and cause), for the chain's
// "tried" list. credential_source = Ec2InstanceMetadata turns a pass into an error.
//
// Thread-safe: no shared state.

#include "auth/provider_outcome.hpp"

#include <llmm/environment.hpp>

#include <chrono>

namespace llmm::auth {

ProviderOutcome imds_credentials(const Environment& environment,
                                 std::chrono::system_clock::time_point now);

}  // namespace llmm::auth
