#pragma once
// A small scripted HTTP/1.1 server on 127.0.0.1 for transport tests: real sockets, keep-alive,
// one thread per connection. Each request is recorded, then handed to the test's handler, whose
// Reply says what to send and how (delays, stalls, trickles, close, reset).
//
//   LoopbackHttpServer server([](const RecordedRequest& r) {
//     return Reply{.status = 200, .body = "hello " + r.target};
//   });
//   transport.perform({.method = "GET", .url = server.base_url() + "/x"});
//   ASSERT_TRUE(server.wait_for_requests(1, std::chrono::seconds(5)));
//
// Not a conformance-grade server: it understands what libcurl sends (Content-Length or chunked
// request bodies, Expect: 100-continue, answered with "100 Continue" carrying "X-Interim: 1")
// and nothing more exotic.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::test {

struct RecordedRequest {
  std::string method;
  std::string target;                                        // path?query, exactly as received
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;          // de-chunked when the request was chunked
  int connection_index = 0;  // 0-based, in accept order

  // Case-insensitive lookup of the first header called `name`.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

struct Reply {
  int status = 200;
  // Sent as given; Content-Length is added unless present (or Transfer-Encoding is).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay_before_headers{0};  // sleep, then answer
  bool stall = false;  // never answer; the connection stays open until the client or server ends
  // When positive: headers go at once, then the body one byte at a time, each byte after
  // this gap.
  std::chrono::milliseconds trickle_interval{0};
  bool close_after = false;       // "Connection: close", then close after the reply
  bool reset_connection = false;  // no reply: close with SO_LINGER 0 so the client sees a RST
};

class LoopbackHttpServer {
 public:
  // `handler` runs on the connection's thread, possibly concurrently for several connections,
  // so it must be thread-safe. An exception from it becomes a 500 reply.
  explicit LoopbackHttpServer(std::function<Reply(const RecordedRequest&)> handler);
  // Stops accepting, interrupts delays, trickles and stalls, closes connections, joins.
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  [[nodiscard]] int port() const;
  [[nodiscard]] std::string base_url() const;  // "http://127.0.0.1:PORT"

  // Requests in arrival order. A request is recorded before its handler runs, so a stalled
  // request is visible here.
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::size_t request_count() const;
  // Most connections open at the same moment, and connections accepted in total.
  [[nodiscard]] int max_concurrent_connections() const;
  [[nodiscard]] int total_connections() const;
  // Waits (on a condition variable) until at least `n` requests were recorded; false on timeout.
  [[nodiscard]] bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A listener whose accept queue is full and is never drained: a new connect() to it gets no
// SYN-ACK (Linux drops SYNs for a full accept queue), so it hangs until the client's connect
// timeout. The constructor throws std::runtime_error if it cannot get the queue to fill.
class FullBacklogListener {
 public:
  FullBacklogListener();
  ~FullBacklogListener();
  FullBacklogListener(const FullBacklogListener&) = delete;
  FullBacklogListener& operator=(const FullBacklogListener&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const;  // "http://127.0.0.1:PORT"

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<int> filler_fds_;
};

}  // namespace llmm::test
