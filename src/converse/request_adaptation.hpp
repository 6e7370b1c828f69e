#pragma once
// The per-target copy of a request, with what that target cannot take left out: the request
// fields it rejected, media blocks of a modality it does not accept, tools, guardrails, cache
// points. The
// caller's request is never changed; the next target starts again from the original.

#include "engine/fault_triage.hpp"

#include <llmm/converse_request.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace llmm::converse {

struct Adaptation {
  bool drop_parameters = false;
  std::set<engine::RejectedFeature> drop_features;

  [[nodiscard]] bool empty() const noexcept { return !drop_parameters && drop_features.empty(); }
};

struct AdaptedRequest {
  ConverseRequest request;
  std::vector<std::string> dropped;  // what was actually removed ("image blocks", ...)
};

// True when `request` carries what `feature` names (so dropping it changes something).
bool carries(const ConverseRequest& request, engine::RejectedFeature feature);

// nullopt when the target cannot be used without what it rejects: a message left with no
// content, or tools dropped from a conversation that already holds tool use.
std::optional<AdaptedRequest> adapt(const ConverseRequest& original, const Adaptation& adaptation);

}  // namespace llmm::converse
