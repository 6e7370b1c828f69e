// LLMManager and ParallelLLMManager against a real loopback server: the ClientConfig proven end
// to end by behaviour (timeouts, retries, pool), not by inspecting a mock.
#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "auth/sigv4_signer.hpp"
#include "protocol/uri_encoding.hpp"
#include "support/fixed_seams.hpp"
#include "support/loopback_http_server.hpp"
#include "support/offline_catalog.hpp"
#include "support/simulated_clock.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <sstream>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using test::LoopbackHttpServer;
using test::RecordedRequest;
using test::Reply;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// A Converse reply whose text echoes the first user text of the request.
Reply converse_reply(const RecordedRequest& request) {
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  std::string prompt = "?";
  if (!body.is_discarded()) prompt = body["messages"][0]["content"][0]["text"].get<std::string>();
  nlohmann::json reply = {
      {"output",
       {{"message", {{"role", "assistant"}, {"content", {{{"text", "echo: " + prompt}}}}}}}},
      {"stopReason", "end_turn"},
      {"usage", {{"inputTokens", 3}, {"outputTokens", 2}, {"totalTokens", 5}}},
      {"metrics", {{"latencyMs", 7}}}};
  return Reply{.status = 200,
               .headers = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "req-1"}},
               .body = reply.dump()};
}

Reply models_reply() {
  return Reply{
      .status = 200,
      .headers = {{"Content-Type", "application/json"}},
      .body = R"({"modelSummaries":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/m",
                 "modelId":"m","modelName":"M","providerName":"Anthropic","inputModalities":["TEXT"],
                 "outputModalities":["TEXT"],"responseStreamingSupported":true,
                 "inferenceTypesSupported":["ON_DEMAND"],"modelLifecycle":{"status":"ACTIVE"}}]})"};
}

Reply error_reply(int status, const char* type) {
  return Reply{
      .status = status,
      .headers = {{"x-amzn-ErrorType", std::string(type) + ":http://internal.amazon.com/coral/"},
                  {"Content-Type", "application/json"}},
      .body = std::string(R"({"message":"scripted )") + type + "\"}"};
}

AuthConfig keys_for(const LoopbackHttpServer& server) {
  return AuthConfig{.type = AuthType::Credentials,
                    .access_key_id = kAccessKey,
                    .secret_access_key = kSecretKey,
                    .runtime_endpoint = server.base_url(),
                    .control_endpoint = server.base_url(),
                    .environment = Environment::from_map({})};
}

// Quick retries for tests: the backoff is still computed and recorded, just small.
RetryConfig fast_retries() { return RetryConfig{.retry_delay = 10ms, .max_retry_delay = 100ms}; }

std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

// Recomputes the SigV4 signature of a request the server received, from its own SignedHeaders.
std::string recomputed_signature(const RecordedRequest& request,
                                 std::chrono::system_clock::time_point when,
                                 const std::string& region) {
  const std::string authorization = request.header("authorization").value_or("");
  const auto signed_at = authorization.find("SignedHeaders=");
  const auto signed_end = authorization.find(',', signed_at);
  std::stringstream names(authorization.substr(signed_at + 14, signed_end - signed_at - 14));
  auth::SigningInput input;
  input.method = request.method;
  const auto question = request.target.find('?');
  input.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    std::stringstream pairs(request.target.substr(question + 1));
    std::string pair;
    while (std::getline(pairs, pair, '&')) {
      const auto eq = pair.find('=');
      input.query.emplace_back(*protocol::uri_decode(pair.substr(0, eq)),
                               *protocol::uri_decode(pair.substr(eq + 1)));
    }
  }
  std::string name;
  while (std::getline(names, name, ';'))
    input.headers.emplace_back(name, request.header(name).value_or(""));
  input.body = request.body;
  return auth::sign_request(input, {kAccessKey, kSecretKey, ""}, {region}, when).signature;
}

