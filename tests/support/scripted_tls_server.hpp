#pragma once
// A TLS server on 127.0.0.1 that misbehaves on purpose, for the client's bad-input tests: it
// completes the handshake (optionally capped at an old TLS version, optionally choosing h2 by
// ALPN), then runs a script that writes raw bytes (a malformed HTTP/2 frame, a header block
// that never ends, a SETTINGS flood), then reads until the client closes. One connection at a
// time, on its own thread; the destructor stops it. Nothing here trusts the client.
//
//   test::ScriptedTlsServer server(cert_pem, key_pem, {.alpn_h2 = true},
//                                  [](test::TlsPeer& peer) { peer.write(bad_frame); });

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace llmm::test {

// The accepted connection, as a script sees it. Thread: the server's.
class TlsPeer {
 public:
  explicit TlsPeer(void* ssl) : ssl_(ssl) {}
  // false once the client is gone.
  bool write(std::string_view bytes);
  // Up to `limit` bytes the client sent (blocking until some arrive); empty when it closed.
  std::string read_some(std::size_t limit = 16384);

 private:
  void* ssl_;  // SSL*, kept out of this header
};

struct ScriptedTlsOptions {
  bool alpn_h2 = true;      // choose "h2" when the client offers it
  bool tls10_only = false;  // cap the server at TLS 1.0 (and the security level that allows it)
};

class ScriptedTlsServer {
 public:
  using Script = std::function<void(TlsPeer&)>;
  ScriptedTlsServer(const std::string& certificate_pem, const std::string& key_pem,
                    ScriptedTlsOptions options, Script script);
  ~ScriptedTlsServer();
  ScriptedTlsServer(const ScriptedTlsServer&) = delete;
  ScriptedTlsServer& operator=(const ScriptedTlsServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int handshakes() const noexcept { return handshakes_.load(); }

 private:
  void serve();

  void* context_ = nullptr;  // SSL_CTX*
  int listener_ = -1;
  std::uint16_t port_ = 0;
  Script script_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

// HTTP/2 frame bytes (RFC 9113 §4.1): a 9-byte header and the payload.
std::string http2_frame(std::uint8_t type, std::uint8_t flags, std::uint32_t stream_id,
                        std::string_view payload);

}  // namespace llmm::test
