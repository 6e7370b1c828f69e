#pragma once
// Authentication of a received request: SigV4 recomputed from the request's own SignedHeaders
// (values as received, body hash computed here), or a Bedrock API key ("Authorization: Bearer").
// Failures carry the exception names and messages AWS's front door uses (wire doc §5.2, §6).
// Pure: no sockets, the clock is an argument.
//
// Failures, in the order checked:
// * no Authorization: 403 MissingAuthenticationTokenException "Missing Authentication Token";
// * "Bearer <token>" not accepted: 403 UnrecognizedClientException "The security token included
//   in the request is invalid." (the same answer as an unknown access key: an unknown identity);
// * not AWS4-HMAC-SHA256, missing Credential/SignedHeaders/Signature, a bad scope terminator, no
//   x-amz-date/Date, an unparseable date: 400 IncompleteSignatureException;
// * scope service other than "bedrock", empty region: 403 InvalidSignatureException;
// * unknown access key: 403 UnrecognizedClientException (as above);
// * a key the credential services issued (issued_credentials.hpp) whose expiry has passed: 403
//   ExpiredTokenException "The security token included in the request is expired"; one sent
//   without its session token (x-amz-security-token), or with another: 403
//   UnrecognizedClientException;
// * date more than 5 minutes off: 403 InvalidSignatureException "Signature expired: ..." or
//   "Signature not yet current: ..."; scope date != request date: 403 InvalidSignatureException;
// * neither host nor :authority signed: 403 InvalidSignatureException;
// * x-amz-content-sha256 present but not the body's hash: 400 XAmzContentSHA256Mismatch (S3's
//   name for it; the header is optional, the server always hashes the body itself);
// * signature mismatch: 403 InvalidSignatureException "The request signature we calculated does
//   not match ...". Session tokens of the fixed keys are accepted unchecked (when signed, they
//   are in the hash).

#include "emulator_service.hpp"
#include "issued_credentials.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bedrock_emulator {

struct AccessKey {
  std::string access_key_id;
  std::string secret_access_key;
};

// What the emulator accepts (docs/emulator.md "Credentials").
struct CredentialStore {
  std::vector<AccessKey> keys;
  std::vector<std::string> bearer_tokens;
  std::string bearer_region = "us-east-1";  // the region of a bearer-token request
  // Keys the credential services issued, with their expiry. Never null; shared by copies.
  std::shared_ptr<IssuedCredentials> issued = std::make_shared<IssuedCredentials>();

  // AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY and "bedrock-emulator-token".
  static CredentialStore defaults();
  // {"keys":[{"accessKeyId","secretAccessKey"}],"bearerTokens":[...],"bearerRegion":"..."}.
  // Throws std::runtime_error saying what is wrong (never quoting a secret).
  static CredentialStore from_json(std::string_view json);
};

struct ReceivedRequest {
  std::string_view method;
  std::string_view path;  // raw, still percent-encoded, without the query
  const std::vector<std::pair<std::string, std::string>>* query = nullptr;  // decoded
  const HeaderList* headers = nullptr;  // names as received, in received order
  std::string_view body;
};

struct AuthOutcome {
  bool ok = false;
  bool bearer = false;
  std::string region;                       // credential scope region, or bearer_region
  std::vector<std::string> signed_headers;  // from the Authorization header, as listed
  std::string access_key_id;                // of a SigV4 request
  // When !ok: the reply to send.
  std::string exception;
  int status = 0;
  std::string message;
};

// How far x-amz-date may be from the server clock (AWS: 5 minutes).
inline constexpr std::chrono::minutes kMaxClockSkew{5};

// `service` is the scope's expected service: "bedrock" for Bedrock, "sts" for STS.
AuthOutcome verify_request(const CredentialStore& store, const ReceivedRequest& request,
                           std::chrono::system_clock::time_point now,
                           std::string_view service = "bedrock");

}  // namespace bedrock_emulator
