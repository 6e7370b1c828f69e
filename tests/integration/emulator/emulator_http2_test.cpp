// The emulator's HTTPS and HTTP/2 front, checked with a client we did not write (nghttp, from
// Debian's nghttp2-client) and with our own: ALPN picks h2 when offered and http/1.1 otherwise,
// plaintext still works on the TLS port, and one stalled stream leaves the other streams of its
// connection answering.
#include <llmm/auth_manager.hpp>
#include <llmm/runtime_client.hpp>

#include "support/wire.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kNova = "amazon.nova-pro-v1:0";

struct CommandResult {
  int status = -1;
  std::string output;
};

// Runs a fixed command line of ours (no user input reaches the shell).
CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    result.output.append(buffer.data(), n);
  result.status = ::pclose(pipe);
  return result;
}

nlohmann::json tls_counters(test::EmulatorProcess& emulator) {
  return nlohmann::json::parse(emulator.admin_counters())["tls"];
}

TEST(EmulatorHttp2Test, NghttpFetchesTheAdminApiOverHttp2) {
  test::TlsEmulator tls;
  const CommandResult result =
      run("nghttp --no-dep " + tls.url(test::Wire::TlsHttp2) + "/_emulator/scenario");
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("\"rules\""), std::string::npos) << result.output;
  const auto counters = tls_counters(tls.process());
  EXPECT_EQ(counters["byProtocol"].value("h2", 0), 1) << counters.dump();
}

TEST(EmulatorHttp2Test, NghttpSeesTheServersStreamAndHeaderListLimits) {
  test::TlsEmulator tls;
  // -v prints every frame: the server's SETTINGS carry its stream and header-list limits.
  const CommandResult result =
      run("nghttp -v " + tls.url(test::Wire::TlsHttp2) + "/_emulator/counters");
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):128"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536"), std::string::npos)
      << result.output;
}

TEST(EmulatorHttp2Test, WithoutHttp2AlpnChoosesHttp11) {
  test::TlsEmulator tls({"--no-http2"});
  AuthManager auth(tls.auth_config(test::Wire::TlsHttp2), tls.client_config(test::Wire::TlsHttp2));
  const BedrockResponse response =
      auth.runtime_client("us-east-1")->converse(kHaiku, ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  const auto counters = tls_counters(tls.process());
  EXPECT_EQ(counters["byProtocol"].value("h2", 0), 0) << counters.dump();
  EXPECT_EQ(counters["byProtocol"].value("http/1.1", 0), 1) << counters.dump();
}

TEST(EmulatorHttp2Test, PlaintextHttp11StillWorksOnTheTlsPort) {
  test::TlsEmulator tls;
  AuthManager auth(tls.auth_config(test::Wire::PlainHttp1),
                   tls.client_config(test::Wire::PlainHttp1));
  const BedrockResponse response =
      auth.runtime_client("us-east-1")->converse(kHaiku, ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(tls_counters(tls.process())["handshakes"], 0);
}

TEST(EmulatorHttp2Test, AStalledStreamLeavesItsConnectionsOtherStreamsAnswering) {
  test::TlsEmulator tls;
  ASSERT_EQ(tls.process()
                .admin_put_scenario(R"({"rules":[{"match":{"model":")" + std::string(kHaiku) +
                                    R"("},"action":{"type":"stall"}}]})")
                .status,
            200);
  // One socket: both calls share it as two streams.
  AuthManager auth(tls.auth_config(test::Wire::TlsHttp2),
                   tls.client_config(
                       test::Wire::TlsHttp2,
                       {.read_timeout = 3s, .max_pool_connections = 1, .retries_max_attempts = 0}));
  const auto client = auth.runtime_client("us-east-1");
  std::promise<BedrockResponse> stalled;
  client->converse_async(kHaiku, ConverseRequest::from_prompt("stall"),
                         [&](BedrockResponse response) { stalled.set_value(std::move(response)); });
  auto stalled_result = stalled.get_future();
  // Answered while the stalled stream is still open on the same connection.
  const BedrockResponse answered = client->converse(kNova, ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(answered.ok()) << answered.error->describe();
  EXPECT_EQ(stalled_result.wait_for(0s), std::future_status::timeout)
      << "the stalled call ended too early";
  const BedrockResponse timed_out = stalled_result.get();
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error->code, ErrorCode::Timeout) << timed_out.error->describe();
  const auto counters = tls_counters(tls.process());
  EXPECT_EQ(counters["handshakes"], 1)
      << "both calls must share one connection: " << counters.dump();
  EXPECT_EQ(counters["byProtocol"].value("h2", 0), 1) << counters.dump();
}

