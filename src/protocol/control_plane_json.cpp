#include "protocol/control_plane_json.hpp"

#include <nlohmann/json.hpp>

namespace llmm::protocol {
namespace {

using nlohmann::json;

Error malformed(std::string what) {
  return Error{ErrorCode::Internal, "malformed ListFoundationModels response: " + std::move(what)};
}

Error malformed_profiles(std::string what) {
  return Error{ErrorCode::Internal, "malformed ListInferenceProfiles response: " + std::move(what)};
}

std::string string_or_empty(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_or_empty(const json& object, const char* name) {
  std::vector<std::string> values;
  auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return values;
  for (const auto& value : *it) {
    if (value.is_string()) values.push_back(value.get<std::string>());
  }
  return values;
}

}  // namespace

Result<std::vector<FoundationModelSummary>> decode_foundation_models(std::string_view body) {
  const auto document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object())
    return malformed("the body is not a JSON object");
  const auto list = document.find("modelSummaries");
  if (list == document.end() || !list->is_array()) return malformed("no \"modelSummaries\" array");

  std::vector<FoundationModelSummary> models;
  for (const auto& entry : *list) {
    if (!entry.is_object()) return malformed("a summary is not an object");
    FoundationModelSummary model;
    model.model_id = string_or_empty(entry, "modelId");
    model.model_arn = string_or_empty(entry, "modelArn");
    if (model.model_id.empty()) return malformed("a summary has no modelId");
    model.model_name = string_or_empty(entry, "modelName");
    model.provider_name = string_or_empty(entry, "providerName");
    model.input_modalities = strings_or_empty(entry, "inputModalities");
    model.output_modalities = strings_or_empty(entry, "outputModalities");
    model.inference_types_supported = strings_or_empty(entry, "inferenceTypesSupported");
    if (auto it = entry.find("responseStreamingSupported"); it != entry.end() && it->is_boolean()) {
      model.response_streaming_supported = it->get<bool>();
    }
    if (auto it = entry.find("modelLifecycle"); it != entry.end() && it->is_object()) {
      model.lifecycle_status = string_or_empty(*it, "status");
      model.start_of_life = string_or_empty(*it, "startOfLifeTime");
    }
    model.customizations_supported = strings_or_empty(entry, "customizationsSupported");
    models.push_back(std::move(model));
  }
  return models;
}

Result<InferenceProfilePage> decode_inference_profiles(std::string_view body) {
  const auto document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return malformed_profiles("the body is not a JSON object");
  }
  const auto list = document.find("inferenceProfileSummaries");
  if (list == document.end() || !list->is_array()) {
    return malformed_profiles("no \"inferenceProfileSummaries\" array");
  }
  InferenceProfilePage page;
  for (const auto& entry : *list) {
    if (!entry.is_object()) return malformed_profiles("a summary is not an object");
    InferenceProfileSummary profile;
    profile.inference_profile_id = string_or_empty(entry, "inferenceProfileId");
    if (profile.inference_profile_id.empty()) {
      return malformed_profiles("a summary has no inferenceProfileId");
    }
    profile.inference_profile_arn = string_or_empty(entry, "inferenceProfileArn");
    profile.inference_profile_name = string_or_empty(entry, "inferenceProfileName");
    profile.description = string_or_empty(entry, "description");
    profile.created_at = string_or_empty(entry, "createdAt");
    profile.updated_at = string_or_empty(entry, "updatedAt");
    profile.status = string_or_empty(entry, "status");
    profile.type = string_or_empty(entry, "type");
    if (auto models = entry.find("models"); models != entry.end() && models->is_array()) {
      for (const auto& model : *models) {
        if (!model.is_object()) continue;
        std::string arn = string_or_empty(model, "modelArn");
        if (!arn.empty()) profile.model_arns.push_back(std::move(arn));
      }
    }
    page.summaries.push_back(std::move(profile));
  }
  if (auto token = document.find("nextToken"); token != document.end() && !token->is_null()) {
    if (!token->is_string()) return malformed_profiles("\"nextToken\" is not a string");
    page.next_token = token->get<std::string>();
  }
  return page;
}

}  // namespace llmm::protocol
