#pragma once
// What the HTTP layer and the per-target retry loop consume. Produced only by
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
  // Retries of one call to one target after its first attempt (0 = none). The transport itself
  // never retries; the retry loop above it reads this.
  int retries_max_attempts = 3;

  friend bool operator==(const TransportOptions&, const TransportOptions&) = default;
};

}  // namespace llmm
