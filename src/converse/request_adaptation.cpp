#include "converse/request_adaptation.hpp"

#include "converse/cache_points.hpp"

#include <algorithm>

namespace llmm::converse {
namespace {

bool is_tool_block(const ContentBlock& block) {
  return std::holds_alternative<ToolUseBlock>(block) ||
         std::holds_alternative<ToolResultBlock>(block);
}

bool holds_modality(const ContentBlock& block, Modality modality) {
  const auto kind = media_modality(block);
  return kind && *kind == modality;
}

}  // namespace

bool carries(const ConverseRequest& request, engine::RejectedFeature feature) {
  using engine::RejectedFeature;
  if (feature == RejectedFeature::Tools) return request.tool_config.has_value();
  if (feature == RejectedFeature::Guardrails) return request.guardrail_config.has_value();
  if (feature == RejectedFeature::CachePoints) return count_cache_points(request) > 0;
  const auto modality = engine::modality_of(feature);
  for (const Message& message : request.messages) {
    for (const ContentBlock& block : message.content) {
      if (modality && holds_modality(block, *modality)) return true;
    }
  }
  return false;
}

std::optional<AdaptedRequest> adapt(const ConverseRequest& original, const Adaptation& adaptation) {
  AdaptedRequest adapted{original, {}};
  ConverseRequest& request = adapted.request;
  if (adaptation.drop_parameters && request.additional_model_request_fields) {
    request.additional_model_request_fields.reset();
    adapted.dropped.emplace_back("additionalModelRequestFields");
  }
  for (engine::RejectedFeature feature : adaptation.drop_features) {
    if (!carries(request, feature)) continue;
    adapted.dropped.emplace_back(engine::describe(feature));
    if (feature == engine::RejectedFeature::Tools) {
      request.tool_config.reset();
      continue;
    }
    if (feature == engine::RejectedFeature::Guardrails) {
      request.guardrail_config.reset();
      continue;
    }
    if (feature == engine::RejectedFeature::CachePoints) {
      remove_cache_points(request);
      // A message of cache points only is left empty; system and tools may be left empty.
      for (const Message& message : request.messages) {
        if (message.content.empty()) return std::nullopt;
      }
      if (request.tool_config && request.tool_config->tools.empty()) request.tool_config.reset();
      continue;
    }
    const Modality modality = *engine::modality_of(feature);
    for (Message& message : request.messages) {
      std::erase_if(message.content,
                    [&](const ContentBlock& block) { return holds_modality(block, modality); });
      if (message.content.empty()) return std::nullopt;
    }
  }
  if (!request.tool_config) {
    // Bedrock refuses tool use or tool results in a conversation without a toolConfig.
    for (const Message& message : request.messages) {
      if (original.tool_config &&
          std::any_of(message.content.begin(), message.content.end(), is_tool_block)) {
        return std::nullopt;
      }
    }
  }
  return adapted;
}

}  // namespace llmm::converse
