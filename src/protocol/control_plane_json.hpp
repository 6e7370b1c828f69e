#pragma once
// Control-plane response bodies (wire doc §9).

#include <llmm/foundation_model_summary.hpp>
#include <llmm/inference_profile_summary.hpp>
#include <llmm/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace llmm::protocol {

// {"modelSummaries": [...]}; a malformed body gives an Internal error saying what was wrong.
Result<std::vector<FoundationModelSummary>> decode_foundation_models(std::string_view body);

// One page of ListInferenceProfiles: {"inferenceProfileSummaries": [...], "nextToken"?}.
struct InferenceProfilePage {
  std::vector<InferenceProfileSummary> summaries;
  std::string next_token;  // empty on the last page
};

// A malformed body (not an object, no summaries array, a summary without inferenceProfileId)
// gives an Internal error saying what was wrong.
Result<InferenceProfilePage> decode_inference_profiles(std::string_view body);

}  // namespace llmm::protocol
