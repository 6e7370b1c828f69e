#pragma once
// ParallelLLMManager: runs many Converse requests with a bound on how many are in flight, on the
// one event loop of an LLMManager it builds with the same ClientConfig. No thread per request.

#include <llmm/auth_config.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/client_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/parallel_llm_manager_options.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>

#include <memory>
#include <string>
#include <vector>

namespace llmm {

class LLMManager;

// Thread-safe: converse_parallel() may be called from several threads at once (each call bounds
// its own batch to max_concurrent_requests, not the sum of batches); never from a completion
// callback (it blocks). The destructor must not race calls.
class ParallelLLMManager {
 public:
  // Throws as LLMManager does, and std::invalid_argument for max_concurrent_requests < 1.
  //
  //   ParallelLLMManager batch({.manager = {.models = {"Claude 3 Haiku"}, .regions = {"us-east-1"}},
  //                             .parallel = {.max_concurrent_requests = 16}});
  explicit ParallelLLMManager(ParallelLLMManagerOptions options);
  // The same, positionally (ParallelConfig before CatalogConfig and Seams).
  ParallelLLMManager(std::vector<std::string> models, std::vector<std::string> regions,
                     AuthConfig auth_config = {}, RetryConfig retry_config = {},
                     ClientConfig client_config = {}, ParallelConfig parallel_config = {},
                     CatalogConfig catalog_config = {}, Seams seams = {});
  ~ParallelLLMManager();
  ParallelLLMManager(const ParallelLLMManager&) = delete;
  ParallelLLMManager& operator=(const ParallelLLMManager&) = delete;

  // One response per request, in input order. Never throws for request outcomes.
  [[nodiscard]] std::vector<BedrockResponse> converse_parallel(
      const std::vector<ConverseRequest>& requests) const;

  [[nodiscard]] const ParallelConfig& parallel_config() const noexcept;
  [[nodiscard]] const LLMManager& underlying_manager() const noexcept;

 private:
  ParallelConfig parallel_config_;
  std::unique_ptr<LLMManager> manager_;
};

}  // namespace llmm