TEST(LLMManagerTest, SendsASignedConverseAndReadsTheAnswer) {
  LoopbackHttpServer server([](const RecordedRequest& r) { return converse_reply(r); });
  const Seams seams = test::deterministic_seams();
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(), ClientConfig{},
                     test::offline_catalog(), seams);

  const auto response = manager.converse(ConverseRequest::from_prompt("Hello"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.text(), "echo: Hello");
  EXPECT_EQ(response.model_id, kModel);
  EXPECT_EQ(response.region, "us-east-1");
  EXPECT_EQ(response.attempts.size(), 1U);
  EXPECT_EQ(response.output->usage.total_tokens, 5);
  EXPECT_EQ(response.output->request_id, "req-1");

  ASSERT_EQ(server.request_count(), 1U);
  const auto request = server.requests().front();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(request.header("x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(request.header("amz-sdk-request"), "attempt=1; max=4");
  const std::string authorization = request.header("authorization").value_or("");
  EXPECT_EQ(authorization.rfind(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
                "SignedHeaders=",
                0),
            0U)
      << authorization;
  EXPECT_NE(authorization.find("host;"), std::string::npos);
  EXPECT_NE(authorization.find("Signature=" +
                               recomputed_signature(request, seams.clock->wall_now(), "us-east-1")),
            std::string::npos);
  EXPECT_EQ(authorization.find(kSecretKey), std::string::npos);
}

TEST(LLMManagerTest, RetriesOnTheSameTargetExactlyAsConfigured) {
  for (const int retries : {0, 2}) {
    LoopbackHttpServer server(
        [](const RecordedRequest&) { return error_reply(503, "ServiceUnavailableException"); });
    LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(),
                       ClientConfig({.retries_max_attempts = retries}), test::offline_catalog(),
                       test::deterministic_seams());
    const auto response = manager.converse(ConverseRequest::from_prompt("x"));
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error->code, ErrorCode::ServiceUnavailable);
    EXPECT_EQ(response.error->http_status, 503);
    EXPECT_EQ(server.request_count(), static_cast<std::size_t>(retries + 1));
    ASSERT_EQ(response.attempts.size(), static_cast<std::size_t>(retries + 1));
    // Jitter pinned at 0.5: waits of 5 ms then 10 ms (10 ms base, doubling).
    if (retries == 2) {
      EXPECT_EQ(response.attempts[1].backoff_before, 5ms);
      EXPECT_EQ(response.attempts[2].backoff_before, 10ms);
      const auto requests = server.requests();
      EXPECT_EQ(requests[2].header("amz-sdk-request"), "attempt=3; max=3");
      EXPECT_EQ(requests[0].header("amz-sdk-invocation-id"),
                requests[2].header("amz-sdk-invocation-id"));
    }
  }
}

TEST(LLMManagerTest, RequestErrorsStopAtOnce) {
  LoopbackHttpServer server(
      [](const RecordedRequest&) { return error_reply(400, "ValidationException"); });
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(), ClientConfig{},
                     test::offline_catalog(), test::deterministic_seams());
  const auto response = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::InvalidArgument);
  EXPECT_EQ(response.error->message, "scripted ValidationException");
  EXPECT_EQ(server.request_count(), 1U);
  EXPECT_THROW(manager.converse_or_throw(ConverseRequest::from_prompt("x")), RetryExhaustedError);
}

TEST(LLMManagerTest, ThrottlingThenSuccessRecoversOnTheSameTarget) {
  std::atomic<int> calls{0};
  LoopbackHttpServer server([&calls](const RecordedRequest& r) {
    return ++calls <= 2 ? error_reply(429, "ThrottlingException") : converse_reply(r);
  });
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(), ClientConfig{},
                     test::offline_catalog(), test::deterministic_seams());
  const auto response = manager.converse(ConverseRequest::from_prompt("again"));
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response.attempts.size(), 3U);
  EXPECT_EQ(response.attempts[0].error->code, ErrorCode::Throttled);
  EXPECT_FALSE(response.attempts[2].error.has_value());
}

