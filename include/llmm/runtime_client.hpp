#pragma once
// A bedrock-runtime client for one region. Made and cached by AuthManager::runtime_client();
// every client of a manager shares one Transport, so connections are reused across calls.

#include <llmm/attempt.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/converse_output.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm {

// A value type: not synchronized.
struct ConverseOutcome {
  Result<ConverseOutput> output;
  std::vector<Attempt> attempts;
};

// Thread-safe: every member may be called from any thread concurrently (requests go to the
// shared transport's loop); converse() refuses to block on the event-loop thread.
class RuntimeClient {
 public:
  using Callback = std::function<void(ConverseOutcome)>;
  struct Impl;

  explicit RuntimeClient(std::shared_ptr<Impl> impl);

  // Sends Converse to `model_id` (a model id, profile id or ARN) in this client's region.
  // Throttling, 5xx, timeouts and connection errors are retried on this same target up to
  // ClientConfig::retries_max_attempts times, waiting per `backoff`. The callback runs on the
  // transport's event-loop thread, never inline.
  void converse_async(std::string model_id, const ConverseRequest& request, Callback callback,
                      const BackoffPolicy& backoff = {}) const;
  // The same, waiting for the outcome. From a completion callback (the event-loop thread) it
  // returns an Internal error at once instead of deadlocking.
  [[nodiscard]] ConverseOutcome converse(std::string model_id, const ConverseRequest& request,
                                         const BackoffPolicy& backoff = {}) const;

  // True on the transport's event-loop thread, where the synchronous forms refuse to run.
  [[nodiscard]] bool on_event_loop_thread() const;
  [[nodiscard]] const std::string& region() const;
  [[nodiscard]] std::string endpoint_url() const;
  // The library's own handle on the client's state (an opaque type outside the library).
  [[nodiscard]] const std::shared_ptr<Impl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmm
