// The real bedrock-emulator executable over loopback: authentication, routing, scenarios carried
// out on the wire, robustness against bad input, the admin API, and many idle connections.
// Driven by our own library (LLMManager) where a client's view matters and by raw sockets where
// the exact bytes matter.
#include <llmm/auth_manager.hpp>
#include <llmm/llm_manager.hpp>

#include "auth/sigv4_signer.hpp"
#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::EmulatorProcess;
using test::RawConnection;
using test::RawReply;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kModelPath = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
constexpr const char* kOtherModel = "amazon.nova-lite-v1:0";
constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kBody = R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}]})";

AuthConfig keys_for(const EmulatorProcess& emulator, std::string secret = kSecretKey) {
  return AuthConfig{.type = AuthType::Credentials,
                    .access_key_id = kAccessKey,
                    .secret_access_key = std::move(secret),
                    .runtime_endpoint = emulator.base_url(),
                    .control_endpoint = emulator.base_url(),
                    .environment = Environment::from_map({})};
}

ClientConfig no_retries(std::chrono::milliseconds read_timeout = 10s) {
  return ClientConfig({.read_timeout = read_timeout, .retries_max_attempts = 0});
}

BedrockResponse converse(const EmulatorProcess& emulator, const std::string& model,
                         const std::string& region, const ClientConfig& config = no_retries()) {
  LLMManager manager({model}, {region}, keys_for(emulator), RetryConfig{}, config,
                     test::offline_catalog());
  return manager.converse(ConverseRequest::from_prompt("Hello"));
}

struct RawRequest {
  std::string method = "POST";
  std::string path = kModelPath;
  std::vector<std::pair<std::string, std::string>> query;
  std::string body = kBody;
  std::string region = "us-east-1";
  std::string access_key = kAccessKey;
  std::string secret = kSecretKey;
  std::chrono::system_clock::time_point when = std::chrono::system_clock::now();
};

// The request bytes, signed with our SigV4 signer over the headers this function sends.
std::string signed_text(std::uint16_t port, const RawRequest& r, bool keep_alive = true) {
  auth::SigningInput input;
  input.method = r.method;
  input.path = r.path;
  input.query = r.query;
  input.headers = {{"host", "127.0.0.1:" + std::to_string(port)}};
  if (!r.body.empty()) input.headers.emplace_back("content-type", "application/json");
  input.body = r.body;
  const auto signed_request =
      auth::sign_request(input, {r.access_key, r.secret, ""}, {r.region}, r.when);
  std::string target = r.path;
  for (std::size_t i = 0; i < r.query.size(); ++i) {
    target += (i == 0 ? "?" : "&") + r.query[i].first + "=" + r.query[i].second;
  }
  std::string text = r.method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : input.headers) text += name + ": " + value + "\r\n";
  for (const auto& [name, value] : signed_request.headers_to_add)
    text += name + ": " + value + "\r\n";
  text += "content-length: " + std::to_string(r.body.size()) + "\r\n";
  if (!keep_alive) text += "connection: close\r\n";
  return text + "\r\n" + r.body;
}

RawReply send_raw(const EmulatorProcess& emulator, const std::string& text) {
  RawConnection connection(emulator.port());
  EXPECT_TRUE(connection.connected());
  EXPECT_TRUE(connection.send_all(text));
  auto reply = connection.read_reply();
  if (!reply) ADD_FAILURE() << "no reply";
  return reply.value_or(RawReply{});
}

std::string error_type(const RawReply& reply) {
  const std::string type = reply.header("x-amzn-ErrorType").value_or("");
  return type.substr(0, type.find(':'));
}

std::string message_of(const RawReply& reply) {
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  return body.is_object() && body.contains("message") ? body["message"].get<std::string>()
                                                      : std::string();
}

nlohmann::json admin_log(const EmulatorProcess& emulator) {
  return nlohmann::json::parse(emulator.admin_requests())["requests"];
}

void put_scenario(const EmulatorProcess& emulator, const std::string& json) {
  const RawReply reply = emulator.admin_put_scenario(json);
  ASSERT_EQ(reply.status, 200) << reply.body;
}