TEST(LLMManagerTest, MalformedReplyIsATypedError) {
  LoopbackHttpServer server(
      [](const RecordedRequest&) { return Reply{.status = 200, .body = "{\"output\":"}; });
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(), ClientConfig{},
                     test::offline_catalog(), test::deterministic_seams());
  const auto response = manager.converse(ConverseRequest::from_prompt("x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Internal);
  EXPECT_NE(response.error->message.find("malformed Converse response"), std::string::npos);
}

TEST(LLMManagerTest, BearerTokenIsSentInsteadOfASignature) {
  LoopbackHttpServer server([](const RecordedRequest& r) { return converse_reply(r); });
  AuthConfig auth{.type = AuthType::BearerToken,
                  .bearer_token = "ABSK-test-token",
                  .runtime_endpoint = server.base_url(),
                  .environment = Environment::from_map({})};
  LLMManager manager({kModel}, {"us-east-1"}, auth, fast_retries(), ClientConfig{},
                     test::offline_catalog());
  ASSERT_TRUE(manager.converse(ConverseRequest::from_prompt("x")).ok());
  const auto request = server.requests().front();
  EXPECT_EQ(request.header("authorization"), "Bearer ABSK-test-token");
  EXPECT_FALSE(request.header("x-amz-date").has_value());
}

TEST(LLMManagerTest, RejectsEmptyOrBlankModelsAndRegions) {
  const auto auth = AuthConfig{.type = AuthType::Credentials,
                               .access_key_id = "a",
                               .secret_access_key = "b",
                               .environment = Environment::from_map({})};
  EXPECT_THROW(LLMManager({}, {"us-east-1"}, auth), ConfigurationError);
  EXPECT_THROW(LLMManager({kModel}, {" "}, auth), ConfigurationError);
  EXPECT_THROW(LLMManager({kModel}, {"US EAST"}, auth), ConfigurationError);
  EXPECT_THROW(LLMManager({kModel}, {"us-east-1"}, auth, RetryConfig{.backoff_multiplier = -1}),
               std::invalid_argument);
  // A bad CatalogConfig fails before any control-plane call (this AuthConfig points at AWS).
  EXPECT_THROW(LLMManager({kModel}, {"us-east-1"}, auth, {}, {}, CatalogConfig{.ttl = -1s}),
               std::invalid_argument);
  EXPECT_THROW(
      LLMManager({kModel}, {"us-east-1"}, auth, {}, {}, CatalogConfig{.discovery_timeout = -1ms}),
      std::invalid_argument);
}

TEST(LLMManagerTest, ControlPlaneListsFoundationModelsSigned) {
  LoopbackHttpServer server([](const RecordedRequest&) { return models_reply(); });
  const Seams seams = test::deterministic_seams();
  LLMManager manager({kModel}, {"us-west-2"}, keys_for(server), fast_retries(), ClientConfig{},
                     test::offline_catalog(), seams);
  auto client = manager.auth_manager().control_client("us-west-2");
  const auto models =
      client->list_foundation_models({.by_provider = "Anthropic", .by_output_modality = "TEXT"});
  ASSERT_TRUE(models.has_value()) << models.error().describe();
  ASSERT_EQ(models->size(), 1U);
  EXPECT_EQ(models->front().provider_name, "Anthropic");
  const auto request = server.requests().front();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/foundation-models?byOutputModality=TEXT&byProvider=Anthropic");
  EXPECT_NE(
      request.header("authorization")
          .value_or("")
          .find("Signature=" + recomputed_signature(request, seams.clock->wall_now(), "us-west-2")),
      std::string::npos);
}

TEST(AuthManagerTest, ClientsAreCachedPerRegionAndShareConnections) {
  LoopbackHttpServer server([](const RecordedRequest& r) { return converse_reply(r); });
  AuthManager auth(keys_for(server), ClientConfig({.max_pool_connections = 3}));
  EXPECT_EQ(auth.runtime_client("us-east-1"), auth.runtime_client("us-east-1"));
  EXPECT_NE(auth.runtime_client("us-east-1"), auth.runtime_client("eu-west-1"));
  EXPECT_EQ(auth.transport_options(),
            ClientConfig({.max_pool_connections = 3}).to_transport_options());
  EXPECT_EQ(auth.credentials_source().find(kSecretKey), std::string::npos);
  for (int i = 0; i < 5; ++i) {
    const auto region = i % 2 == 0 ? "us-east-1" : "eu-west-1";
    ASSERT_TRUE(auth.runtime_client(region)
                    ->converse(kModel, ConverseRequest::from_prompt("x"))
                    .output.has_value());
  }
  // Every call, whatever its region, reused the one keep-alive connection.
  EXPECT_EQ(server.total_connections(), 1);
}

// --- The seed's propagation requirement: ClientConfig reaches runtime and control plane ---------

struct StallingServer {
  LoopbackHttpServer server{[](const RecordedRequest&) { return Reply{.stall = true}; }};
};

// Simulated time, jitter pinned at 0.5: what a call costs is exactly its read timeouts and
// backoff waits, so the configured read timeout (not the 600 s default) shows as an exact figure.
struct SimulatedSeams {
  std::shared_ptr<test::SimulatedClock> clock = std::make_shared<test::SimulatedClock>();
  [[nodiscard]] Seams seams() const {
    return Seams{clock, std::make_shared<test::FixedRandom>(0.5)};
  }
};

// `call` fails with a read timeout after exactly `simulated` of the clock's time, and never
// sooner than `real` in real time.
void expect_read_timeout(const std::function<Error()>& call, const test::SimulatedClock& clock,
                         std::chrono::milliseconds simulated, std::chrono::milliseconds real) {
  const auto before = clock.elapsed();
  const auto start = std::chrono::steady_clock::now();
  const Error error = call();
  EXPECT_EQ(error.code, ErrorCode::Timeout) << error.describe();
  EXPECT_EQ(clock.elapsed() - before, simulated);
  EXPECT_GE(elapsed_since(start), real);
}

TEST(ClientConfigPropagationTest, LLMManagerAppliesItToRuntimeAndControlPlane) {
  StallingServer stalling;
  SimulatedSeams time;
  const ClientConfig config({.read_timeout = 300ms, .retries_max_attempts = 0});
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(stalling.server), fast_retries(), config,
                     test::offline_catalog(), time.seams());
  EXPECT_EQ(manager.client_config(), config);
  expect_read_timeout([&] { return *manager.converse(ConverseRequest::from_prompt("x")).error; },
                      *time.clock, 300ms, 300ms);
  expect_read_timeout(
      [&] {
        return manager.auth_manager().control_client("us-east-1")->list_foundation_models().error();
      },
      *time.clock, 300ms, 300ms);
  EXPECT_EQ(stalling.server.request_count(), 2U);  // no retries: retries_max_attempts = 0
}

