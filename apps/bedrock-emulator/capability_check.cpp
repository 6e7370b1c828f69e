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
  // Prompt caching: the real wording for a cache point the model does not take (seen in public
  // reports for models without caching; we send it for a part without caching too). Over four
  // cache points, an Anthropic model's own error as Bedrock relays it; the others' is ours.
  for (const CachePoint& point : input.cache_points) {
    if (!contains(model.prompt_caching, std::string(point.part)))
      return std::string(kNoPromptCaching);
  }
  if (input.cache_points.size() > kMaxCachePoints) {
    const std::string found = std::to_string(input.cache_points.size());
    if (model.provider_name == "Anthropic") {
      return "The model returned the following errors: A maximum of " +
             std::to_string(kMaxCachePoints) +
             " blocks with cache_control may be provided. Found " + found + ".";
    }
    return "A request may hold at most " + std::to_string(kMaxCachePoints) +
           " cache points (cachePoint blocks); this one holds " + found + ".";
  }
  return std::nullopt;
}

}  // namespace bedrock_emulator
