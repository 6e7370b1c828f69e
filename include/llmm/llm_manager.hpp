#pragma once
// LLMManager: the façade. Built from models, regions, AuthConfig, RetryConfig and ClientConfig;
// the ClientConfig reaches every HTTP client through the AuthManager it builds.
//
// This first cut sends each call to its first target (first model, first region), retried on
// that target as ClientConfig::retries_max_attempts allows. Failover across targets, access
// methods and the catalog arrive with the manager and catalog issues.

#include <llmm/auth_config.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/client_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmm {

class AuthManager;

class LLMManager {
 public:
  using Callback = std::function<void(BedrockResponse)>;

  // Throws ConfigurationError for an empty or blank model or region list, std::invalid_argument
  // for an out-of-range RetryConfig, and what AuthManager throws. Omitted configs are defaults.
  LLMManager(std::vector<std::string> models, std::vector<std::string> regions,
             AuthConfig auth_config = {}, RetryConfig retry_config = {},
             ClientConfig client_config = {}, Seams seams = {});
  ~LLMManager();
  LLMManager(const LLMManager&) = delete;
  LLMManager& operator=(const LLMManager&) = delete;

  // Never throws for request outcomes: a failed call is a response with error set.
  [[nodiscard]] BedrockResponse converse(const ConverseRequest& request) const;
  // The callback runs on the transport's event-loop thread, never inline.
  void converse_async(const ConverseRequest& request, Callback callback) const;
  // As converse(), but throws RetryExhaustedError when the call failed.
  BedrockResponse converse_or_throw(const ConverseRequest& request) const;

  [[nodiscard]] const std::vector<std::string>& models() const noexcept;
  [[nodiscard]] const std::vector<std::string>& regions() const noexcept;
  [[nodiscard]] const ClientConfig& client_config() const noexcept;
  [[nodiscard]] const RetryConfig& retry_config() const noexcept;
  // The AuthManager every client of this manager comes from (the catalog will share it).
  [[nodiscard]] AuthManager& auth_manager() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
