// The emulator's SigV4 verifier without sockets: every golden case of tests/data/sigv4 (signed by
// @smithy/signature-v4) verifies, requests signed the botocore way (no x-amz-content-sha256, or
// the Date header) verify, and each kind of tampering gets AWS's exception and message.
#include "sigv4_verifier.hpp"

#include "protocol/uri_encoding.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bedrock_emulator {
namespace {

using namespace std::chrono_literals;

// 2015-08-30T12:36:00Z, the time every vector was signed at.
const auto kSignedAt = std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;

struct Request {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  HeaderList headers;
  std::string body;

  [[nodiscard]] AuthOutcome verify(const CredentialStore& store = CredentialStore::defaults(),
                                   std::chrono::system_clock::time_point now = kSignedAt) const {
    return verify_request(store, ReceivedRequest{method, path, &query, &headers, body}, now);
  }
  void set(const std::string& name, const std::string& value) {
    for (auto& [key, old] : headers) {
      if (key == name) old = value;
    }
  }
};

// header-signed-request.txt: "METHOD target HTTP/1.1", "name:value" lines, blank line, body.
Request load_golden(const std::string& name) {
  const auto path =
      std::filesystem::path(LLMM_TEST_DATA_DIR) / "sigv4" / name / "header-signed-request.txt";
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  const std::size_t blank = all.find("\n\n");
  std::istringstream head(all.substr(0, blank));
  Request request;
  request.body = blank == std::string::npos ? std::string() : all.substr(blank + 2);
  std::string line;
  std::getline(head, line);
  std::istringstream request_line(line);
  std::string target;
  request_line >> request.method >> target;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    std::stringstream pairs(target.substr(question + 1));
    std::string pair;
    while (std::getline(pairs, pair, '&')) {
      const std::size_t eq = pair.find('=');
      request.query.emplace_back(*llmm::protocol::uri_decode(pair.substr(0, eq)),
                                 *llmm::protocol::uri_decode(pair.substr(eq + 1)));
    }
  }
  while (std::getline(head, line)) {
    const std::size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return request;
}

class GoldenVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenVectors, VerifyAndBreakWhenTampered) {
  const Request request = load_golden(GetParam());
  ASSERT_FALSE(request.headers.empty());
  const AuthOutcome ok = request.verify();
  EXPECT_TRUE(ok.ok) << ok.exception << ": " << ok.message;
  EXPECT_EQ(ok.region, "us-east-1");
  EXPECT_FALSE(ok.signed_headers.empty());

  Request other_host = request;
  other_host.set("host", "example.com");
  const AuthOutcome bad = other_host.verify();
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.exception, "InvalidSignatureException");
  EXPECT_EQ(bad.status, 403);

  CredentialStore other_secret = CredentialStore::defaults();
  other_secret.keys[0].secret_access_key = "something else";
  EXPECT_EQ(request.verify(other_secret).exception, "InvalidSignatureException");

  const AuthOutcome late = request.verify(CredentialStore::defaults(), kSignedAt + 5min + 1s);
  EXPECT_EQ(late.exception, "InvalidSignatureException");
  EXPECT_EQ(late.message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T124101Z - 5 min.)");
  EXPECT_TRUE(request.verify(CredentialStore::defaults(), kSignedAt + 5min).ok);
  EXPECT_TRUE(request.verify(CredentialStore::defaults(), kSignedAt - 5min).ok);
  EXPECT_EQ(request.verify(CredentialStore::defaults(), kSignedAt - 6min).exception,
            "InvalidSignatureException");
}

