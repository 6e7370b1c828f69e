#pragma once
// LLMManager: the façade. Built from models, regions, AuthConfig, RetryConfig and ClientConfig;
// the ClientConfig reaches every HTTP client through the AuthManager it builds.
//
// Model names resolve over the manager's BedrockModelCatalog, loaded at construction through the
// manager's own AuthManager (cache, then live discovery of the manager's regions, then the
// bundled data; CatalogConfig). Each call runs the call engine (src/engine/) over the targets
// (model, region, access method) the catalog gives: same-target retries for transient errors,
// failover for errors the target causes, an immediate stop for errors the request causes, fallbacks
// recorded as warnings, per-target breakers and, when RetryConfig::rate_control asks for it,
// per-target rate control. What the manager learns (this model needs a profile in this region, this
// target rejects these request fields) stays with this manager.

#include <llmm/auth_config.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/client_config.hpp>
#include <llmm/configuration_report.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/llm_manager_options.hpp>
#include <llmm/model_catalog.hpp>
#include <llmm/model_specific_config.hpp>
#include <llmm/response_validation.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace llmm {

class AuthManager;
class StreamingResponse;
struct StreamOptions;
struct StreamEvent;

// Per-call options.
// A value type: not synchronized. on_attempt runs on the event-loop thread, concurrently with
// the caller's threads: it must synchronize what it shares with them.
struct CallOptions {
  std::optional<ResponseValidationConfig> validation;
  std::optional<AccessMethod> access_method_preference;  // overrides RetryConfig's
  // Called on the event-loop thread as each attempt ends, with its error and the decision
  // taken (for progress displays; keep it quick).
  std::function<void(const Attempt&)> on_attempt;
  // This call's own limit, retries and failover included; the earlier of it and
  // RetryConfig::total_deadline applies. When it passes the transfer is cancelled and the call
  // ends with Timeout ("the request timeout of N ms passed ...").
  std::optional<std::chrono::milliseconds> timeout;
  // Only these of the manager's regions, in this order (RetryConfig::region_order is not
  // applied); empty: all of them. A name the manager was not built with is an
  // std::invalid_argument from the converse call.
  std::vector<std::string> regions;
  // A stop request cancels the call (from any thread): the transfer in flight is cancelled and
  // the response's error is Cancelled.
  std::stop_token cancel;
  // This call's model-specific request fields instead of the manager's
  // (LLMManagerOptions::model_specific).
  std::optional<ModelSpecificConfig> model_specific;
  // Ask for the Anthropic 1M-context beta on this call: the model-specific fields in force (this
  // call's or the manager's) with enable_extended_context set.
  bool enable_extended_context = false;
};

// Counters since the manager was built (read at any time, from any thread).
// A value type: a snapshot; stats() itself may be called from any thread.
struct ManagerStats {
  std::uint64_t calls = 0;
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;          // same-target retries after a transient error
  std::uint64_t failovers = 0;        // moves to another target
  std::uint64_t access_switches = 0;  // same target, another access method
  std::uint64_t fallbacks = 0;        // resends without a rejected feature or parameters
  std::uint64_t breaker_opens = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  // Attempts a target's rate controller held back (RetryConfig::rate_control), and how long
  // they waited in all (a wait the call's end cut short counts as far as it went).
  std::uint64_t rate_limited_waits = 0;
  std::chrono::milliseconds rate_limited_wait_time{0};
  // Prompt caching, over the successful calls: those that read from the cache, and the tokens
  // read from and written to it (TokenUsage's cache counts).
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_read_tokens = 0;
  std::uint64_t cache_write_tokens = 0;
};

// How one configured model resolves in one region (from the catalog).
// A value type: not synchronized.
struct ModelAccessInfo {
  std::string model_name;
  std::string model_id;  // the foundation model id
  std::string region;
  std::optional<std::string> direct_id;  // set when the model is callable on demand
  std::optional<std::string> regional_profile_id;
  std::optional<std::string> global_profile_id;
};

// Thread-safe: converse*(), model_access(), stats() and the getters may be called from any
// thread concurrently; the blocking forms must not be called from a completion callback (the
// event-loop thread). The destructor must not race calls; calls in flight finish with Cancelled.
class LLMManager {
 public:
  using Callback = std::function<void(BedrockResponse)>;

