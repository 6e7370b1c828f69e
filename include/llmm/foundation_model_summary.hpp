#pragma once
// One entry of ListFoundationModels (wire doc §9).

#include <string>
#include <vector>

namespace llmm {

// The types in this header are value types: not synchronized.
struct FoundationModelSummary {
  std::string model_arn;
  std::string model_id;
  std::string model_name;
  std::string provider_name;
  std::vector<std::string> input_modalities;  // TEXT, IMAGE, ... (an open set)
  std::vector<std::string> output_modalities;
  bool response_streaming_supported = false;
  std::vector<std::string> inference_types_supported;  // ON_DEMAND, PROVISIONED, INFERENCE_PROFILE
  std::string lifecycle_status;                        // ACTIVE, LEGACY
  std::vector<std::string> customizations_supported;   // FINE_TUNING, ...
  std::string start_of_life;                           // modelLifecycle.startOfLifeTime (RFC 3339)
};

struct ListFoundationModelsFilter {
  std::string by_provider;
  std::string by_output_modality;
  std::string by_inference_type;
  std::string by_customization_type;
};

}  // namespace llmm
