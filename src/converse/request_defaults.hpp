#pragma once
// What a manager adds to each call's request: its default inference values under the call's own
// (when the call starts), and the model-specific request fields of the target each attempt goes
// to (model_specific_config.hpp). The caller's request is never changed.

#include <llmm/converse_request.hpp>
#include <llmm/model_specific_config.hpp>

#include <optional>
#include <string>

namespace llmm::converse {

// Each value `call` leaves unset (stop sequences: empty) takes the default's.
[[nodiscard]] InferenceConfig with_defaults(const InferenceConfig& call,
                                            const InferenceConfig& defaults);

// Merges `config` into `request`'s additionalModelRequestFields for a target that does or does
// not take the extended-context beta flag. Returns what was left out because the target does not
// take it ("extended context (context-1m-2025-08-07)"), nullopt when all of it went in.
// Throws std::invalid_argument when the request's own fields are not an object to merge into.
std::optional<std::string> apply_model_specific(ConverseRequest& request,
                                                const ModelSpecificConfig& config,
                                                bool accepts_extended_context);

}  // namespace llmm::converse