std::string throttle_rule(const std::string& match) {
  return R"({"rules":[{"name":"throttle","match":)" + match +
         R"(,"action":{"type":"error","exception":"ThrottlingException","message":"Too many requests"}}]})";
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

// ---------------------------------------------------------------------------------- auth

TEST(EmulatorServerTest, SignedConverseSucceedsInTwoRegionsOnOnePort) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  EXPECT_EQ(emulator.listening_line(), "listening on 127.0.0.1:" + std::to_string(emulator.port()));
  for (const std::string region : {"us-east-1", "us-west-2"}) {
    const auto response = converse(emulator, kModel, region);
    ASSERT_TRUE(response.ok()) << response.error->describe();
    EXPECT_EQ(response.text(), "Hello");  // echo mode
    EXPECT_EQ(response.region, region);
    EXPECT_FALSE(response.output->request_id.empty());
  }
  const auto log = admin_log(emulator);
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0]["region"], "us-east-1");
  EXPECT_EQ(log[1]["region"], "us-west-2");
}

TEST(EmulatorServerTest, WrongSecretIsInvalidSignatureException) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(emulator, "not-the-secret"), RetryConfig{},
                     no_retries(), test::offline_catalog());
  const auto response = manager.converse(ConverseRequest::from_prompt("Hello"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->http_status, 403);
  EXPECT_EQ(response.error->aws_error_type, "InvalidSignatureException");
  EXPECT_EQ(response.error->code, ErrorCode::Unauthenticated);
  EXPECT_NE(response.error->message.find("The request signature we calculated does not match"),
            std::string::npos)
      << response.error->message;
}

TEST(EmulatorServerTest, MissingAuthorizationIsMissingAuthenticationToken) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const RawReply reply =
      emulator.request("POST", kModelPath, kBody, {{"Content-Type", "application/json"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(error_type(reply), "MissingAuthenticationTokenException");
  EXPECT_EQ(message_of(reply), "Missing Authentication Token");
  EXPECT_TRUE(reply.header("x-amzn-RequestId").has_value());
  EXPECT_TRUE(reply.header("Date").has_value());
}

TEST(EmulatorServerTest, UnknownAccessKeyIsUnrecognizedClient) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawRequest request;
  request.access_key = "AKIDUNKNOWN";
  const RawReply reply = send_raw(emulator, signed_text(emulator.port(), request));
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(error_type(reply), "UnrecognizedClientException");
  EXPECT_EQ(message_of(reply), "The security token included in the request is invalid.");
}

TEST(EmulatorServerTest, SignatureOutsideTheFiveMinuteWindowIsExpired) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawRequest request;
  request.when = std::chrono::system_clock::now() - 10min;
  const RawReply old = send_raw(emulator, signed_text(emulator.port(), request));
  EXPECT_EQ(old.status, 403);
  EXPECT_EQ(error_type(old), "InvalidSignatureException");
  EXPECT_EQ(message_of(old).rfind("Signature expired: ", 0), 0U) << old.body;

  request.when = std::chrono::system_clock::now() + 10min;
  const RawReply future = send_raw(emulator, signed_text(emulator.port(), request));
  EXPECT_EQ(future.status, 403);
  EXPECT_EQ(error_type(future), "InvalidSignatureException");

  request.when = std::chrono::system_clock::now() - 2min;  // inside the window
  EXPECT_EQ(send_raw(emulator, signed_text(emulator.port(), request)).status, 200);
}

TEST(EmulatorServerTest, SignedGetWithQueryIsVerifiedAndServed) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawRequest request;
  request.method = "GET";
  request.path = "/inference-profiles";
  request.query = {{"maxResults", "1"}, {"type", "SYSTEM_DEFINED"}};
  request.body.clear();
  const RawReply reply = send_raw(emulator, signed_text(emulator.port(), request));
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(admin_log(emulator)[0]["operation"], "ListInferenceProfiles");
}

TEST(EmulatorServerTest, ContentSha256ThatDoesNotMatchTheBodyIsRejected) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawRequest request;
  std::string text = signed_text(emulator.port(), request);
  // Same length, different body: the signed x-amz-content-sha256 no longer matches.
  text.replace(text.find("Hello"), 5, "Howdy");
  const RawReply reply = send_raw(emulator, text);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(error_type(reply), "XAmzContentSHA256Mismatch");
}