TEST(EmulatorHttp2Test, OverHttp2ThePoolCapsSocketsNotRequests) {
  test::TlsEmulator tls;
  // 64 calls in flight through a pool of 2: over HTTP/1.1 they would queue two at a time; over
  // HTTP/2 they share at most two connections as streams (and two TLS handshakes).
  ASSERT_EQ(tls.process()
                .admin_put_scenario(R"({"rules":[{"action":{"type":"delay","ms":1000}}]})")
                .status,
            200);
  AuthManager auth(tls.auth_config(test::Wire::TlsHttp2),
                   tls.client_config(test::Wire::TlsHttp2,
                                     {.max_pool_connections = 2, .retries_max_attempts = 0}));
  const auto client = auth.runtime_client("us-east-1");
  constexpr int kCalls = 64;
  std::vector<std::promise<BedrockResponse>> results(kCalls);
  for (auto& result : results) {
    client->converse_async(
        kHaiku, ConverseRequest::from_prompt("hi"),
        [&result](BedrockResponse response) { result.set_value(std::move(response)); });
  }
  int ok = 0;
  for (auto& result : results) ok += result.get_future().get().ok() ? 1 : 0;
  EXPECT_EQ(ok, kCalls);
  const auto counters = tls_counters(tls.process());
  EXPECT_LE(counters["handshakes"].get<int>(), 2) << counters.dump();
  EXPECT_EQ(counters["byProtocol"].value("http/1.1", 0), 0) << counters.dump();
  // All 64 arrived before the first answer left (each is held 1 s): queued two at a time, the
  // third could only have arrived after an answer.
  const auto requests = nlohmann::json::parse(tls.process().admin_requests())["requests"];
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kCalls));
  const auto millis_of_day = [](const std::string& time) {  // 2026-01-02T03:04:05.678Z
    return ((std::stoi(time.substr(11, 2)) * 60 + std::stoi(time.substr(14, 2))) * 60 +
            std::stoi(time.substr(17, 2))) *
               1000LL +
           std::stoi(time.substr(20, 3));
  };
  long long first = millis_of_day(requests.front()["time"]);
  long long last = first;
  for (const auto& request : requests) {
    first = std::min(first, millis_of_day(request["time"]));
    last = std::max(last, millis_of_day(request["time"]));
  }
  EXPECT_LT(last - first, 1000)
      << "a request arrived after an answer: they were not all in flight at once";
}

TEST(EmulatorHttp2Test, AStoppingServerSaysGoawayAndItsOpenStreamsEndAsConnectionFailures) {
  test::TlsEmulator tls;
  ASSERT_EQ(tls.process().admin_put_scenario(R"({"rules":[{"action":{"type":"stall"}}]})").status,
            200);
  AuthManager auth(
      tls.auth_config(test::Wire::TlsHttp2),
      tls.client_config(test::Wire::TlsHttp2, {.read_timeout = 60s, .retries_max_attempts = 0}));
  std::promise<BedrockResponse> stalled;
  auth.runtime_client("us-east-1")
      ->converse_async(kHaiku, ConverseRequest::from_prompt("stall"),
                       [&](BedrockResponse response) { stalled.set_value(std::move(response)); });
  // The stalled request is in once the emulator logged it; then SIGTERM.
  while (nlohmann::json::parse(tls.process().admin_counters())["requestsTotal"] == 0) {
    std::this_thread::yield();
  }
  EXPECT_EQ(tls.process().stop(), 0);
  // Not the read timeout: the server's goodbye ended the stream.
  const BedrockResponse response = stalled.get_future().get();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::ConnectionFailed) << response.error->describe();
}

}  // namespace
}  // namespace llmm
