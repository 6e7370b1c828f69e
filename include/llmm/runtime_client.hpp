#pragma once
// A bedrock-runtime client for one region. Made and cached by AuthManager::runtime_client();
// every client of a manager shares one Transport, so connections are reused across calls.
//
// Thread-safe: converse() and converse_async() may be called from any thread concurrently. The
// AuthManager that made the client must outlive every call.

#include <llmm/backoff_policy.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/converse_request.hpp>

#include <functional>
#include <memory>
#include <string>

namespace llmm {

class RuntimeClient {
 public:
  using Callback = std::function<void(BedrockResponse)>;
  struct Impl;  // the library's own (opaque outside it)

  explicit RuntimeClient(std::shared_ptr<Impl> impl);

  // Sends Converse to `model_id` (a model id, profile id or ARN) in this client's region, on
  // the same call engine as LLMManager with one target and no failover: throttling, 5xx,
  // timeouts and connection errors are retried on this target up to
  // ClientConfig::retries_max_attempts times, waiting per `backoff` (Retry-After honoured);
  // nothing is dropped from the request. The response names the id sent and every attempt with
  // its decision. The callback runs on the transport's event-loop thread, never inline.
  void converse_async(const std::string& model_id, const ConverseRequest& request,
                      Callback callback, const BackoffPolicy& backoff = {}) const;
  // The same, waiting for the response. From a completion callback (the event-loop thread) it
  // returns an Internal error at once instead of deadlocking.
  [[nodiscard]] BedrockResponse converse(const std::string& model_id,
                                         const ConverseRequest& request,
                                         const BackoffPolicy& backoff = {}) const;

  // True on the transport's event-loop thread, where the synchronous forms refuse to run.
  [[nodiscard]] bool on_event_loop_thread() const;
  [[nodiscard]] const std::string& region() const;
  [[nodiscard]] std::string endpoint_url() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmm
