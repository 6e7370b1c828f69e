// SigV4 for Bedrock: golden cases stage by stage (tests/data/sigv4, transcribed from vectors
// made with @smithy/signature-v4), then the rules one at a time, then percent-encoding.

#include "auth/sigv4_signer.hpp"
#include "auth/crypto.hpp"
#include "protocol/uri_encoding.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm::auth {
namespace {

using namespace std::chrono;
using namespace std::string_literals;
using Pairs = std::vector<std::pair<std::string, std::string>>;

const std::filesystem::path kGoldenDir = std::filesystem::path(LLMM_TEST_DATA_DIR) / "sigv4";
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const AwsCredentials kExampleKeys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
// 2015-08-30T12:36:00Z, the instant of every golden case.
const system_clock::time_point kExampleTime = sys_days{2015y / August / 30} + 12h + 36min;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "2015-08-30T12:36:00Z" -> time point; the golden files only use this exact form.
system_clock::time_point parse_timestamp(const std::string& text) {
  const auto number = [&](std::size_t pos, std::size_t len) {
    return std::stoi(text.substr(pos, len));
  };
  const year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                            day{static_cast<unsigned>(number(8, 2))}};
  return sys_days{date} + hours{number(11, 2)} + minutes{number(14, 2)} + seconds{number(17, 2)};
}

Pairs to_pairs(const nlohmann::json& array) {
  Pairs out;
  for (const auto& pair : array)
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  return out;
}

// The aws-c-auth request.txt form: request line, "name:value" lines, blank line, body.
std::string render_request(const std::string& method, const std::string& path, const Pairs& query,
                           const Pairs& headers, std::string_view body) {
  std::string target = path;
  for (std::size_t i = 0; i < query.size(); ++i) {
    target += (i == 0 ? '?' : '&') + protocol::uri_encode(query[i].first) + '=' +
              protocol::uri_encode(query[i].second);
  }
  std::string out = method + ' ' + target + " HTTP/1.1\n";
  for (const auto& [name, value] : headers) out += name + ':' + value + '\n';
  out += '\n';
  out += body;
  return out;
}

std::vector<std::string> golden_case_names() {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(kGoldenDir)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct GoldenCase {
  nlohmann::json context;
  SigningInput input;
  std::string body;  // owns the bytes input.body points at
  AwsCredentials credentials;
  SigningScope scope;
  system_clock::time_point when;

  std::string file(const std::string& name) const {
    return read_file(kGoldenDir / context.at("name").get<std::string>() / name);
  }
};

class SigV4GoldenTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const auto dir = kGoldenDir / GetParam();
    auto& c = golden_;
    c.context = nlohmann::json::parse(read_file(dir / "context.json"));
    const auto& request = c.context.at("request");
    c.body = request.at("body").get<std::string>();
    c.input.method = request.at("method").get<std::string>();
    c.input.path = request.at("path").get<std::string>();
    c.input.query = to_pairs(request.at("query"));
    c.input.headers = to_pairs(request.at("headers"));
    c.input.body = c.body;
    const auto& credentials = c.context.at("credentials");
    c.credentials = {credentials.at("access_key_id").get<std::string>(),
                     credentials.at("secret_access_key").get<std::string>(),
                     credentials.at("session_token").get<std::string>()};
    c.scope = {c.context.at("region").get<std::string>(),
               c.context.at("service").get<std::string>()};
    c.when = parse_timestamp(c.context.at("timestamp").get<std::string>());
  }

  SignedRequest sign() const {
    return sign_request(golden_.input, golden_.credentials, golden_.scope, golden_.when);
  }

  GoldenCase golden_;
};

TEST_P(SigV4GoldenTest, RequestFileMatchesContext) {
  EXPECT_EQ(render_request(golden_.input.method, golden_.input.path, golden_.input.query,
                           golden_.input.headers, golden_.body),
            golden_.file("request.txt"));
}

TEST_P(SigV4GoldenTest, PayloadHash) {
  EXPECT_EQ(sha256_hex(golden_.body),
            golden_.context.at("expected").at("payload_sha256").get<std::string>());
}

