// The client against servers that misbehave on purpose (support/scripted_tls_server.hpp): an
// HTTP/2 server sending a malformed frame, a header block that never ends, a SETTINGS flood, and
// a server that speaks only TLS 1.0. Each ends the attempt with a typed error: no crash, no hang
// (the read timeout bounds what nothing else does), no unbounded buffering.
#include <llmm/auth_manager.hpp>
#include <llmm/runtime_client.hpp>

#include "support/scoped_temp_dir.hpp"
#include "support/scripted_tls_server.hpp"
#include "tls_identity.hpp"

#include <gtest/gtest.h>

#include <string>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr std::uint8_t kData = 0x0, kHeaders = 0x1, kSettings = 0x4, kWindowUpdate = 0x8,
                       kContinuation = 0x9;
constexpr std::uint8_t kEndStream = 0x1;

class HostileServerTest : public ::testing::Test {
 protected:
  HostileServerTest()
      : identity_(bedrock_emulator::generate_tls_identity({})),
        ca_(dir_.write_file("ca.pem", identity_.ca_pem).string()) {}

  BedrockResponse call(const test::ScriptedTlsServer& server) {
    // Any key pair: these servers check nothing.
    const AuthConfig auth{.type = AuthType::Credentials,
                          .access_key_id = "AKIDEXAMPLE",
                          .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                          .runtime_endpoint = server.url(),
                          .environment = Environment::from_map({})};
    AuthManager manager(auth, ClientConfig({.read_timeout = 2s,
                                            .connect_timeout = 5s,
                                            .retries_max_attempts = 0,
                                            .ca_bundle = ca_}));
    return manager.runtime_client("us-east-1")
        ->converse("anthropic.claude-3-haiku-20240307-v1:0", ConverseRequest::from_prompt("hi"));
  }

  // The client's preface and request arrive first: only then may the server answer stream 1.
  static void await_request(test::TlsPeer& peer) {
    std::string seen;
    while (seen.size() < 24 + 9 && !(seen += peer.read_some()).empty()) {}
  }

  test::ScopedTempDir dir_;
  bedrock_emulator::TlsIdentity identity_;
  std::string ca_;
};

void expect_failed_attempt(const BedrockResponse& response) {
  ASSERT_FALSE(response.ok());
  EXPECT_TRUE(response.error->code == ErrorCode::ConnectionFailed ||
              response.error->code == ErrorCode::Timeout)
      << response.error->describe();
  EXPECT_EQ(response.attempts.size(), 1u);
}

TEST_F(HostileServerTest, AMalformedFrameFailsTheAttempt) {
  const test::ScriptedTlsServer server(
      identity_.certificate_pem, identity_.private_key_pem, {}, [](test::TlsPeer& peer) {
        await_request(peer);
        // WINDOW_UPDATE must carry 4 bytes; 3 is a connection-level FRAME_SIZE_ERROR.
        peer.write(test::http2_frame(kSettings, 0, 0, "") +
                   test::http2_frame(kWindowUpdate, 0, 0, std::string(3, '\1')));
      });
  const BedrockResponse response = call(server);
  expect_failed_attempt(response);
  EXPECT_EQ(response.error->code, ErrorCode::ConnectionFailed) << response.error->describe();
}

TEST_F(HostileServerTest, AHeaderBlockThatNeverEndsFailsTheAttempt) {
  const test::ScriptedTlsServer server(
      identity_.certificate_pem, identity_.private_key_pem, {}, [](test::TlsPeer& peer) {
        await_request(peer);
        // ":status: 200" (indexed), then literal "x-big: a×4000" fields, in CONTINUATION frames
        // that never set END_HEADERS: 8 MiB of header block unless the client stops it first.
        std::string field = std::string("\x00\x05x-big\x7f\xa1\x1e", 9) + std::string(4000, 'a');
        std::string chunk;
        while (chunk.size() < 16000) chunk += field;
        if (!peer.write(test::http2_frame(kSettings, 0, 0, "") +
                        test::http2_frame(kHeaders, kEndStream, 1, "\x88" + chunk))) {
          return;
        }
        for (int i = 0; i < 512; ++i) {
          if (!peer.write(test::http2_frame(kContinuation, 0, 1, chunk))) return;
        }
      });
  expect_failed_attempt(call(server));
}

TEST_F(HostileServerTest, ASettingsFloodFailsTheAttempt) {
  const test::ScriptedTlsServer server(
      identity_.certificate_pem, identity_.private_key_pem, {}, [](test::TlsPeer& peer) {
        await_request(peer);
        // SETTINGS_MAX_CONCURRENT_STREAMS = 100, again and again, and never an answer.
        const std::string settings =
            test::http2_frame(kSettings, 0, 0, std::string("\x00\x03\x00\x00\x00\x64", 6));
        std::string burst;
        for (int i = 0; i < 1000; ++i) burst += settings;
        for (int i = 0; i < 2000; ++i) {
          if (!peer.write(burst)) return;
        }
      });
  expect_failed_attempt(call(server));
}

TEST_F(HostileServerTest, AServerOfferingOnlyTls10IsRefusedAsATlsFailure) {
  const test::ScriptedTlsServer server(identity_.certificate_pem, identity_.private_key_pem,
                                       {.alpn_h2 = false, .tls10_only = true},
                                       [](test::TlsPeer&) {});
  const BedrockResponse response = call(server);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::TlsFailed) << response.error->describe();
  EXPECT_EQ(response.attempts.size(), 1u);
  EXPECT_EQ(server.handshakes(), 0);
}

TEST_F(HostileServerTest, DataOnAStreamTheServerNeverAnsweredIsAProtocolErrorNotAnAnswer) {
  const test::ScriptedTlsServer server(
      identity_.certificate_pem, identity_.private_key_pem, {}, [](test::TlsPeer& peer) {
        await_request(peer);
        // DATA before any HEADERS on stream 1: RFC 9113 §8.1 makes that a PROTOCOL_ERROR.
        peer.write(test::http2_frame(kSettings, 0, 0, "") +
                   test::http2_frame(kData, kEndStream, 1, "{\"output\":{}}"));
      });
  expect_failed_attempt(call(server));
}

}  // namespace
}  // namespace llmm
