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
  while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) result.output.append(buffer.data(), n);
  result.status = ::pclose(pipe);
  return result;
}

nlohmann::json tls_counters(test::EmulatorProcess& emulator) {
  return nlohmann::json::parse(emulator.admin_counters())["tls"];
}

TEST(EmulatorHttp2Test, NghttpFetchesTheAdminApiOverHttp2) {
  test::TlsEmulator tls;
  const CommandResult result = run("nghttp --no-dep " + tls.url(test::Wire::TlsHttp2) + "/_emulator/scenario");
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("\"rules\""), std::string::npos) << result.output;
  const auto counters = tls_counters(tls.process());
  EXPECT_EQ(counters["byProtocol"].value("h2", 0), 1) << counters.dump();
}

TEST(EmulatorHttp2Test, NghttpSeesTheServersStreamAndHeaderListLimits) {
  test::TlsEmulator tls;
  // -v prints every frame: the server's SETTINGS carry its stream and header-list limits.
  const CommandResult result = run("nghttp -v " + tls.url(test::Wire::TlsHttp2) + "/_emulator/counters");
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):128"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536"), std::string::npos) << result.output;
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
  AuthManager auth(tls.auth_config(test::Wire::PlainHttp1), tls.client_config(test::Wire::PlainHttp1));
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
                   tls.client_config(test::Wire::TlsHttp2, {.read_timeout = 3s,
                                                            .max_pool_connections = 1,
                                                            .retries_max_attempts = 0}));
  const auto client = auth.runtime_client("us-east-1");
  std::promise<BedrockResponse> stalled;
  client->converse_async(kHaiku, ConverseRequest::from_prompt("stall"),
                         [&](BedrockResponse response) { stalled.set_value(std::move(response)); });
  auto stalled_result = stalled.get_future();
  // Answered while the stalled stream is still open on the same connection.
  const BedrockResponse answered = client->converse(kNova, ConverseRequest::from_prompt("hi"));
  ASSERT_TRUE(answered.ok()) << answered.error->describe();
  EXPECT_EQ(stalled_result.wait_for(0s), std::future_status::timeout) << "the stalled call ended too early";
  const BedrockResponse timed_out = stalled_result.get();
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error->code, ErrorCode::Timeout) << timed_out.error->describe();
  const auto counters = tls_counters(tls.process());
  EXPECT_EQ(counters["handshakes"], 1) << "both calls must share one connection: " << counters.dump();
  EXPECT_EQ(counters["byProtocol"].value("h2", 0), 1) << counters.dump();
}

TEST(EmulatorHttp2Test, AStoppingServerSaysGoawayAndItsOpenStreamsEndAsConnectionFailures) {
  test::TlsEmulator tls;
  ASSERT_EQ(tls.process().admin_put_scenario(R"({"rules":[{"action":{"type":"stall"}}]})").status, 200);
  AuthManager auth(tls.auth_config(test::Wire::TlsHttp2),
                   tls.client_config(test::Wire::TlsHttp2, {.read_timeout = 60s, .retries_max_attempts = 0}));
  std::promise<BedrockResponse> stalled;
  auth.runtime_client("us-east-1")->converse_async(kHaiku, ConverseRequest::from_prompt("stall"),
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