TEST(EmulatorServerTest, BearerTokenIsAcceptedInItsRegionAndUnknownTokensAreNot) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  for (const std::string token : {"bedrock-emulator-token", "not-a-token"}) {
    AuthConfig auth{.type = AuthType::BearerToken,
                    .bearer_token = token,
                    .runtime_endpoint = emulator.base_url(),
                    .control_endpoint = emulator.base_url(),
                    .environment = Environment::from_map({})};
    LLMManager manager({kModel}, {"us-east-1"}, auth, RetryConfig{}, no_retries(),
                       test::offline_catalog());
    const auto response = manager.converse(ConverseRequest::from_prompt("Hello"));
    if (token == "bedrock-emulator-token") {
      EXPECT_TRUE(response.ok()) << response.error->describe();
    } else {
      ASSERT_FALSE(response.ok());
      EXPECT_EQ(response.error->http_status, 403);
      EXPECT_EQ(response.error->aws_error_type, "UnrecognizedClientException");
    }
  }
  EXPECT_EQ(admin_log(emulator)[0]["region"], "us-east-1");
}

TEST(EmulatorServerTest, CredentialsFileReplacesTheDefaults) {
  const std::string path = write_temp_file(
      "emulator_credentials.json",
      R"({"keys":[{"accessKeyId":"AKIDOTHER","secretAccessKey":"other-secret"}],"bearerRegion":"eu-west-1"})");
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--credentials", path});
  RawRequest request;
  EXPECT_EQ(send_raw(emulator, signed_text(emulator.port(), request)).status,
            403);  // defaults gone
  request.access_key = "AKIDOTHER";
  request.secret = "other-secret";
  request.region = "eu-west-1";
  EXPECT_EQ(send_raw(emulator, signed_text(emulator.port(), request)).status, 200);
}

// ---------------------------------------------------------------------------------- scenarios

TEST(EmulatorServerTest, CallsRuleFiresOnTheFirstTwoCallsThenTheAnswerIsNormal) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(emulator, throttle_rule(R"({"calls":[1,2]})"));
  for (int call = 1; call <= 3; ++call) {
    const auto response = converse(emulator, kModel, "us-east-1");
    if (call <= 2) {
      ASSERT_FALSE(response.ok()) << "call " << call;
      EXPECT_EQ(response.error->http_status, 429);
      EXPECT_EQ(response.error->aws_error_type, "ThrottlingException");
      EXPECT_EQ(response.error->code, ErrorCode::Throttled);
    } else {
      EXPECT_TRUE(response.ok()) << response.error->describe();
    }
  }
  const auto log = admin_log(emulator);
  ASSERT_EQ(log.size(), 3U);
  EXPECT_EQ(log[0]["rule"], "throttle");
  EXPECT_EQ(log[0]["outcome"], "429 ThrottlingException");
  EXPECT_EQ(log[2]["rule"], "");
  EXPECT_EQ(log[2]["outcome"], "200");
}

TEST(EmulatorServerTest, ProbabilityWithAFixedSeedRepeatsAcrossRuns) {
  const std::string scenario = R"({"seed":7,"rules":[{"name":"coin","match":{"probability":0.5},
      "action":{"type":"error","exception":"ServiceUnavailableException"}}]})";
  std::vector<std::string> runs;
  for (int run = 0; run < 2; ++run) {
    EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--seed", "7"});
    put_scenario(emulator, scenario);
    std::string pattern;
    for (int call = 0; call < 24; ++call) {
      pattern += converse(emulator, kModel, "us-east-1").ok() ? '.' : 'x';
    }
    runs.push_back(pattern);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_NE(runs[0].find('.'), std::string::npos) << runs[0];
  EXPECT_NE(runs[0].find('x'), std::string::npos) << runs[0];
}