TEST(ClientConfigPropagationTest, ParallelLLMManagerAppliesItToRuntimeAndControlPlane) {
  StallingServer stalling;
  SimulatedSeams time;
  const ClientConfig config({.read_timeout = 300ms, .retries_max_attempts = 1});
  ParallelLLMManager parallel({kModel}, {"us-east-1"}, keys_for(stalling.server), fast_retries(),
                              config, ParallelConfig{.max_concurrent_requests = 4},
                              test::offline_catalog(), time.seams());
  EXPECT_EQ(parallel.underlying_manager().client_config(), config);
  const auto batch = parallel.converse_parallel(std::vector<ConverseRequest>{
      ConverseRequest::from_prompt("a"), ConverseRequest::from_prompt("b")});
  for (const auto& result : batch.results) {
    const BedrockResponse& response = result.response;
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error->code, ErrorCode::Timeout);
    EXPECT_EQ(response.attempts.size(), 2U);  // one retry
    // Both in parallel: two read timeouts and the 5 ms backoff between them.
    EXPECT_EQ(response.total_duration, 300ms + 5ms + 300ms);
  }
  // The control plane's one retry waits BackoffPolicy{}'s 1 s base at jitter 0.5.
  expect_read_timeout(
      [&] {
        return parallel.underlying_manager()
            .auth_manager()
            .control_client("us-east-1")
            ->list_foundation_models()
            .error();
      },
      *time.clock, 300ms + 500ms + 300ms, 300ms * 2);
}