TEST_P(SigV4GoldenTest, CanonicalRequest) {
  EXPECT_EQ(sign().canonical_request, golden_.file("header-canonical-request.txt"));
}

TEST_P(SigV4GoldenTest, StringToSign) {
  EXPECT_EQ(sign().string_to_sign, golden_.file("header-string-to-sign.txt"));
}

TEST_P(SigV4GoldenTest, Signature) {
  EXPECT_EQ(sign().signature, golden_.file("header-signature.txt"));
}

TEST_P(SigV4GoldenTest, HeadersToAdd) {
  EXPECT_EQ(sign().headers_to_add, to_pairs(golden_.context.at("expected").at("headers_to_add")));
}

TEST_P(SigV4GoldenTest, SignedRequest) {
  Pairs headers = golden_.input.headers;
  for (const auto& header : sign().headers_to_add) headers.push_back(header);
  EXPECT_EQ(render_request(golden_.input.method, golden_.input.path, golden_.input.query, headers,
                           golden_.body),
            golden_.file("header-signed-request.txt"));
}

TEST_P(SigV4GoldenTest, SecretKeyNeverInOutput) {
  const SignedRequest signed_request = sign();
  const std::string& secret = golden_.credentials.secret_access_key;
  EXPECT_EQ(signed_request.canonical_request.find(secret), std::string::npos);
  EXPECT_EQ(signed_request.string_to_sign.find(secret), std::string::npos);
  EXPECT_EQ(signed_request.signature.find(secret), std::string::npos);
  for (const auto& [name, value] : signed_request.headers_to_add) {
    EXPECT_EQ(name.find(secret), std::string::npos);
    EXPECT_EQ(value.find(secret), std::string::npos) << name;
  }
}

std::string case_test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(SigV4Golden, SigV4GoldenTest, testing::ValuesIn(golden_case_names()),
                         case_test_name);

// ---- the rules one at a time ------------------------------------------------------------------

SigningInput converse_input(const std::string& model_id, std::string_view body) {
  SigningInput input;
  input.method = "POST";
  input.path = "/model/" + protocol::encode_path_segment(model_id) + "/converse";
  input.headers = {{"host", "bedrock-runtime.us-east-1.amazonaws.com"},
                   {"content-type", "application/json"},
                   {"content-length", std::to_string(body.size())}};
  input.body = body;
  return input;
}

SignedRequest sign_example(const SigningInput& input, const AwsCredentials& keys = kExampleKeys) {
  return sign_request(input, keys, SigningScope{"us-east-1"}, kExampleTime);
}

// Line `index` (0-based) of the canonical request: 0 method, 1 URI, 2 query, 3.. headers.
std::string canonical_line(const SignedRequest& signed_request, std::size_t index) {
  std::istringstream lines(signed_request.canonical_request);
  std::string line;
  for (std::size_t i = 0; i <= index; ++i) std::getline(lines, line);
  return line;
}

std::string canonical_uri_of(const std::string& path) {
  SigningInput input;
  input.method = "GET";
  input.path = path;
  input.headers = {{"host", "bedrock.us-east-1.amazonaws.com"}};
  return canonical_line(sign_example(input), 1);
}

std::string signed_headers_of(const SignedRequest& signed_request) {
  const std::string& request = signed_request.canonical_request;
  const std::size_t end = request.rfind('\n');
  const std::size_t start = request.rfind('\n', end - 1) + 1;
  return request.substr(start, end - start);
}

const std::string* find_added(const SignedRequest& signed_request, std::string_view name) {
  for (const auto& [header, value] : signed_request.headers_to_add) {
    if (header == name) return &value;
  }
  return nullptr;
}

