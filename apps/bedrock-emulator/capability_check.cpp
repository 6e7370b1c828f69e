#include "capability_check.hpp"

#include "core/string_list.hpp"

namespace bedrock_emulator {
namespace {

using llmm::contains;

bool accepts_media(const ModelInfo& model, const std::string& kind) {
  if (kind == "image") return contains(model.input_modalities, "IMAGE");
  if (kind == "video") return contains(model.input_modalities, "VIDEO");
  if (kind == "document") return model.documents;
  return true;
}

}  // namespace

// The messages follow the real service's wording as far as we know it (seen in public error
// reports): the modality one for content blocks, the tool-use one, and the model's own schema
// errors relayed after "The model returned the following errors: ".
std::optional<std::string> capability_violation(const ModelInfo& model,
                                                const ConverseInput& input) {
  for (const std::string& kind : input.media_kinds) {
    if (!accepts_media(model, kind)) {
      return "This model doesn't support the " + kind +
             " content block that you provided. Try again with a supported modality.";
    }
  }
  if (input.has_tool_config && !model.tool_use)
    return std::string("This model doesn't support tool use.");
  for (const std::string& key : input.request_field_keys) {
    if (!contains(model.request_fields, key)) {
      return "The model returned the following errors: extraneous key [" + key +
             "] is not permitted";
    }
  }
  for (const std::string& flag : input.beta_flags) {
    if (!contains(model.beta_flags, flag)) {
      return std::string("The model returned the following errors: invalid beta flag");
    }
  }
  return std::nullopt;
}

}  // namespace bedrock_emulator
