#pragma once
// A place a call can go: one model in one region, reached through one or more access routes
// (its model id, its regional or global inference profile), each signed by the region's signer.

#include "auth/request_signer.hpp"
#include "engine/fault_triage.hpp"

#include <llmm/access_method.hpp>

#include <set>
#include <string>
#include <vector>

namespace llmm::engine {

struct AccessRoute {
  AccessMethod method = AccessMethod::Direct;
  std::string id;  // sent as modelId (or recorded as the target of a control-plane call)
};

struct Target {
  std::string model_name;  // as configured; the model id for one-target clients
  std::string model_id;    // the foundation model id (learned facts and breakers key on it)
  std::string region;
  std::vector<AccessRoute> routes;  // in the order to try them; never empty
  // What the catalog says the model does not accept (empty when it does not know).
  std::set<RejectedFeature> unsupported;
  auth::RequestSigner signer;
  // The catalog lists the Anthropic 1M-context beta flag for the model (ModelSpecificConfig).
  bool accepts_extended_context = false;
  // Where the catalog says the model takes prompt-cache points (CacheConfig): tools, system,
  // messages; none when it does not take them or the catalog does not know.
  bool caches_tools = false;
  bool caches_system = false;
  bool caches_messages = false;

  [[nodiscard]] std::string breaker_key() const { return model_id + "@" + region; }
};

}  // namespace llmm::engine
