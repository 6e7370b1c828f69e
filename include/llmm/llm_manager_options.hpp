#pragma once
// LLMManagerOptions: everything an LLMManager is built from, as one aggregate for designated
// initializers (fields in declaration order; omitted ones keep their defaults):
//
//   llmm::LLMManager manager({.models = {"Claude 3 Haiku"},
//                             .regions = {"us-east-1", "us-west-2"},
//                             .client = llmm::ClientConfig({.read_timeout = 900s})});
//
// The order is the positional constructor's: what to call (models), where (regions), as whom
// (auth), how to retry and fail over (retry), how each HTTP client behaves (client), where the
// model catalog comes from (catalog), what every call's request starts from (its default inference
// values, model-specific fields, cache points), what it logs and counts, then the test seams.

#include <llmm/auth_config.hpp>
#include <llmm/cache_config.hpp>
#include <llmm/client_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/logging.hpp>
#include <llmm/metrics_registry.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/model_specific_config.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmm {

// A value type: not synchronized; copy it freely.
struct LLMManagerOptions {
  // Names ("Claude 3 Haiku"), model ids, profile ids or ARNs, tried in this order.
  std::vector<std::string> models;
  // Tried in this order (RetryConfig::region_order). Empty: the one region the environment
  // names, AWS_REGION, then AWS_DEFAULT_REGION, then the active profile's `region`.
  std::vector<std::string> regions;
  AuthConfig auth;
  RetryConfig retry;
  ClientConfig client;
  // An empty CatalogConfig::regions means the manager's regions.
  CatalogConfig catalog;
  // Under each call's own inference values: a value the call leaves unset takes this one.
  InferenceConfig default_inference_config;
  // Request fields for the model each call lands on (CallOptions::model_specific overrides it).
  std::optional<ModelSpecificConfig> model_specific;
  // Automatic prompt-cache points per target (cache_config.hpp); off by default. Validated at
  // construction (std::invalid_argument).
  CacheConfig cache;
  // Where the manager's log records go, and from which level (logging.hpp). No sink: nothing
  // is logged.
  LoggingConfig logging;
  // Calls and attempts counted into this registry (metrics_registry.hpp); share one among
  // managers. Null: no metrics.
  std::shared_ptr<MetricsRegistry> metrics;
  Seams seams;  // the real clock and random source unless a test injects others
};

}  // namespace llmm
