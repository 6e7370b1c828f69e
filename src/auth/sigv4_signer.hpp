#pragma once
// AWS Signature Version 4 for Bedrock (wire doc §6). A pure function: the time is an input, no
// I/O, no clock. The canonical URI is the wire path encoded a second time.

#include "auth/credentials.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::auth {

struct SigningInput {
  std::string method;  // "POST", "GET"
  // The path exactly as it goes on the wire, already percent-encoded once
  // ("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse").
  std::string path;
  // Query parameters, decoded (key, value); the signer encodes and sorts them.
  std::vector<std::pair<std::string, std::string>> query;
  // Headers that will be sent and signed, including "host" (with the port when it is not the
  // scheme default). Names in any case. Never-signed headers (authorization, user-agent,
  // connection, proxy-*, …) may be present and are skipped. x-amz-date, x-amz-content-sha256 and
  // x-amz-security-token may be present only with the values the signer would set (re-checking a
  // received request); they are then not added again. Re-sign a retry from the unsigned headers.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
};

struct SigningScope {
  std::string region;
  std::string service = "bedrock";  // for both bedrock-runtime and bedrock hosts
};

struct SignedRequest {
  // Headers to add to the request: x-amz-date, x-amz-content-sha256, x-amz-security-token (when
  // a session token is present) and authorization.
  std::vector<std::pair<std::string, std::string>> headers_to_add;
  // The intermediate stages, for golden tests.
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

// Throws std::invalid_argument on malformed input; no message ever quotes secret material.
SignedRequest sign_request(const SigningInput& input, const AwsCredentials& credentials,
                           const SigningScope& scope, std::chrono::system_clock::time_point when);

}  // namespace llmm::auth
