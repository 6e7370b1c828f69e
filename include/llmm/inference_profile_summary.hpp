#pragma once
// One entry of ListInferenceProfiles (wire doc §9), and the request's filters.

#include <optional>
#include <string>
#include <vector>

namespace llmm {

// The types in this header are value types: not synchronized.
struct InferenceProfileSummary {
  std::string inference_profile_id;    // us.anthropic.claude-3-haiku-20240307-v1:0
  std::string inference_profile_arn;   // arn:aws:bedrock:{region}:{account}:inference-profile/{id}
  std::string inference_profile_name;  // "US Anthropic Claude 3 Haiku"
  std::string description;
  std::string created_at;  // RFC 3339, as sent
  std::string updated_at;
  std::vector<std::string> model_arns;  // models[].modelArn: one per region the profile routes to
  std::string status;                   // ACTIVE
  std::string type;                     // SYSTEM_DEFINED | APPLICATION
};

struct ListInferenceProfilesFilter {
  // Page size (1-1000); unset leaves it to the service. Every page is fetched either way.
  std::optional<int> max_results;
  // SYSTEM_DEFINED or APPLICATION; empty lists both. Sent on the wire as `type`.
  std::string type_equals;
};

}  // namespace llmm