TEST(EmulatorServerTest, RegionOnlyAndModelOnlyRulesMatchOnlyTheirTarget) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(emulator, throttle_rule(R"({"region":"us-west-2"})"));
  EXPECT_TRUE(converse(emulator, kModel, "us-east-1").ok());
  EXPECT_EQ(converse(emulator, kModel, "us-west-2").error.value_or(Error{}).aws_error_type,
            "ThrottlingException");
  EXPECT_EQ(converse(emulator, kOtherModel, "us-west-2").error.value_or(Error{}).aws_error_type,
            "ThrottlingException");

  put_scenario(emulator, throttle_rule(R"({"model":")" + std::string(kOtherModel) + R"("})"));
  EXPECT_TRUE(converse(emulator, kModel, "us-east-1").ok());
  EXPECT_TRUE(converse(emulator, kModel, "us-west-2").ok());
  EXPECT_EQ(converse(emulator, kOtherModel, "us-east-1").error.value_or(Error{}).aws_error_type,
            "ThrottlingException");
  EXPECT_EQ(converse(emulator, kOtherModel, "us-west-2").error.value_or(Error{}).aws_error_type,
            "ThrottlingException");
}

TEST(EmulatorServerTest, StallMakesTheClientReadTimeoutFire) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(emulator, R"({"rules":[{"name":"hang","action":{"type":"stall"}}]})");
  const auto response = converse(emulator, kModel, "us-east-1", no_retries(300ms));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Timeout) << response.error->describe();
  EXPECT_EQ(admin_log(emulator)[0]["outcome"], "stall");
}

TEST(EmulatorServerTest, ResetIsAConnectionFailure) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(emulator, R"({"rules":[{"name":"rst","action":{"type":"reset"}}]})");
  const auto response = converse(emulator, kModel, "us-east-1");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::ConnectionFailed) << response.error->describe();
}

TEST(EmulatorServerTest, DelayAndTrickleStillDeliverTheNormalAnswer) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(
      emulator,
      R"({"rules":[{"name":"slow","match":{"calls":[1]},"action":{"type":"delay","ms":200}},
      {"name":"drip","match":{"calls":[1]},"action":{"type":"trickle","intervalMs":2}}]})");
  const auto start = std::chrono::steady_clock::now();
  const auto delayed = converse(emulator, kModel, "us-east-1");
  EXPECT_TRUE(delayed.ok()) << delayed.error->describe();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  const auto trickled = converse(emulator, kModel, "us-east-1");
  EXPECT_TRUE(trickled.ok()) << trickled.error->describe();
  EXPECT_EQ(trickled.text(), "Hello");
}

TEST(EmulatorServerTest, ConverseStreamIsAChunkedEventStreamAndStreamCutDropsTheLastChunk) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawRequest request;
  request.path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream";
  const RawReply whole = send_raw(emulator, signed_text(emulator.port(), request));
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.header("Content-Type"), "application/vnd.amazon.eventstream");
  EXPECT_TRUE(whole.chunked);
  EXPECT_TRUE(whole.complete);
  EXPECT_FALSE(whole.body.empty());

  put_scenario(emulator,
               R"({"rules":[{"name":"cut","action":{"type":"streamCut","afterEvents":1}}]})");
  RawConnection connection(emulator.port());
  ASSERT_TRUE(connection.send_all(signed_text(emulator.port(), request)));
  const auto cut = connection.read_reply();
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->status, 200);
  EXPECT_FALSE(cut->complete);
  EXPECT_LT(cut->body.size(), whole.body.size());
}

// ---------------------------------------------------------------------------------- robustness

