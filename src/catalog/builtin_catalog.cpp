#include "catalog/builtin_catalog.hpp"

#include <algorithm>

namespace llmm::catalog {
namespace {

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

const std::vector<std::string> kUs = {"us-east-1", "us-west-2"};
const std::vector<std::string> kEu = {"eu-west-1", "eu-central-1"};
const std::vector<std::string> kApac = {"ap-northeast-1", "ap-southeast-2"};
const std::vector<std::string> kAll = {"us-east-1",    "us-west-2",      "eu-west-1",
                                       "eu-central-1", "ap-northeast-1", "ap-southeast-2"};

ModelInfo text_model(std::string id, std::string name, std::string provider,
                     std::vector<std::string> inputs, std::string start_of_life,
                     std::vector<std::string> on_demand, std::vector<std::string> profile_only) {
  ModelInfo model;
  model.model_id = std::move(id);
  model.model_name = std::move(name);
  model.provider_name = std::move(provider);
  model.input_modalities = std::move(inputs);
  model.output_modalities = {"TEXT"};
  model.start_of_life = std::move(start_of_life);
  model.on_demand_regions = std::move(on_demand);
  model.profile_only_regions = std::move(profile_only);
  return model;
}

// The top-level additionalModelRequestFields keys a provider's models accept on Converse: the
// native request fields Converse has no member of its own for (public Bedrock model-parameter
// pages). A key outside the list gets "extraneous key [KEY] is not permitted".
std::vector<std::string> request_fields_of(std::string_view provider) {
  // Messages API fields beyond inferenceConfig: version, beta flags, top_k, extended thinking.
  if (provider == "Anthropic") return {"anthropic_beta", "anthropic_version", "top_k", "thinking"};
  // Nova: topK and friends go in an inferenceConfig object; reasoningConfig is extended thinking.
  if (provider == "Amazon") return {"inferenceConfig", "reasoningConfig"};
  // Mistral Large's native body is prompt, max_tokens, stop, temperature, top_p, top_k: only
  // top_k has no Converse member.
  if (provider == "Mistral AI") return {"top_k"};
  // Meta Llama's native body is prompt, temperature, top_p, max_gen_len, all filled from the
  // Converse request, so no extra key is accepted (top_k is the classic refusal).
  return {};
}

// One system-defined profile per geography prefix; its name follows the real service's pattern
// ("US Anthropic Claude 3 Haiku").
void add_profile(Catalog& catalog, const ModelInfo& model, std::string_view prefix,
                 std::string_view label, const std::vector<std::string>& regions,
                 std::string created_at) {
  InferenceProfileInfo profile;
  profile.profile_id = std::string(prefix) + "." + model.model_id;
  profile.name = std::string(label) + " " + model.provider_name + " " + model.model_name;
  profile.model_id = model.model_id;
  profile.regions = regions;
  profile.created_at = std::move(created_at);
  catalog.profiles.push_back(std::move(profile));
}

Catalog make_catalog() {
  Catalog catalog;
  auto& models = catalog.models;
  const std::vector<std::string> text_image = {"TEXT", "IMAGE"};
  const std::vector<std::string> text_only = {"TEXT"};
  const std::vector<std::string> text_image_video = {"TEXT", "IMAGE", "VIDEO"};

  models.push_back(text_model("anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku",
                              "Anthropic", text_image, "2024-03-07T00:00:00Z", kAll, {}));
  models.push_back(text_model("anthropic.claude-3-5-haiku-20241022-v1:0", "Claude 3.5 Haiku",
                              "Anthropic", text_only, "2024-10-22T00:00:00Z", kUs, {}));
  // Profile-only in the US regions: the bare id answers the on-demand ValidationException.
  models.push_back(text_model("anthropic.claude-3-7-sonnet-20250219-v1:0", "Claude 3.7 Sonnet",
                              "Anthropic", text_image, "2025-02-19T00:00:00Z", {}, kUs));
  models.back().lifecycle_status = "LEGACY";
  models.push_back(text_model("anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4",
                              "Anthropic", text_image, "2025-05-14T00:00:00Z", {}, kAll));
  models.push_back(text_model("amazon.nova-pro-v1:0", "Nova Pro", "Amazon", text_image_video,
                              "2024-12-03T00:00:00Z", kAll, {}));
  models.push_back(text_model("amazon.nova-lite-v1:0", "Nova Lite", "Amazon", text_image_video,
                              "2024-12-03T00:00:00Z", kAll, {}));
  models.push_back(text_model("amazon.nova-micro-v1:0", "Nova Micro", "Amazon", text_only,
                              "2024-12-03T00:00:00Z", kAll, {}));
  models.push_back(text_model("meta.llama3-1-8b-instruct-v1:0", "Llama 3.1 8B Instruct", "Meta",
                              text_only, "2024-07-23T00:00:00Z", kUs, {}));
  models.push_back(text_model("meta.llama3-2-3b-instruct-v1:0", "Llama 3.2 3B Instruct", "Meta",
                              text_only, "2024-09-25T00:00:00Z", {},
                              {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}));
  models.push_back(text_model("mistral.mistral-large-2402-v1:0", "Mistral Large (24.02)",
                              "Mistral AI", text_only, "2024-02-26T00:00:00Z",
                              {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}, {}));
  ModelInfo embed = text_model("amazon.titan-embed-text-v1", "Titan Embeddings G1 - Text",
                               "Amazon", text_only, "2023-09-28T00:00:00Z", kAll, {});
  embed.output_modalities = {"EMBEDDING"};
  embed.streaming = false;
  embed.converse = false;
  models.push_back(std::move(embed));
  models[0].customizations = {"FINE_TUNING"};  // Claude 3 Haiku, as in the public catalog
  models[6].customizations = {"FINE_TUNING", "DISTILLATION"};  // Nova Micro

  // Converse capabilities, from the public "Supported models and model features" table: the
  // "Meta Llama 3.2 1b and Llama 3.2 3b" row has no tool use, the Nova Micro row no document chat.
  for (ModelInfo& model : models) {
    if (model.converse) model.request_fields = request_fields_of(model.provider_name);
    if (model.model_id == "meta.llama3-2-3b-instruct-v1:0") model.tool_use = false;
    if (model.model_id == "amazon.nova-micro-v1:0") model.documents = false;
    // anthropic_beta flags per model, from Bedrock's Claude Messages API page (a short list).
    if (model.model_id == "anthropic.claude-3-7-sonnet-20250219-v1:0") {
      model.beta_flags = {"token-efficient-tools-2025-02-19", "output-128k-2025-02-19",
                          "computer-use-2025-01-24"};
    } else if (model.model_id == "anthropic.claude-sonnet-4-20250514-v1:0") {
      model.beta_flags = {"interleaved-thinking-2025-05-14", "context-1m-2025-08-07"};
    }
  }

  const std::string created = "2024-08-27T20:48:39.514Z";
  for (const ModelInfo& model : catalog.models) {
    if (model.model_id.starts_with("anthropic.claude-3-haiku") ||
        model.model_id.starts_with("amazon.nova")) {
      add_profile(catalog, model, "us", "US", kUs, created);
      add_profile(catalog, model, "eu", "EU", kEu, created);
      add_profile(catalog, model, "apac", "APAC", kApac, created);
    } else if (model.model_id.starts_with("anthropic.claude-3-5-haiku") ||
               model.model_id.starts_with("anthropic.claude-3-7-sonnet") ||
               model.model_id.starts_with("meta.llama3-1-8b")) {
      add_profile(catalog, model, "us", "US", kUs, "2025-02-24T18:00:00.000Z");
    } else if (model.model_id.starts_with("anthropic.claude-sonnet-4")) {
      add_profile(catalog, model, "us", "US", kUs, "2025-05-22T12:00:00.000Z");
      add_profile(catalog, model, "eu", "EU", kEu, "2025-05-22T12:00:00.000Z");
      add_profile(catalog, model, "apac", "APAC", kApac, "2025-05-22T12:00:00.000Z");
      add_profile(catalog, model, "global", "Global",
                  {"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"},
                  "2025-09-15T12:00:00.000Z");
    } else if (model.model_id.starts_with("meta.llama3-2-3b")) {
      add_profile(catalog, model, "us", "US", kUs, "2024-09-25T12:00:00.000Z");
      add_profile(catalog, model, "eu", "EU", kEu, "2024-09-25T12:00:00.000Z");
    }
  }
  return catalog;
}

}  // namespace

const ModelInfo* Catalog::find_model(std::string_view model_id) const {
  for (const ModelInfo& model : models) {
    if (model.model_id == model_id) return &model;
  }
  return nullptr;
}

const InferenceProfileInfo* Catalog::find_profile(std::string_view profile_id) const {
  for (const InferenceProfileInfo& profile : profiles) {
    if (profile.profile_id == profile_id) return &profile;
  }
  return nullptr;
}

const Catalog& builtin_catalog() {
  static const Catalog catalog = make_catalog();
  return catalog;
}

bool offered_in(const ModelInfo& model, std::string_view region) {
  return contains(model.on_demand_regions, region) || contains(model.profile_only_regions, region);
}

bool on_demand_in(const ModelInfo& model, std::string_view region) {
  return contains(model.on_demand_regions, region);
}

bool profile_callable_in(const InferenceProfileInfo& profile, std::string_view region) {
  return contains(profile.regions, region);
}

std::string foundation_model_arn(std::string_view region, std::string_view model_id) {
  return "arn:aws:bedrock:" + std::string(region) + "::foundation-model/" + std::string(model_id);
}

std::string inference_profile_arn(std::string_view region, std::string_view profile_id) {
  return "arn:aws:bedrock:" + std::string(region) + ":" + std::string(kFakeAccountId) +
         ":inference-profile/" + std::string(profile_id);
}

}  // namespace llmm::catalog