TEST(SigV4SignerTest, GoldenCasesArePresent) {
  const auto names = golden_case_names();
  for (const char* expected :
       {"converse-basic", "converse-session-token", "converse-stream-arn-model",
        "list-inference-profiles-get", "sdk-capture-crosscheck"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(SigV4SignerTest, DoubleEncodesModelIdColon) {
  const auto input = converse_input("anthropic.claude-3-haiku-20240307-v1:0", "{}");
  EXPECT_EQ(input.path, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(canonical_line(sign_example(input), 1),
            "/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse");
}

TEST(SigV4SignerTest, DoubleEncodesInferenceProfileArnSlash) {
  const auto input = converse_input(
      "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"
      "us.anthropic.claude-3-haiku-20240307-v1:0",
      "{}");
  EXPECT_EQ(input.path,
            "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
            "us.anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(
      canonical_line(sign_example(input), 1),
      "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%252F"
      "us.anthropic.claude-3-haiku-20240307-v1%253A0/converse");
}

TEST(SigV4SignerTest, DoubleEncodesPromptArnAndPercent) {
  const auto input =
      converse_input("arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12345:1", "{}");
  EXPECT_EQ(
      canonical_line(sign_example(input), 1),
      "/model/"
      "arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Aprompt%252FPROMPT12345%253A1"
      "/converse");
  EXPECT_EQ(canonical_uri_of("/model/a%25b/converse"), "/model/a%2525b/converse");
}

TEST(SigV4SignerTest, SingleEncodedPathGivesTheWrongSignature) {
  // The trap of wire doc §6.2: signing the once-encoded path yields e69faf6a…, which AWS rejects.
  const auto input = converse_input("anthropic.claude-3-haiku-20240307-v1:0",
                                    R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}],)"
                                    R"("inferenceConfig":{"maxTokens":64}})");
  const SignedRequest signed_request = sign_example(input);
  EXPECT_EQ(signed_request.signature,
            "e3c1278836cd5d9d1df15726e4cfe9851425b808e1d86415f55ae5a49b7bf376");
  EXPECT_FALSE(signed_request.signature.starts_with("e69faf6a"));
}

TEST(SigV4SignerTest, NormalisesPathSegments) {
  EXPECT_EQ(canonical_uri_of("/"), "/");
  EXPECT_EQ(canonical_uri_of("//"), "/");
  EXPECT_EQ(canonical_uri_of("/foundation-models"), "/foundation-models");
  EXPECT_EQ(canonical_uri_of("/foundation-models/"), "/foundation-models/");
  EXPECT_EQ(canonical_uri_of("/a/./b//c/../d"), "/a/b/d");
  EXPECT_EQ(canonical_uri_of("/a/b/../"), "/a/");
  EXPECT_EQ(canonical_uri_of("/a/.."), "/");
  EXPECT_EQ(canonical_uri_of("/../../a"), "/a");
  EXPECT_EQ(canonical_uri_of("/a/%2E%2E/b"), "/a/%252E%252E/b");  // encoded dots are data
}

TEST(SigV4SignerTest, EmptyBodyHashesEmptyString) {
  SigningInput input;
  input.method = "GET";
  input.path = "/foundation-models";
  input.headers = {{"host", "bedrock.us-east-1.amazonaws.com"}};
  const SignedRequest signed_request = sign_example(input);
  EXPECT_TRUE(signed_request.canonical_request.ends_with("\n" + std::string(kEmptySha256)));
  ASSERT_NE(find_added(signed_request, "x-amz-content-sha256"), nullptr);
  EXPECT_EQ(*find_added(signed_request, "x-amz-content-sha256"), kEmptySha256);
  EXPECT_EQ(sha256_hex(""), kEmptySha256);
}

TEST(SigV4SignerTest, GetWithQueryEncodesAndSorts) {
  SigningInput input;
  input.method = "GET";
  input.path = "/inference-profiles";
  input.query = {{"type", "SYSTEM_DEFINED"},
                 {"nextToken", "prev tok/en+0=="},
                 {"maxResults", "1"},
                 {"b", "2"},
                 {"b", "1"},
                 {"a b", "~*'()!é"}};
  input.headers = {{"host", "bedrock.us-east-1.amazonaws.com"}};
  EXPECT_EQ(canonical_line(sign_example(input), 2),
            "a%20b=~%2A%27%28%29%21%C3%A9&b=1&b=2&maxResults=1&"
            "nextToken=prev%20tok%2Fen%2B0%3D%3D&type=SYSTEM_DEFINED");
}

TEST(SigV4SignerTest, SessionTokenIsAddedAndSigned) {
  const AwsCredentials temporary{"ASIAEXAMPLE", kExampleKeys.secret_access_key,
                                 "TOKEN/with+base64=="};
  const SignedRequest signed_request =
      sign_example(converse_input("amazon.nova-lite-v1:0", "{}"), temporary);
  ASSERT_NE(find_added(signed_request, "x-amz-security-token"), nullptr);
  EXPECT_EQ(*find_added(signed_request, "x-amz-security-token"), "TOKEN/with+base64==");
  EXPECT_NE(signed_request.canonical_request.find("\nx-amz-security-token:TOKEN/with+base64==\n"),
            std::string::npos);
  EXPECT_EQ(
      signed_headers_of(signed_request),
      "content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  const std::vector<std::string> order = {"x-amz-date", "x-amz-security-token",
                                          "x-amz-content-sha256", "authorization"};
  ASSERT_EQ(signed_request.headers_to_add.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(signed_request.headers_to_add[i].first, order[i]);
  }
}

TEST(SigV4SignerTest, NoSessionTokenHeaderForLongTermKeys) {
  const SignedRequest signed_request = sign_example(converse_input("amazon.nova-lite-v1:0", "{}"));
  EXPECT_EQ(find_added(signed_request, "x-amz-security-token"), nullptr);
  EXPECT_EQ(signed_request.canonical_request.find("x-amz-security-token"), std::string::npos);
}

TEST(SigV4SignerTest, AuthorizationHeaderFormat) {
  const SignedRequest signed_request = sign_example(converse_input("amazon.nova-lite-v1:0", "{}"));
  ASSERT_FALSE(signed_request.headers_to_add.empty());
  EXPECT_EQ(signed_request.headers_to_add.back().first, "authorization");
  EXPECT_EQ(signed_request.headers_to_add.back().second,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
            "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, "
            "Signature=" +
                signed_request.signature);
  EXPECT_EQ(signed_request.signature.size(), 64U);
}

TEST(SigV4SignerTest, CanonicalisesHeaderNamesAndValues) {
  SigningInput input = converse_input("m", "{}");
  input.headers.emplace_back("X-Custom-Thing", "  a \t\t b\tc   d  ");
  input.headers.emplace_back("X-Empty", "   ");
  const SignedRequest signed_request = sign_example(input);
  EXPECT_NE(signed_request.canonical_request.find("\nx-custom-thing:a b c d\n"), std::string::npos);
  EXPECT_NE(signed_request.canonical_request.find("\nx-empty:\n"), std::string::npos);
  EXPECT_EQ(
      signed_headers_of(signed_request),
      "content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-custom-thing;x-empty");
}

TEST(SigV4SignerTest, JoinsRepeatedHeadersWithComma) {
  SigningInput input = converse_input("m", "{}");
  input.headers.emplace_back("x-multi", " one ");
  input.headers.emplace_back("X-Multi", "two  three");
  const SignedRequest signed_request = sign_example(input);
  EXPECT_NE(signed_request.canonical_request.find("\nx-multi:one,two three\n"), std::string::npos);
  EXPECT_EQ(signed_headers_of(signed_request).find("x-multi;x-multi"), std::string::npos);
}

TEST(SigV4SignerTest, HostWithPortIsSigned) {
  SigningInput input = converse_input("m", "{}");
  input.headers[0].second = "127.0.0.1:33983";
  EXPECT_NE(sign_example(input).canonical_request.find("\nhost:127.0.0.1:33983\n"),
            std::string::npos);
}

TEST(SigV4SignerTest, NeverSignsHopByHopAndAgentHeaders) {
  const SignedRequest plain = sign_example(converse_input("m", "{}"));
  SigningInput input = converse_input("m", "{}");
  for (const char* name :
       {"Authorization", "user-agent", "Connection", "expect", "transfer-encoding",
        "x-amzn-trace-id", "cache-control", "from", "keep-alive", "max-forwards", "pragma",
        "referer", "te", "trailer", "upgrade", "proxy-authorization", "Proxy-Connection",
        "sec-fetch-mode", "Sec-CH-UA"}) {
    input.headers.emplace_back(name, "value");
  }
  const SignedRequest signed_request = sign_example(input);
  EXPECT_EQ(signed_request.canonical_request, plain.canonical_request);
  EXPECT_EQ(signed_request.signature, plain.signature);
}

TEST(SigV4SignerTest, ExistingGeneratedHeadersAreNotDuplicated) {
  // An emulator re-signs a received request, which already carries the signer's headers.
  const AwsCredentials temporary{"ASIAEXAMPLE", kExampleKeys.secret_access_key, "TOKEN"};
  const SignedRequest first = sign_example(converse_input("m", "{}"), temporary);
  SigningInput received = converse_input("m", "{}");
  for (const auto& header : first.headers_to_add) received.headers.push_back(header);
  received.headers[3].first = "X-Amz-Date";  // any case
  const SignedRequest again = sign_example(received, temporary);
  EXPECT_EQ(again.canonical_request, first.canonical_request);
  EXPECT_EQ(again.signature, first.signature);
  ASSERT_EQ(again.headers_to_add.size(), 1U);
  EXPECT_EQ(again.headers_to_add[0].first, "authorization");
}

TEST(SigV4SignerTest, ConflictingGeneratedHeadersThrow) {
  SigningInput stale_date = converse_input("m", "{}");
  stale_date.headers.emplace_back("x-amz-date", "20150830T123500Z");
  EXPECT_THROW(sign_example(stale_date), std::invalid_argument);

  SigningInput stale_hash = converse_input("m", "{}");
  stale_hash.headers.emplace_back("x-amz-content-sha256", std::string(kEmptySha256));
  EXPECT_THROW(sign_example(stale_hash), std::invalid_argument);

  SigningInput twice = converse_input("m", "{}");
  twice.headers.emplace_back("x-amz-date", "20150830T123600Z");
  twice.headers.emplace_back("x-amz-date", "20150830T123600Z");
  EXPECT_THROW(sign_example(twice), std::invalid_argument);
}

TEST(SigV4SignerTest, ConflictingSessionTokenErrorNeverQuotesIt) {
  const AwsCredentials temporary{"ASIAEXAMPLE", kExampleKeys.secret_access_key, "REAL-TOKEN"};
  SigningInput input = converse_input("m", "{}");
  input.headers.emplace_back("x-amz-security-token", "OLD-TOKEN");
  try {
    sign_example(input, temporary);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("REAL-TOKEN"), std::string::npos) << message;
    EXPECT_EQ(message.find("OLD-TOKEN"), std::string::npos) << message;
    EXPECT_NE(message.find("x-amz-security-token"), std::string::npos) << message;
  }
  // A token header without temporary credentials is stale too.
  EXPECT_THROW(sign_example(input), std::invalid_argument);
}

