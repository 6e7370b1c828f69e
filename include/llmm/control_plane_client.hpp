#pragma once
// A bedrock control-plane client for one region. Made and cached by
// AuthManager::control_client(); it shares the runtime clients' Transport and so the same
// ClientConfig timeouts, pool and retries.

#include <llmm/backoff_policy.hpp>
#include <llmm/foundation_model_summary.hpp>
#include <llmm/inference_profile_summary.hpp>
#include <llmm/result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm {

// Thread-safe: every member may be called from any thread concurrently (requests go to the
// shared transport's loop); the synchronous forms refuse to run on the event-loop thread.
class ControlPlaneClient {
 public:
  using ModelsCallback = std::function<void(Result<std::vector<FoundationModelSummary>>)>;
  using ProfilesCallback = std::function<void(Result<std::vector<InferenceProfileSummary>>)>;
  struct Impl;

  explicit ControlPlaneClient(std::shared_ptr<Impl> impl);

  // GET /foundation-models with the filters that are set. The callback runs on the transport's
  // event-loop thread.
  void list_foundation_models_async(const ListFoundationModelsFilter& filter,
                                    ModelsCallback callback,
                                    const BackoffPolicy& backoff = {}) const;
  [[nodiscard]] Result<std::vector<FoundationModelSummary>> list_foundation_models(
      const ListFoundationModelsFilter& filter = {}, const BackoffPolicy& backoff = {}) const;

  // GET /inference-profiles with maxResults/type, following nextToken until the last page; the
  // result is every page's summaries in order. Each page gets the client's per-target retries
  // (throttling and 5xx are retried, AccessDenied is not); a failed page fails the whole list.
  // A service that repeats a token, or sends more than 10,000 pages, gives an Internal error.
  // The callback runs on the transport's event-loop thread.
  void list_inference_profiles_async(const ListInferenceProfilesFilter& filter,
                                     ProfilesCallback callback,
                                     const BackoffPolicy& backoff = {}) const;
  [[nodiscard]] Result<std::vector<InferenceProfileSummary>> list_inference_profiles(
      const ListInferenceProfilesFilter& filter = {}, const BackoffPolicy& backoff = {}) const;

  [[nodiscard]] const std::string& region() const;
  [[nodiscard]] std::string endpoint_url() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmm
