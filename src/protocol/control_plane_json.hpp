#pragma once
// Control-plane response bodies (wire doc §9).

#include <llmm/foundation_model_summary.hpp>
#include <llmm/result.hpp>

#include <string_view>
#include <vector>

namespace llmm::protocol {

// {"modelSummaries": [...]}; a malformed body gives an Internal error saying what was wrong.
Result<std::vector<FoundationModelSummary>> decode_foundation_models(std::string_view body);

}  // namespace llmm::protocol