// The seed's requirement 5.3 for the catalog: the manager's own discovery goes through its
// AuthManager, so a stalled control plane fails discovery in the read timeout (no retries), and the
// manager starts from the bundled data instead of hanging.
void expect_discovery_timed_out_into_bundled(const LLMManager& manager,
                                             std::chrono::nanoseconds construction_took,
                                             const test::SimulatedClock& clock,
                                             std::chrono::milliseconds configured) {
  EXPECT_GE(construction_took, configured);
  EXPECT_EQ(clock.elapsed(), configured) << "both listings timed out in parallel, once";
  EXPECT_EQ(manager.catalog().source(), CatalogSource::Bundled);
  const auto failures = manager.catalog().region_errors();
  ASSERT_FALSE(failures.empty());
  for (const auto& failure : failures) {
    EXPECT_EQ(failure.region, "us-east-1");
    EXPECT_EQ(failure.error.code, ErrorCode::Timeout) << failure.error.describe();
  }
  ASSERT_TRUE(manager.model_access(kModel, "us-east-1").has_value());
  EXPECT_EQ(manager.model_access(kModel, "us-east-1")->direct_id, kModel);
}

TEST(ClientConfigPropagationTest, LLMManagerCatalogDiscoveryUsesIt) {
  StallingServer stalling;
  SimulatedSeams time;
  const ClientConfig config({.read_timeout = 300ms, .retries_max_attempts = 0});
  const auto start = std::chrono::steady_clock::now();
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(stalling.server), fast_retries(), config,
                     CatalogConfig{.cache_mode = CacheMode::None}, time.seams());
  expect_discovery_timed_out_into_bundled(manager, elapsed_since(start), *time.clock, 300ms);
  // ListFoundationModels and ListInferenceProfiles, once each: retries_max_attempts = 0.
  EXPECT_EQ(stalling.server.request_count(), 2U);
}

TEST(ClientConfigPropagationTest, ParallelLLMManagerCatalogDiscoveryUsesIt) {
  StallingServer stalling;
  SimulatedSeams time;
  const ClientConfig config({.read_timeout = 300ms, .retries_max_attempts = 0});
  const auto start = std::chrono::steady_clock::now();
  ParallelLLMManager parallel({kModel}, {"us-east-1"}, keys_for(stalling.server), fast_retries(),
                              config, ParallelConfig{},
                              CatalogConfig{.cache_mode = CacheMode::None}, time.seams());
  expect_discovery_timed_out_into_bundled(parallel.underlying_manager(), elapsed_since(start),
                                          *time.clock, 300ms);
  EXPECT_EQ(stalling.server.request_count(), 2U);
}

