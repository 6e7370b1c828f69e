#pragma once
// What a model refuses on Converse / ConverseStream because it lacks the capability: media blocks
// of a modality it does not take, a toolConfig without tool use, additionalModelRequestFields
// keys and anthropic_beta flags it does not know, cache points where it has no prompt caching
// (or more than Bedrock takes). Facts come from the model table (catalog.hpp).

#include "catalog.hpp"
#include "converse_request.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bedrock_emulator {

// The ValidationException message (HTTP 400) the real service answers with, or nullopt when the
// model accepts the request. Checked in this order: media blocks (first kind in the request
// first), toolConfig, additionalModelRequestFields keys, anthropic_beta flags, cache points (a
// part without prompt caching, then more than kMaxCachePoints).
std::optional<std::string> capability_violation(const ModelInfo& model, const ConverseInput& input);

// Bedrock's message for a cache point the model does not take.
inline constexpr std::string_view kNoPromptCaching =
    "You invoked an unsupported model or your request did not allow prompt caching. See the "
    "documentation for more information.";

}  // namespace bedrock_emulator
