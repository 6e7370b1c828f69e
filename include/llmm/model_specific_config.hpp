#pragma once
// Request fields for the model a call lands on (the seed's ModelSpecificConfig): fields merged
// into additionalModelRequestFields, and the Anthropic 1M-context beta. Merged per target, so a
// call that fails over from a model that takes them to one that does not sends each what it
// accepts:
//   - custom_fields are merged over the request's own additionalModelRequestFields (a key in
//     both takes custom_fields' value), except `anthropic_beta` lists, which are joined in order
//     without repeats;
//   - enable_extended_context adds "context-1m-2025-08-07" to anthropic_beta for a model whose
//     catalog entry lists that flag; for any other model it is left out with a warning on the
//     response.
// Set on LLMManagerOptions::model_specific (every call) or CallOptions (one call).

#include <llmm/json_value.hpp>

#include <string_view>

namespace llmm {

// The anthropic_beta flag enable_extended_context asks for.
inline constexpr std::string_view kExtendedContextBeta = "context-1m-2025-08-07";

// A value type: not synchronized.
struct ModelSpecificConfig {
  bool enable_extended_context = false;
  JsonValue custom_fields = JsonValue::object();  // an object

  // Throws std::invalid_argument when custom_fields is not a JSON object.
  void validate() const;
  friend bool operator==(const ModelSpecificConfig&, const ModelSpecificConfig&) = default;
};

}  // namespace llmm