  // Loads the catalog (CatalogConfig; an empty CatalogConfig::regions means the manager's
  // regions) before returning. An empty region list means the environment's region
  // (AWS_REGION, AWS_DEFAULT_REGION, the active profile's `region`). Throws ConfigurationError
  // for an empty model list, a blank model or region, no region given and none configured,
  // a model name that resolves to nothing (with suggestions) or to two models, or when no
  // model is offered in any configured region (saying where each model is offered);
  // CatalogUnavailableError when the catalog could be had from no source;
  // std::invalid_argument for an out-of-range RetryConfig or CatalogConfig; and what
  // AuthManager throws.
  //
  //   LLMManager manager({.models = {"Claude 3 Haiku"}, .regions = {"us-east-1"}});
  explicit LLMManager(LLMManagerOptions options);
  // The same, positionally (the options' fields in their order).
  LLMManager(std::vector<std::string> models, std::vector<std::string> regions,
             AuthConfig auth_config = {}, RetryConfig retry_config = {},
             ClientConfig client_config = {}, CatalogConfig catalog_config = {}, Seams seams = {});
  ~LLMManager();
  LLMManager(const LLMManager&) = delete;
  LLMManager& operator=(const LLMManager&) = delete;

  // Never throws for request outcomes: a failed call is a response with error set. Throws
  // std::invalid_argument for an invalid CallOptions::validation.
  [[nodiscard]] BedrockResponse converse(const ConverseRequest& request,
                                         const CallOptions& options = {}) const;
  // The callback runs on the transport's event-loop thread, never inline.
  void converse_async(const ConverseRequest& request, Callback callback,
                      const CallOptions& options = {}) const;
  // As converse(), but throws RetryExhaustedError (carrying the attempts) when the call failed.
  BedrockResponse converse_or_throw(const ConverseRequest& request,
                                    const CallOptions& options = {}) const;

  // ConverseStream through the same engine: failover before the first content event exactly as
  // converse(), recovery after it (StreamOptions). Never throws for request outcomes; throws
  // std::invalid_argument when options.call.validation is set (not offered for streams).
  [[nodiscard]] StreamingResponse converse_stream(const ConverseRequest& request,
                                                  const StreamOptions& options) const;
  [[nodiscard]] StreamingResponse converse_stream(const ConverseRequest& request) const;
  // The callback form: `on_event` for each event, then `on_done` once, both on the event-loop
  // thread.
  void converse_stream_async(const ConverseRequest& request,
                             std::function<void(const StreamEvent&)> on_event, Callback on_done,
                             const StreamOptions& options) const;

  // Access for one configured model name in one region; nullopt when it is not offered there.
  [[nodiscard]] std::optional<ModelAccessInfo> model_access(const std::string& model_name,
                                                            const std::string& region) const;
  [[nodiscard]] ManagerStats stats() const noexcept;
  // What a call would try, per configured model and region, and why not where it would not
  // (ConfigurationReport). No service call; what the manager learned (profiles needed, open
  // breakers) is taken into account.
  [[nodiscard]] ConfigurationReport validate_configuration() const;
  // Loads the catalog again, skipping the cache (live discovery of the manager's regions, else
  // the bundled data, as at construction), and rebuilds the targets from it in one step: calls
  // in flight keep the targets they were planned with, calls started afterwards get the new ones.
  // Throws CatalogUnavailableError when no source worked and the bundled fallback is off (the
  // previous catalog and targets stay), ConfigurationError when no configured model would be
  // offered in any region (the previous targets stay; catalog() shows the new load), and
  // std::logic_error on the event-loop thread. One refresh at a time; calls go on meanwhile.
  void refresh_model_data();

  [[nodiscard]] const std::vector<std::string>& models() const noexcept;
  [[nodiscard]] const std::vector<std::string>& regions() const noexcept;
  [[nodiscard]] const ClientConfig& client_config() const noexcept;
  [[nodiscard]] const RetryConfig& retry_config() const noexcept;
  // The AuthManager every client of this manager comes from, its catalog's included.
  [[nodiscard]] AuthManager& auth_manager() const noexcept;
  // The catalog the targets were built from: its source (cache, discovery, bundled), warnings
  // and the regions whose discovery failed. A region whose discovery failed is served from the
  // bundled data's facts for it (see catalog_warnings()).
  [[nodiscard]] const BedrockModelCatalog& catalog() const noexcept;
  // What the last catalog load noticed (construction's, or refresh_model_data()'s): the catalog's
  // own warnings, and each region taken from the bundled data because its discovery failed.
  [[nodiscard]] std::vector<std::string> catalog_warnings() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
