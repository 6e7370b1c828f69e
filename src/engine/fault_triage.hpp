#pragma once
// What a failed attempt says about where the fault lies (DESIGN.md §3): in the target (move on),
// in this target's access method (switch to its profile), in something the target rejects
// (drop it and resend), or in the request itself (stop at once). The message patterns are the
// service's wording (wire doc §5, reference-system.md §3.5-3.8), matched case-insensitively with
// typographic apostrophes folded to ASCII.

#include <llmm/content_block.hpp>
#include <llmm/error.hpp>

#include <optional>
#include <string>

namespace llmm::engine {

enum class Fault {
  Transient,        // throttling, 5xx, socket timeouts, connection errors, a damaged stream
  Target,           // this target cannot serve the call (access, absent model, model failure)
  ProfileRequired,  // "on-demand throughput isn't supported": use the target's profile
  Parameters,       // additionalModelRequestFields rejected
  Feature,          // a media kind, tools or guardrails rejected by this model
  Request,          // the request is malformed: no target will accept it
  Fatal,            // credentials rejected, cancelled, client-side failure: stop
};

enum class RejectedFeature { Image, Document, Video, Audio, Tools, Guardrails, CachePoints };

struct Triage {
  Fault fault = Fault::Fatal;
  std::optional<RejectedFeature> feature;  // set for Fault::Feature
};

Triage triage(const Error& error);

const char* describe(RejectedFeature feature) noexcept;  // "image blocks", "tools", ...
// The media modality a rejected feature stands for, if it is one.
std::optional<Modality> modality_of(RejectedFeature feature) noexcept;

}  // namespace llmm::engine
