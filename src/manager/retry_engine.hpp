#pragma once
// The one retry loop of a call (DESIGN.md §3). For each failed attempt it decides: retry the
// same target after a backoff (transient errors, up to 1 + retries_max_attempts tries), switch
// the target's access method at once (profile required, or the id refused), resend at once
// without what the target rejected (fields, media, tools, guardrails), move on to the next
// target, or stop (the request's own fault, credentials, limits). A first visit to another
// target is immediate; only a revisit waits. Waits are transport timers, never sleeping threads.

#include "clients/request_signer.hpp"
#include "http/transport.hpp"
#include "manager/manager_memory.hpp"

#include <llmm/bedrock_response.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/retry_config.hpp>
#include <llmm/seams.hpp>
#include <llmm/stream_event.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace llmm::manager {

struct AccessRoute {
  AccessMethod method = AccessMethod::Direct;
  std::string id;  // sent as modelId
};

struct TargetSpec {
  std::string model_name;
  std::string model_id;
  std::string region;
  std::vector<AccessRoute> routes;  // in the order to try them
  // What the model table says the model does not accept (empty when it does not know).
  std::set<retry::RejectedFeature> unsupported;
  clients::RequestSigner signer;
};

struct EngineSettings {
  RetryConfig retry;
  int retries_max_attempts = 3;  // same-target retries, from the ClientConfig
  Seams seams;
  http::Transport* transport = nullptr;  // outlives every call (owned by the AuthManager)
  std::shared_ptr<ManagerMemory> memory;
};

// What makes a call a ConverseStream call.
struct StreamSettings {
  std::function<void(const StreamEvent&)> on_event;  // loop thread, in order
  std::optional<std::chrono::milliseconds> first_token_timeout;
  bool recover = true;  // continue on the next target after content has started
};

// Gives a call its targets, in order; runs on the loop thread when the call starts. An empty
// list fails the call at once with ModelNotFound.
using TargetPlanner = std::function<std::vector<TargetSpec>()>;

// Runs one call; everything, `plan` and `done` included, runs on the loop thread.
void run_call(const EngineSettings& settings, TargetPlanner plan, ConverseRequest request,
              CallOptions options, std::function<void(BedrockResponse)> done,
              std::optional<StreamSettings> stream = std::nullopt);

}  // namespace llmm::manager