TEST(SigV4SignerTest, AmzDateIsUtcAndTruncatedToTheSecond) {
  const auto when = sys_days{2024y / February / 29} + 23h + 59min + 59s + 999ms;
  const SignedRequest signed_request =
      sign_request(converse_input("m", "{}"), kExampleKeys, SigningScope{"eu-west-3"}, when);
  ASSERT_NE(find_added(signed_request, "x-amz-date"), nullptr);
  EXPECT_EQ(*find_added(signed_request, "x-amz-date"), "20240229T235959Z");
  EXPECT_NE(signed_request.string_to_sign.find("\n20240229/eu-west-3/bedrock/aws4_request\n"),
            std::string::npos);

  const auto epoch = sign_request(converse_input("m", "{}"), kExampleKeys,
                                  SigningScope{"us-east-1"}, system_clock::time_point{});
  EXPECT_EQ(*find_added(epoch, "x-amz-date"), "19700101T000000Z");
}

TEST(SigV4SignerTest, ScopeUsesRegionAndService) {
  const auto input = converse_input("m", "{}");
  const SignedRequest east =
      sign_request(input, kExampleKeys, SigningScope{"us-east-1"}, kExampleTime);
  const SignedRequest west =
      sign_request(input, kExampleKeys, SigningScope{"us-west-2"}, kExampleTime);
  const SignedRequest other =
      sign_request(input, kExampleKeys, SigningScope{"us-east-1", "bedrock-runtime"}, kExampleTime);
  EXPECT_NE(east.signature, west.signature);
  EXPECT_NE(east.signature, other.signature);
  EXPECT_NE(other.string_to_sign.find("/us-east-1/bedrock-runtime/aws4_request"),
            std::string::npos);
  EXPECT_EQ(sign_request(input, kExampleKeys, SigningScope{"us-east-1"}, kExampleTime).signature,
            east.signature);
}

