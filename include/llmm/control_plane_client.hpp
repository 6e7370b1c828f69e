#pragma once
// A bedrock control-plane client for one region. Made and cached by
// AuthManager::control_client(); it shares the runtime clients' Transport and so the same
// ClientConfig timeouts, pool and retries.

#include <llmm/backoff_policy.hpp>
#include <llmm/foundation_model_summary.hpp>
#include <llmm/result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm {

class ControlPlaneClient {
 public:
  using ModelsCallback = std::function<void(Result<std::vector<FoundationModelSummary>>)>;
  struct Impl;

  explicit ControlPlaneClient(std::shared_ptr<Impl> impl);

  // GET /foundation-models with the filters that are set. The callback runs on the transport's
  // event-loop thread.
  void list_foundation_models_async(const ListFoundationModelsFilter& filter,
                                    ModelsCallback callback,
                                    const BackoffPolicy& backoff = {}) const;
  [[nodiscard]] Result<std::vector<FoundationModelSummary>> list_foundation_models(
      const ListFoundationModelsFilter& filter = {}, const BackoffPolicy& backoff = {}) const;

  [[nodiscard]] const std::string& region() const;
  [[nodiscard]] std::string endpoint_url() const;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace llmm
