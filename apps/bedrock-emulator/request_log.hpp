#pragma once
// The emulator's memory of what it served: one entry per Bedrock request (admin calls are not
// recorded) plus counters by operation, by outcome and for connections. Served as JSON by the
// admin API (GET /_emulator/requests, GET /_emulator/counters). Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bedrock_emulator {

struct LogEntry {
  std::chrono::system_clock::time_point time;
  std::string method;
  std::string path;       // raw target path, without the query
  std::string region;     // empty when the request never got past authentication
  std::string model;      // the model the service resolved (or the decoded path id)
  std::string operation;  // "Converse", ...; empty for unroutable or unparseable requests
  std::vector<std::string> signed_headers;
  std::size_t body_size = 0;
  std::string outcome;              // "200", "403 InvalidSignatureException", "stall", ...
  std::string rule;                 // the scenario rule that applied, empty if none
  std::optional<std::string> body;  // the request body, kept only with keep_bodies
};

class RequestLog {
 public:
  // Older entries are dropped beyond `capacity`, so a long benchmark cannot exhaust memory;
  // the counters keep counting.
  // `keep_bodies` (--log-bodies) keeps each request's body in its entry, served as "body".
  explicit RequestLog(std::size_t capacity = 100000, bool keep_bodies = false);

  [[nodiscard]] bool keeps_bodies() const noexcept { return keep_bodies_; }

  void record(LogEntry entry);
  void connection_opened();
  void connection_closed();
  // A TLS handshake that completed with `protocol` ("h2" or "http/1.1", what ALPN chose), or
  // failed (an untrusting client, plaintext on the TLS port, no shared protocol version).
  void tls_handshake_done(const std::string& protocol);
  void tls_handshake_failed();
  // A client closed its connection while its answer was held back (a scenario's delay): it
  // gave up, as a request timeout or a cancel does.
  void answer_abandoned();

  // {"requests":[{"time":"2026-01-02T03:04:05.678Z","method":...,"signedHeaders":[...],...}]};
  // "body" (the body as UTF-8 text, invalid bytes replaced by U+FFFD) only for kept bodies.
  [[nodiscard]] std::string requests_json() const;
  // {"requestsTotal":N,"byOperation":{...},"byOutcome":{...},"connections":{"open":N,"total":N},
  //  "abandoned":N,"tls":{"handshakes":N,"failedHandshakes":N,"byProtocol":{"h2":N,"http/1.1":N}}}
  [[nodiscard]] std::string counters_json() const;
  // Drops the log and every counter; "connections.open" stays the live number.
  void reset();

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_;
  bool keep_bodies_;
  std::deque<LogEntry> entries_;
  std::uint64_t requests_total_ = 0;
  std::map<std::string, std::uint64_t> by_operation_;
  std::map<std::string, std::uint64_t> by_outcome_;
  std::int64_t connections_open_ = 0;
  std::uint64_t connections_total_ = 0;
  std::uint64_t abandoned_ = 0;
  std::uint64_t tls_handshakes_ = 0;
  std::uint64_t tls_failed_handshakes_ = 0;
  std::map<std::string, std::uint64_t> tls_by_protocol_;
};

// RFC 3339 UTC with milliseconds: 2026-01-02T03:04:05.678Z.
std::string format_rfc3339(std::chrono::system_clock::time_point time);

}  // namespace bedrock_emulator