TEST(EmulatorServerTest, MalformedHttpIsAnswered400AndTheServerKeepsServing) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  // The start of a TLS ClientHello (NUL bytes included), then a blank line.
  static constexpr char kTlsBytes[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n";
  const std::string kTlsHello(kTlsBytes, sizeof kTlsBytes - 1);
  for (const std::string& junk :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("POST /x HTTP/1.1\r\nContent-Length: zz\r\n\r\n"),
        std::string("GET /x HTTP/1.1\r\nBad Header Line\r\n\r\n"), kTlsHello}) {
    RawConnection connection(emulator.port());
    ASSERT_TRUE(connection.send_all(junk));
    const auto reply = connection.read_reply();
    ASSERT_TRUE(reply.has_value()) << junk;
    EXPECT_EQ(reply->status, 400) << junk;
    EXPECT_TRUE(connection.wait_closed()) << junk;
  }
  // Bytes that are not UTF-8 in the path still get a JSON error, not a failure of the server.
  RawConnection binary(emulator.port());
  ASSERT_TRUE(binary.send_all("GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto not_utf8 = binary.read_reply();
  ASSERT_TRUE(not_utf8.has_value());
  EXPECT_TRUE(not_utf8->status == 404 || not_utf8->status == 400) << not_utf8->status;
  EXPECT_TRUE(converse(emulator, kModel, "us-east-1").ok());
}

TEST(EmulatorServerTest, OversizedBodyIsAnswered413AndTheServerKeepsServing) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawConnection connection(emulator.port());
  ASSERT_TRUE(connection.send_all("POST " + std::string(kModelPath) +
                                  " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                  "Content-Length: 30000000\r\n\r\n{\"messages\":"));
  const auto reply = connection.read_reply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(error_type(*reply), "ValidationException");
  EXPECT_TRUE(connection.wait_closed());
  EXPECT_TRUE(converse(emulator, kModel, "us-east-1").ok());
}

TEST(EmulatorServerTest, UnknownRoutesAndLiteralSlashModelIds) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const RawReply unknown = emulator.request("GET", "/nothing/here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_type(unknown), "UnknownOperationException");
  // The real service's trap (wire doc §1.3): a literal '/' in the model id answers 200.
  const RawReply slash = emulator.request(
      "POST", "/model/arn:aws:bedrock:us-east-1:1:inference-profile/x/converse", kBody);
  EXPECT_EQ(slash.status, 200);
  EXPECT_NE(slash.body.find("UnknownOperationException"), std::string::npos);
}

TEST(EmulatorServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  RawConnection connection(emulator.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.send_all(signed_text(emulator.port(), RawRequest{})));
    const auto reply = connection.read_reply();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->header("Content-Length"), std::to_string(reply->body.size()));
  }
  const auto counters = nlohmann::json::parse(emulator.admin_counters());
  EXPECT_EQ(counters["requestsTotal"], 3);
  EXPECT_EQ(counters["byOperation"]["Converse"], 3);
  EXPECT_EQ(counters["byOutcome"]["200"], 3);
}

// ---------------------------------------------------------------------------------- admin, process

TEST(EmulatorServerTest, AdminLogRecordsEveryRequestAndResetClearsIt) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  ASSERT_TRUE(converse(emulator, kModel, "us-west-2").ok());
  const auto log = admin_log(emulator);
  ASSERT_EQ(log.size(), 1U);
  const auto& entry = log[0];
  EXPECT_EQ(entry["method"], "POST");
  EXPECT_EQ(entry["path"], kModelPath);
  EXPECT_EQ(entry["region"], "us-west-2");
  EXPECT_EQ(entry["model"], kModel);
  EXPECT_EQ(entry["operation"], "Converse");
  EXPECT_EQ(entry["outcome"], "200");
  EXPECT_GT(entry["bodySize"].get<int>(), 0);
  EXPECT_EQ(entry["time"].get<std::string>().size(), 24U);  // 2026-01-02T03:04:05.678Z
  const auto signed_headers = entry["signedHeaders"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(signed_headers.begin(), signed_headers.end(), "host"), signed_headers.end());

  EXPECT_EQ(emulator.admin_put_scenario("{not json").status, 400);
  emulator.admin_reset();
  EXPECT_TRUE(admin_log(emulator).empty());
  EXPECT_EQ(nlohmann::json::parse(emulator.admin_counters())["requestsTotal"], 0);
}

TEST(EmulatorServerTest, LogCapacityKeepsTheNewestEntries) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--log-capacity", "2"});
  for (const char* region : {"us-east-1", "us-west-2", "eu-west-1"}) {
    ASSERT_TRUE(converse(emulator, kModel, region).ok());
  }
  const auto log = admin_log(emulator);
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0]["region"], "us-west-2");
  EXPECT_EQ(log[1]["region"], "eu-west-1");
  EXPECT_EQ(nlohmann::json::parse(emulator.admin_counters())["requestsTotal"], 3);
}

TEST(EmulatorServerTest, SigtermExitsCleanlyAndBadFlagsExitWithCode2) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  EXPECT_EQ(emulator.stop(), 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--mode", "bogus"},
        std::vector<std::string>{"--scenario", "/nonexistent.json"},
        std::vector<std::string>{"--catalog", "/nonexistent.json"},
        std::vector<std::string>{"--port", "99999"},
        std::vector<std::string>{"--log-capacity", "0"}}) {
    try {
      EmulatorProcess bad(BEDROCK_EMULATOR_PATH, args, 10s);
      ADD_FAILURE() << "started with " << args[0] << " " << args[1];
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("exit status 2"), std::string::npos) << error.what();
    }
  }
}

