#pragma once
// What the HTTP layer consumes (it never retries; retries are the call engine's, AttemptLimits). Produced only by
// ClientConfig::to_transport_options(); nothing else reads ClientConfig fields.

#include <chrono>

namespace llmm {

// A value type: not synchronized.
struct TransportOptions {
  // Longest silence on an open connection (no byte received or sent) before the attempt fails
  // with ErrorCode::Timeout. Not a cap on the whole call.
  std::chrono::milliseconds read_timeout{600'000};
  // TCP connect plus TLS handshake.
  std::chrono::milliseconds connect_timeout{60'000};
  // Open connections per endpoint host; further requests queue for a free connection.
  int max_pool_connections = 10;

  friend bool operator==(const TransportOptions&, const TransportOptions&) = default;
};

}  // namespace llmm
