#pragma once
// The HTTP transport: one libcurl multi handle driven by one event-loop thread (DESIGN.md §3).
// Requests are submitted from any thread; completions run on the loop thread, never inline in
// submit(). The transport never retries: a failed exchange is reported once, classified.
//
// Timeouts (from TransportOptions):
//  * connect_timeout covers TCP connect plus the TLS handshake;
//  * read_timeout is an inactivity timer with millisecond precision: it starts when the request
//    is about to be written on an established (new or reused) connection and restarts on every
//    byte sent or received. A request queued for a pooled connection is not timed.
// max_pool_connections caps open connections per endpoint host; more requests queue.
//
// Time: read_timeout, timers and their waits run on the injected Clock (Clock::before_wait
// tells the loop how long to block), so simulated clocks drive them; connect_timeout is curl's
// own and always real.
//
// Shutdown: the destructor cancels transfers in flight (on_complete gets Cancelled) and runs
// timers still pending at once, so work chained on them sees the cancellation instead of
// hanging. A submit() racing the destructor completes with Cancelled.
// Exceptions: one thrown by on_complete or a timer task is caught and dropped (there is nobody
// to report it to); one thrown by on_body_chunk fails that transfer with ErrorCode::Internal.

#include "http/http_message.hpp"

#include <llmm/clock.hpp>
#include <llmm/result.hpp>
#include <llmm/transport_options.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace llmm::http {

using RequestId = std::uint64_t;
using TimerId = std::uint64_t;  // 0 is never a timer

struct RequestCallbacks {
  // Called once with the whole response or a classified error (Timeout, ConnectionFailed,
  // Cancelled, Internal). Always on the loop thread.
  std::function<void(Result<HttpResponse>)> on_complete;
  // Optional: when set, the body bytes of a 2xx response are handed over as they arrive (on the
  // loop thread) and the final HttpResponse has an empty body. Any other status's body is an
  // error document and is collected into HttpResponse::body as usual. Returning false aborts
  // the transfer (Cancelled).
  std::function<bool(std::string_view chunk)> on_body_chunk;
};

class Transport {
 public:
  explicit Transport(const TransportOptions& options,
                     std::shared_ptr<Clock> clock = Clock::system());
  // Stops the loop; transfers still in flight complete with ErrorCode::Cancelled.
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Thread-safe. Returns an id usable with cancel().
  RequestId submit(HttpRequest request, RequestCallbacks callbacks);
  // Submits and waits. Must not be called on the loop thread (returns Internal there).
  Result<HttpResponse> perform(HttpRequest request);
  // Thread-safe. Completes the transfer with ErrorCode::Cancelled unless it already finished.
  void cancel(RequestId id);
  // Runs `task` on the loop thread after `delay` on the transport's clock (a timer: no thread
  // sleeps). Thread-safe. The id names it to cancel_timer().
  TimerId schedule(std::chrono::milliseconds delay, std::function<void()> task);
  // Thread-safe. The timer's task never runs, unless it has run already.
  void cancel_timer(TimerId id);

  [[nodiscard]] bool on_loop_thread() const;
  [[nodiscard]] const TransportOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm::http