TEST(SigV4SignerTest, SecretKeyNeverAppearsAnywhere) {
  const std::string secret = "SECRET/KEY+never-to-be-seen=0123456789ab";
  const AwsCredentials keys{"AKIDEXAMPLE", secret, "SESSION"};
  SigningInput input =
      converse_input("arn:aws:bedrock:us-east-1:1:prompt/P:1", secret);  // even as body
  input.query = {{"q", "x"}};
  const SignedRequest signed_request = sign_example(input, keys);
  const std::string encoded = protocol::uri_encode(secret);
  for (const std::string* field : {&signed_request.canonical_request,
                                   &signed_request.string_to_sign, &signed_request.signature}) {
    EXPECT_EQ(field->find(secret), std::string::npos);
    EXPECT_EQ(field->find(encoded), std::string::npos);
  }
  for (const auto& [name, value] : signed_request.headers_to_add) {
    EXPECT_EQ(value.find(secret), std::string::npos) << name;
  }

  // Errors never quote it either.
  const auto expect_clean_error = [&](SigningInput bad_input, AwsCredentials bad_keys,
                                      SigningScope scope) {
    try {
      sign_request(bad_input, bad_keys, scope, kExampleTime);
      ADD_FAILURE() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
      EXPECT_EQ(std::string(error.what()).find(secret), std::string::npos) << error.what();
    }
  };
  SigningInput bad_header = input;
  bad_header.headers.emplace_back("x-bad", secret + "\r\ninjected: 1");
  expect_clean_error(bad_header, keys, SigningScope{"us-east-1"});
  expect_clean_error(input, AwsCredentials{secret, secret, ""}, SigningScope{"us-east-1"});
  expect_clean_error(input, AwsCredentials{"AKID", secret, secret + "\n"},
                     SigningScope{"us-east-1"});
  expect_clean_error(input, keys, SigningScope{secret});
}

