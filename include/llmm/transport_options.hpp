#pragma once
// What the HTTP layer consumes (it never retries; retries are the call engine's, AttemptLimits).
// Produced only by ClientConfig::to_transport_options(); nothing else reads ClientConfig fields.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace llmm {

// Which HTTP version the clients speak.
enum class HttpVersion {
  Auto,     // HTTPS: HTTP/2 when the server offers h2 by ALPN, else HTTP/1.1; plaintext: HTTP/1.1
  Http1_1,  // HTTP/1.1 only, one request per connection at a time
  Http2,    // HTTPS: as Auto (curl offers h2 first and still accepts a server's http/1.1);
            // plaintext: HTTP/2 with prior knowledge (no upgrade)
};

// "auto", "1.1", "2".
std::string_view to_string(HttpVersion version) noexcept;

// A value type: not synchronized.
struct TransportOptions {
  // Longest silence on an open connection (no byte received or sent) before the attempt fails
  // with ErrorCode::Timeout. Not a cap on the whole call.
  std::chrono::milliseconds read_timeout{600'000};
  // TCP connect plus TLS handshake.
  std::chrono::milliseconds connect_timeout{60'000};
  // Open connections per endpoint host; further requests queue for a free connection. Over
  // HTTP/2 this caps sockets, not requests: each connection carries up to the server's
  // concurrent-stream limit (Bedrock and the emulator: 128) of requests at once.
  int max_pool_connections = 10;
  HttpVersion http_version = HttpVersion::Auto;
  // PEM file of the certificate authorities trusted for HTTPS; empty: the system's store.
  // Verification of the peer and of its name is always on.
  std::string ca_bundle;
  // Longest response body accepted (Bedrock's are bounded); a longer one ends the attempt with
  // ErrorCode::Internal (the limit named) instead of being buffered whole.
  std::size_t max_response_bytes = 64 * 1024 * 1024;
  // The proxy for https:// and for http:// endpoints ("" = none), and the hosts that bypass it
  // (curl's NO_PROXY syntax: comma-separated names, domains, IPs, "*"). Resolved once by the
  // AuthManager (config/proxy_settings.hpp); the process environment is not read again.
  std::string https_proxy;
  std::string http_proxy;
  std::string no_proxy;

  friend bool operator==(const TransportOptions&, const TransportOptions&) = default;
};

}  // namespace llmm
