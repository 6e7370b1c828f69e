#pragma once
// The shapes of a model catalog: models (where each is offered, on demand or only through a
// profile, and what Converse accepts from it) and the system-defined inference profiles that
// route to them. The bundled data (bundled_catalog), the cache and live discovery all produce a
// Catalog; the manager builds its targets from one and the emulator serves one. The account in
// profile ARNs is the documented fake 123456789012.

#include <string>
#include <string_view>
#include <vector>

namespace llmm::catalog {

// The account id placed in inference-profile ARNs (a documentation value, not a real account).
inline constexpr std::string_view kFakeAccountId = "123456789012";

struct ModelInfo {
  std::string model_id;
  std::string model_name;
  std::string provider_name;
  std::vector<std::string> input_modalities;   // TEXT, IMAGE, VIDEO, ...
  std::vector<std::string> output_modalities;  // TEXT, IMAGE, EMBEDDING
  bool streaming = true;
  bool converse = true;                        // false for embedding models: Converse rejects them
  std::vector<std::string> customizations;     // FINE_TUNING, ...
  std::string lifecycle_status = "ACTIVE";     // ACTIVE | LEGACY
  std::string start_of_life;                   // RFC 3339
  std::vector<std::string> on_demand_regions;  // callable with the bare model id
  std::vector<std::string> profile_only_regions;  // offered, but only through an inference profile

  // Converse capabilities, from the public "Supported models and model features" table of the
  // Converse API (image and video follow input_modalities).
  bool tool_use = true;   // toolConfig accepted
  bool documents = true;  // document content blocks accepted ("document chat")
  // The top-level keys additionalModelRequestFields may hold (per provider); others are refused.
  std::vector<std::string> request_fields;
  // Anthropic only: the anthropic_beta flags the model accepts on Bedrock; others are refused.
  std::vector<std::string> beta_flags;
  // The parts of a Converse request where the model accepts cache points (prompt caching), any
  // of "tools", "system", "messages" (in that order); empty: no prompt caching, and a cachePoint
  // block anywhere is refused.
  std::vector<std::string> prompt_caching;
};

struct InferenceProfileInfo {
  std::string profile_id;            // us.<model>, eu.<model>, apac.<model>, global.<model>
  std::string name;                  // "US Anthropic Claude 3 Haiku"
  std::string model_id;              // the foundation model it routes to
  std::vector<std::string> regions;  // source regions (where it can be called) = routed regions
  std::string created_at;            // RFC 3339
};

struct Catalog {
  std::vector<ModelInfo> models;
  std::vector<InferenceProfileInfo> profiles;

  [[nodiscard]] const ModelInfo* find_model(std::string_view model_id) const;
  [[nodiscard]] const InferenceProfileInfo* find_profile(std::string_view profile_id) const;
};

bool offered_in(const ModelInfo& model, std::string_view region);  // either way
bool on_demand_in(const ModelInfo& model, std::string_view region);
bool profile_callable_in(const InferenceProfileInfo& profile, std::string_view region);

std::string foundation_model_arn(std::string_view region, std::string_view model_id);
std::string inference_profile_arn(std::string_view region, std::string_view profile_id);

}  // namespace llmm::catalog