TEST(SigV4SignerTest, RejectsMalformedInput) {
  const auto good = converse_input("m", "{}");
  const SigningScope scope{"us-east-1"};
  auto with = [&](auto change) {
    SigningInput input = good;
    change(input);
    return input;
  };
  EXPECT_THROW(
      sign_request(with([](SigningInput& i) { i.method = ""; }), kExampleKeys, scope, kExampleTime),
      std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.method = "PO ST"; }), kExampleKeys, scope,
                            kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.path = "model/x"; }), kExampleKeys, scope,
                            kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.path = "/model/a b"; }), kExampleKeys,
                            scope, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.path = "/x?y=1"; }), kExampleKeys, scope,
                            kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.headers.emplace_back("", "v"); }),
                            kExampleKeys, scope, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(with([](SigningInput& i) { i.headers.emplace_back("a b", "v"); }),
                            kExampleKeys, scope, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(good, AwsCredentials{"AKID", "", ""}, scope, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(good, AwsCredentials{"", "secret", ""}, scope, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(good, kExampleKeys, SigningScope{""}, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(good, kExampleKeys, SigningScope{"us-east-1/x"}, kExampleTime),
               std::invalid_argument);
  EXPECT_THROW(sign_request(good, kExampleKeys, SigningScope{"us-east-1", ""}, kExampleTime),
               std::invalid_argument);
}

TEST(SigV4SignerTest, SignsHttp2AuthorityPseudoHeader) {
  SigningInput input = converse_input("m", "{}");
  input.headers[0] = {":authority", "127.0.0.1:43787"};
  const SignedRequest signed_request = sign_example(input);
  EXPECT_TRUE(signed_headers_of(signed_request).starts_with(":authority;content-length"));
}

TEST(SigV4SignerTest, BinaryBodyIsHashedByteForByte) {
  const std::string body("\0\xff\x80{\"a\":1}\n\0"s);
  const SignedRequest signed_request = sign_example(converse_input("m", body));
  ASSERT_NE(find_added(signed_request, "x-amz-content-sha256"), nullptr);
  EXPECT_EQ(*find_added(signed_request, "x-amz-content-sha256"), sha256_hex(body));
  EXPECT_NE(sha256_hex(body), sha256_hex(body.substr(0, 3)));  // no stop at NUL
}

// ---- crypto primitives (RFC 4231 test case 2, FIPS 180-2 "abc") --------------------------------

TEST(SigV4CryptoTest, Sha256AndHmacKnownAnswers) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_lower(hmac_sha256(std::string_view("Jefe"), "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// ---- percent-encoding -------------------------------------------------------------------------

TEST(UriEncodingTest, KeepsUnreservedCharacters) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(protocol::uri_encode(unreserved), unreserved);
}

TEST(UriEncodingTest, EncodesEverythingElseWithUpperHex) {
  EXPECT_EQ(protocol::uri_encode(":/?#[]@!$&'()*+,;= %"),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%25");
  EXPECT_EQ(protocol::uri_encode("é日"), "%C3%A9%E6%97%A5");
  EXPECT_EQ(protocol::uri_encode("\0\x7f\xff"s), "%00%7F%FF");
  EXPECT_EQ(protocol::uri_encode(""), "");
}

TEST(UriEncodingTest, EncodeIsAppliedTwiceForSigning) {
  // `:`→%3A→%253A and `/`→%2F→%252F: what the canonical URI holds for a model id.
  EXPECT_EQ(protocol::uri_encode(protocol::uri_encode(":")), "%253A");
  EXPECT_EQ(protocol::uri_encode(protocol::uri_encode("/")), "%252F");
}

TEST(UriEncodingTest, EncodePathSegmentKeepsModelIdAsOneSegment) {
  EXPECT_EQ(protocol::encode_path_segment("anthropic.claude-3-haiku-20240307-v1:0"),
            "anthropic.claude-3-haiku-20240307-v1%3A0");
  EXPECT_EQ(protocol::encode_path_segment("arn:aws:bedrock:us-east-1:123456789012:inference-"
                                          "profile/us.anthropic.claude-3-haiku-20240307-v1:0"),
            "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
            "us.anthropic.claude-3-haiku-20240307-v1%3A0");
  EXPECT_EQ(
      protocol::encode_path_segment("arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12345:1"),
      "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprompt%2FPROMPT12345%3A1");
  EXPECT_EQ(protocol::encode_path_segment("..").find('/'), std::string::npos);
}

TEST(UriEncodingTest, DecodeInvertsEncodeForEveryByte) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  const auto decoded = protocol::uri_decode(protocol::uri_encode(all_bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, all_bytes);
}

TEST(UriEncodingTest, DecodeAcceptsEitherHexCaseAndLeavesPlusAlone) {
  EXPECT_EQ(protocol::uri_decode("a%3ab%3Ac"), "a:b:c");
  EXPECT_EQ(protocol::uri_decode("a+b%20c"), "a+b c");
  EXPECT_EQ(protocol::uri_decode("%252F"), "%2F");  // one layer per call
  EXPECT_EQ(protocol::uri_decode(""), "");
}

TEST(UriEncodingTest, DecodeRejectsMalformedEscapes) {
  for (const char* bad : {"%", "%4", "abc%2", "%G0", "%0g", "%%41", "a%-1"}) {
    EXPECT_EQ(protocol::uri_decode(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace llmm::auth