TEST(ClientConfigPropagationTest, OmittedConfigBehavesAsDefaults) {
  // A 1.5 s pause before answering fails with a 300 ms read timeout but not with the default
  // 600 s one; a 503 storm gets the default 3 retries.
  LoopbackHttpServer slow([](const RecordedRequest& r) {
    Reply reply = r.method == "GET" ? models_reply() : converse_reply(r);
    reply.delay_before_headers = 1500ms;
    return reply;
  });
  LLMManager defaults({kModel}, {"us-east-1"}, keys_for(slow), fast_retries(), {},
                      test::offline_catalog());
  EXPECT_EQ(defaults.client_config(), ClientConfig{});
  EXPECT_EQ(defaults.auth_manager().transport_options(), ClientConfig{}.to_transport_options());
  EXPECT_TRUE(defaults.converse(ConverseRequest::from_prompt("x")).ok());
  ParallelLLMManager parallel_defaults({kModel}, {"us-east-1"}, keys_for(slow), fast_retries(), {},
                                       {}, test::offline_catalog());
  EXPECT_TRUE(
      parallel_defaults
          .converse_parallel(std::vector<ConverseRequest>{ConverseRequest::from_prompt("y")})
          .results.front()
          .ok());
  EXPECT_TRUE(parallel_defaults.underlying_manager()
                  .auth_manager()
                  .control_client("us-east-1")
                  ->list_foundation_models()
                  .has_value());

  LLMManager short_timeout({kModel}, {"us-east-1"}, keys_for(slow), fast_retries(),
                           ClientConfig({.read_timeout = 300ms, .retries_max_attempts = 0}),
                           test::offline_catalog());
  EXPECT_EQ(short_timeout.converse(ConverseRequest::from_prompt("x")).error->code,
            ErrorCode::Timeout);
  EXPECT_EQ(short_timeout.auth_manager()
                .control_client("us-east-1")
                ->list_foundation_models()
                .error()
                .code,
            ErrorCode::Timeout);

  LoopbackHttpServer failing(
      [](const RecordedRequest&) { return error_reply(503, "ServiceUnavailableException"); });
  LLMManager default_retries({kModel}, {"us-east-1"}, keys_for(failing), fast_retries(), {},
                             test::offline_catalog());
  EXPECT_EQ(default_retries.converse(ConverseRequest::from_prompt("x")).attempts.size(), 4U);
  EXPECT_EQ(failing.request_count(), 4U);
}

TEST(ParallelLLMManagerTest, FortyRequestsThroughAPoolOfFour) {
  LoopbackHttpServer server([](const RecordedRequest& r) {
    Reply reply = converse_reply(r);
    reply.delay_before_headers = 50ms;
    return reply;
  });
  ParallelLLMManager parallel({kModel}, {"us-east-1"}, keys_for(server), fast_retries(),
                              ClientConfig({.max_pool_connections = 4}),
                              ParallelConfig{.max_concurrent_requests = 16},
                              test::offline_catalog());
  std::vector<ConverseRequest> requests;
  for (int i = 0; i < 40; ++i)
    requests.push_back(ConverseRequest::from_prompt("n" + std::to_string(i)));
  const auto batch = parallel.converse_parallel(requests);
  ASSERT_EQ(batch.results.size(), 40U);
  for (std::size_t i = 0; i < 40; ++i) {
    const BedrockResponse& response = batch.results[i].response;
    ASSERT_TRUE(response.ok()) << i << ": " << response.error->describe();
    EXPECT_EQ(response.text(), "echo: n" + std::to_string(i));  // input order kept
  }
  EXPECT_LE(server.max_concurrent_connections(), 4);
  EXPECT_GE(server.max_concurrent_connections(), 2);
  std::printf(
      "[ measure  ] 40 requests, pool cap 4: server saw at most %d concurrent connections\n",
      server.max_concurrent_connections());
}

TEST(ParallelLLMManagerTest, RejectsAZeroConcurrencyLimit) {
  const auto auth = AuthConfig{.type = AuthType::Credentials,
                               .access_key_id = "a",
                               .secret_access_key = "b",
                               .environment = Environment::from_map({})};
  EXPECT_THROW(ParallelLLMManager({kModel}, {"us-east-1"}, auth, {}, {},
                                  ParallelConfig{.max_concurrent_requests = 0}),
               std::invalid_argument);
}

}  // namespace
}  // namespace llmm

namespace llmm {
namespace {

TEST(LLMManagerTest, SynchronousCallFromACallbackIsRefusedNotDeadlocked) {
  LoopbackHttpServer server([](const RecordedRequest& r) { return converse_reply(r); });
  LLMManager manager({kModel}, {"us-east-1"}, keys_for(server), fast_retries(), {},
                     test::offline_catalog());
  std::promise<BedrockResponse> inner;
  manager.converse_async(ConverseRequest::from_prompt("outer"), [&](BedrockResponse) {
    inner.set_value(manager.converse(ConverseRequest::from_prompt("inner")));
  });
  const auto response = inner.get_future().get();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Internal);
  EXPECT_NE(response.error->message.find("converse_async"), std::string::npos);
}

}  // namespace
}  // namespace llmm