TEST(EmulatorServerTest, ExpectContinueGetsAnInterimReplyThenTheAnswer) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const std::string text = signed_text(emulator.port(), RawRequest{});
  const std::size_t head_end = text.find("\r\n\r\n");
  RawConnection connection(emulator.port());
  ASSERT_TRUE(connection.send_all(text.substr(0, head_end) + "\r\nexpect: 100-continue\r\n\r\n"));
  std::string interim;
  char c = 0;
  while (interim.find("\r\n\r\n") == std::string::npos && ::recv(connection.fd(), &c, 1, 0) == 1)
    interim.push_back(c);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(connection.send_all(text.substr(head_end + 4)));
  const auto reply = connection.read_reply();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200) << reply->body;
}

TEST(EmulatorServerTest, ConcurrentClientsOnSeveralServerThreads) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--threads", "4"});
  constexpr int kClients = 8;
  constexpr int kCalls = 5;
  std::atomic<int> successes{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      LLMManager manager({kModel}, {i % 2 == 0 ? "us-east-1" : "us-west-2"}, keys_for(emulator),
                         RetryConfig{}, no_retries(), test::offline_catalog());
      for (int call = 0; call < kCalls; ++call) {
        if (manager.converse(ConverseRequest::from_prompt("Hello")).ok()) ++successes;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(successes.load(), kClients * kCalls);
  EXPECT_EQ(nlohmann::json::parse(emulator.admin_counters())["byOutcome"]["200"],
            kClients * kCalls);
}

TEST(EmulatorServerTest, SigtermExitsCleanlyWhileAConnectionIsStalled) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  put_scenario(emulator, R"({"rules":[{"name":"hang","action":{"type":"stall"}}]})");
  RawConnection stalled(emulator.port());
  ASSERT_TRUE(stalled.send_all(signed_text(emulator.port(), RawRequest{})));
  // The log entry is written before the stall starts: wait for it without sleeping blindly.
  bool logged = false;
  for (int i = 0; i < 500 && !logged; ++i) logged = !admin_log(emulator).empty();
  ASSERT_TRUE(logged);
  EXPECT_FALSE(stalled.read_reply(50ms).has_value());
  EXPECT_EQ(emulator.stop(), 0);
  EXPECT_TRUE(stalled.wait_closed());
}

TEST(EmulatorServerTest, TwoThousandIdleKeepAliveConnectionsAndARequestStillSucceeds) {
  constexpr int kConnections = 2000;
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur < kConnections + 512) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, kConnections * 2 + 512);
    setrlimit(RLIMIT_NOFILE, &limit);  // inherited by the emulator
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < kConnections + 256) GTEST_SKIP() << "RLIMIT_NOFILE hard limit too low";

  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--threads", "2"});
  const long rss_before = emulator.rss_kib();
  std::vector<RawConnection> idle;
  idle.reserve(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    idle.emplace_back(emulator.port());
    ASSERT_TRUE(idle.back().connected()) << "connection " << i;
  }
  // One request on a few of them proves they were accepted, not just queued in the backlog.
  for (int i : {0, kConnections / 2, kConnections - 1}) {
    ASSERT_TRUE(idle[i].send_all(signed_text(emulator.port(), RawRequest{})));
    const auto reply = idle[i].read_reply();
    ASSERT_TRUE(reply.has_value()) << i;
    EXPECT_EQ(reply->status, 200);
  }
  EXPECT_TRUE(converse(emulator, kModel, "us-east-1").ok());
  const auto counters = nlohmann::json::parse(emulator.admin_counters());
  EXPECT_GE(counters["connections"]["open"].get<int>(), kConnections);
  const long rss = emulator.rss_kib();
  std::printf("[ emulator ] %d idle connections open: VmRSS %ld KiB (before %ld KiB)\n",
              counters["connections"]["open"].get<int>(), rss, rss_before);
  RecordProperty("emulator_rss_kib", std::to_string(rss));
}

}  // namespace
}  // namespace llmm