INSTANTIATE_TEST_SUITE_P(SigV4, GoldenVectors,
                         ::testing::Values("converse-basic", "converse-session-token",
                                           "converse-stream-arn-model",
                                           "list-inference-profiles-get", "sdk-capture-crosscheck"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Signatures from an independent Python implementation of SigV4, signed the way botocore does
// for non-S3 services: no x-amz-content-sha256 at all, and once with the Date header only.
TEST(SigV4VerifierTest, AcceptsRequestsSignedWithoutContentSha256AndWithTheDateHeader) {
  Request request{
      .method = "POST",
      .path = "/model/amazon.nova-lite-v1%3A0/converse",
      .query = {},
      .headers =
          {{"Content-Type", "application/json"},
           {"Host", "localhost:8080"},
           {"X-Amz-Date", "20150830T123600Z"},
           {"Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=b07556a96bbfe2f013380ff911704fc2616d75a22fb4153cbd33dcdd7296867d"}},
      .body = R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})"};
  const AuthOutcome ok = request.verify();
  EXPECT_TRUE(ok.ok) << ok.message;
  EXPECT_EQ(ok.region, "eu-west-1");

  request.headers = {
      {"Content-Type", "application/json"},
      {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"},
      {"Host", "localhost:8080"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request, "
       "SignedHeaders=content-type;date;host, "
       "Signature=9a3121f5dd4e0a07fcff4f20cf2b5787769a0909b7355106480c86312bac9a3f"}};
  const AuthOutcome with_date = request.verify();
  EXPECT_TRUE(with_date.ok) << with_date.message;
}

TEST(SigV4VerifierTest, EachFailureHasAwsExceptionAndMessage) {
  const Request golden = load_golden("sdk-capture-crosscheck");

  Request missing = golden;
  std::erase_if(missing.headers, [](const auto& h) { return h.first == "authorization"; });
  const AuthOutcome no_auth = missing.verify();
  EXPECT_EQ(no_auth.exception, "MissingAuthenticationTokenException");
  EXPECT_EQ(no_auth.status, 403);
  EXPECT_EQ(no_auth.message, "Missing Authentication Token");

  CredentialStore no_keys;
  no_keys.bearer_tokens = {"t"};
  const AuthOutcome unknown = golden.verify(no_keys);
  EXPECT_EQ(unknown.exception, "UnrecognizedClientException");
  EXPECT_EQ(unknown.message, "The security token included in the request is invalid.");

  Request body = golden;
  body.body[10] = 'X';
  EXPECT_EQ(body.verify().exception, "XAmzContentSHA256Mismatch");
  EXPECT_EQ(body.verify().status, 400);

  Request wrong_service = golden;
  for (auto& [name, value] : wrong_service.headers) {
    if (name == "authorization") value.replace(value.find("/bedrock/"), 9, "/s3/");
  }
  EXPECT_EQ(wrong_service.verify().message,
            "Credential should be scoped to correct service: 'bedrock'. ");

  Request garbled = golden;
  garbled.set("authorization",
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request");
  EXPECT_EQ(garbled.verify().exception, "IncompleteSignatureException");
  EXPECT_EQ(garbled.verify().status, 400);

  Request bearer = golden;
  bearer.set("authorization", "Bearer bedrock-emulator-token");
  EXPECT_TRUE(bearer.verify().ok);
  EXPECT_TRUE(bearer.verify().bearer);
  EXPECT_EQ(bearer.verify().region, "us-east-1");
  bearer.set("authorization", "Bearer nope");
  EXPECT_EQ(bearer.verify().exception, "UnrecognizedClientException");
}

TEST(SigV4VerifierTest, CredentialsFileIsValidated) {
  const CredentialStore store = CredentialStore::from_json(
      R"({"keys":[{"accessKeyId":"A","secretAccessKey":"B"},{"accessKeyId":"C","secretAccessKey":"D"}],
          "bearerTokens":["t1"],"bearerRegion":"ap-northeast-1"})");
  EXPECT_EQ(store.keys.size(), 2U);
  EXPECT_EQ(store.bearer_region, "ap-northeast-1");
  EXPECT_THROW(CredentialStore::from_json("[]"), std::runtime_error);
  EXPECT_THROW(CredentialStore::from_json(R"({"keys":[{"accessKeyId":"A"}]})"), std::runtime_error);
  EXPECT_THROW(CredentialStore::from_json(R"({})"), std::runtime_error);
  try {
    CredentialStore::from_json(R"({"keys":[{"accessKeyId":"A","secretAccessKey":7}]})");
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()).find('7'), std::string::npos);
  }
}

}  // namespace
}  // namespace bedrock_emulator
