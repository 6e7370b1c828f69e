#include "control_plane.hpp"

#include "model_resolution.hpp"

#include "core/string_list.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace bedrock_emulator {
namespace {

using llmm::contains;

using nlohmann::json;

// The identifier as it may appear in a message: the path label is attacker-controlled bytes and
// the JSON writer rejects invalid UTF-8, so anything outside printable ASCII becomes '?'.
std::string printable(std::string_view text) {
  std::string out;
  for (unsigned char c : text.substr(0, 256))
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  return out;
}

std::optional<std::string> query_value(const ServiceRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

ResponsePlan validation(std::string message) {
  return error_plan("ValidationException", 400, std::move(message));
}

// Coral's enum-constraint wording, as the real service sends for a bad query enum.
std::optional<ResponsePlan> check_enum(const ServiceRequest& request, std::string_view name,
                                       std::initializer_list<std::string_view> allowed) {
  auto value = query_value(request, name);
  if (!value) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return std::nullopt;
  std::string set;
  for (std::string_view item : allowed) set += (set.empty() ? "" : ", ") + std::string(item);
  return validation(
      "1 validation error detected: Value '" + printable(*value) + "' at '" + std::string(name) +
      "' failed to satisfy constraint: Member must satisfy enum value set: [" + set + "]");
}

std::vector<std::string> inference_types(const Catalog& catalog, const ModelInfo& model,
                                         std::string_view region) {
  std::vector<std::string> types;
  if (on_demand_in(model, region)) types.emplace_back("ON_DEMAND");
  // The live service lists INFERENCE_PROFILE (wire doc §9) when a profile reaches the model.
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    if (profile.model_id == model.model_id && profile_callable_in(profile, region)) {
      types.emplace_back("INFERENCE_PROFILE");
      break;
    }
  }
  return types;
}

json model_json(const Catalog& catalog, const ModelInfo& model, std::string_view region) {
  json lifecycle = {{"status", model.lifecycle_status}};
  if (!model.start_of_life.empty()) lifecycle["startOfLifeTime"] = model.start_of_life;
  return {{"modelArn", foundation_model_arn(region, model.model_id)},
          {"modelId", model.model_id},
          {"modelName", model.model_name},
          {"providerName", model.provider_name},
          {"inputModalities", model.input_modalities},
          {"outputModalities", model.output_modalities},
          {"responseStreamingSupported", model.streaming},
          {"customizationsSupported", model.customizations},
          {"inferenceTypesSupported", inference_types(catalog, model, region)},
          {"modelLifecycle", lifecycle}};
}

std::string join_regions(const std::vector<std::string>& regions) {
  std::string out;
  for (std::size_t i = 0; i < regions.size(); ++i) {
    if (i > 0) out += (i + 1 == regions.size()) ? " and " : ", ";
    out += regions[i];
  }
  return out;
}

json profile_json(const Catalog& catalog, const InferenceProfileInfo& profile,
                  std::string_view region) {
  json models = json::array();
  for (const std::string& routed : profile.regions) {
    models.push_back({{"modelArn", foundation_model_arn(routed, profile.model_id)}});
  }
  const ModelInfo* model = catalog.find_model(profile.model_id);
  const std::string model_label =
      model ? model->provider_name + " " + model->model_name : profile.model_id;
  return {{"inferenceProfileName", profile.name},
          {"description",
           "Routes requests to " + model_label + " in " + join_regions(profile.regions) + "."},
          {"createdAt", profile.created_at},
          {"updatedAt", profile.created_at},
          {"inferenceProfileArn", inference_profile_arn(region, profile.profile_id)},
          {"models", models},
          {"inferenceProfileId", profile.profile_id},
          {"status", "ACTIVE"},
          {"type", "SYSTEM_DEFINED"}};
}

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view bytes) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += (i + 1 < bytes.size()) ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const std::size_t index = kBase64.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

// The opaque pagination token: base64 of "offset:<n>".
std::string make_token(std::size_t offset) {
  return base64_encode("offset:" + std::to_string(offset));
}

std::optional<std::size_t> read_token(std::string_view token) {
  auto decoded = base64_decode(token);
  if (!decoded || !decoded->starts_with("offset:")) return std::nullopt;
  std::size_t offset = 0;
  const char* begin = decoded->data() + 7;
  const char* end = decoded->data() + decoded->size();
  auto [ptr, ec] = std::from_chars(begin, end, offset);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return offset;
}

// The identifier from a path label that may be an ARN of `kind`.
std::string identifier_from(std::string_view resource_id, std::string_view kind,
                            std::string_view region, bool& wrong_arn) {
  wrong_arn = false;
  if (!resource_id.starts_with("arn:")) return std::string(resource_id);
  auto arn = parse_bedrock_arn(resource_id);
  if (!arn || arn->kind != kind || arn->region != region) {
    wrong_arn = true;
    return {};
  }
  return arn->id;
}

}  // namespace

ResponsePlan json_plan(std::string body) {
  ResponsePlan plan;
  plan.status = 200;
  plan.headers = {{"Content-Type", "application/json"}};
  plan.body = std::move(body);
  plan.outcome = "200";
  return plan;
}

ResponsePlan list_foundation_models(const Catalog& catalog, const ServiceRequest& request) {
  if (auto bad = check_enum(request, "byCustomizationType",
                            {"FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION"})) {
    return *bad;
  }
  if (auto bad = check_enum(request, "byOutputModality", {"TEXT", "IMAGE", "EMBEDDING"}))
    return *bad;
  if (auto bad = check_enum(request, "byInferenceType", {"ON_DEMAND", "PROVISIONED"})) return *bad;
  const auto provider = query_value(request, "byProvider");
  const auto output = query_value(request, "byOutputModality");
  const auto inference = query_value(request, "byInferenceType");
  const auto customization = query_value(request, "byCustomizationType");

  json summaries = json::array();
  for (const ModelInfo& model : catalog.models) {
    if (!offered_in(model, request.region)) continue;
    // Provider names are matched without regard to case ("anthropic" finds "Anthropic").
    if (provider && !equals_ignore_case(*provider, model.provider_name)) continue;
    if (output && !contains(model.output_modalities, *output)) continue;
    if (inference && !contains(inference_types(catalog, model, request.region), *inference))
      continue;
    if (customization && !contains(model.customizations, *customization)) continue;
    summaries.push_back(model_json(catalog, model, request.region));
  }
  return json_plan(json{{"modelSummaries", summaries}}.dump());
}

ResponsePlan get_foundation_model(const Catalog& catalog, const ServiceRequest& request) {
  bool wrong_arn = false;
  const std::string id =
      identifier_from(request.resource_id, "foundation-model", request.region, wrong_arn);
  const ModelInfo* model = wrong_arn ? nullptr : catalog.find_model(id);
  if (model == nullptr || !offered_in(*model, request.region)) {
    return error_plan("ResourceNotFoundException", 404,
                      "The model " + printable(request.resource_id) + " does not exist.");
  }
  ResponsePlan plan =
      json_plan(json{{"modelDetails", model_json(catalog, *model, request.region)}}.dump());
  plan.model_id = model->model_id;
  return plan;
}

ResponsePlan list_inference_profiles(const Catalog& catalog, const ServiceRequest& request) {
  std::size_t page_size = 1000;
  if (auto max_results = query_value(request, "maxResults")) {
    long long value = 0;
    const char* begin = max_results->data();
    const char* end = begin + max_results->size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || begin == end) {
      return validation("1 validation error detected: Value '" + printable(*max_results) +
                        "' at 'maxResults' failed to satisfy constraint: Member must be an "
                        "integer");
    }
    if (value < 1 || value > 1000) {
      return validation("1 validation error detected: Value '" + printable(*max_results) +
                        "' at 'maxResults' failed to satisfy constraint: Member must have value " +
                        (value < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
    }
    page_size = static_cast<std::size_t>(value);
  }
  if (auto bad = check_enum(request, "type", {"SYSTEM_DEFINED", "APPLICATION"})) return *bad;
  std::size_t offset = 0;
  if (auto token = query_value(request, "nextToken")) {
    auto parsed = read_token(*token);
    if (!parsed) return validation("The provided pagination token is invalid.");
    offset = *parsed;
  }

  // Every catalog profile is SYSTEM_DEFINED; the emulator has no application profiles.
  std::vector<const InferenceProfileInfo*> visible;
  if (query_value(request, "type").value_or("SYSTEM_DEFINED") == "SYSTEM_DEFINED") {
    for (const InferenceProfileInfo& profile : catalog.profiles) {
      if (profile_callable_in(profile, request.region)) visible.push_back(&profile);
    }
  }
  if (offset > visible.size()) return validation("The provided pagination token is invalid.");
  json summaries = json::array();
  const std::size_t end = std::min(visible.size(), offset + page_size);
  for (std::size_t i = offset; i < end; ++i) {
    summaries.push_back(profile_json(catalog, *visible[i], request.region));
  }
  json body = {{"inferenceProfileSummaries", summaries}};
  if (end < visible.size()) body["nextToken"] = make_token(end);
  return json_plan(body.dump());
}

ResponsePlan get_inference_profile(const Catalog& catalog, const ServiceRequest& request) {
  bool wrong_arn = false;
  const std::string id =
      identifier_from(request.resource_id, "inference-profile", request.region, wrong_arn);
  const InferenceProfileInfo* profile = wrong_arn ? nullptr : catalog.find_profile(id);
  if (profile == nullptr || !profile_callable_in(*profile, request.region)) {
    return error_plan(
        "ResourceNotFoundException", 404,
        "The inference profile " + printable(request.resource_id) + " does not exist.");
  }
  ResponsePlan plan = json_plan(profile_json(catalog, *profile, request.region).dump());
  plan.model_id = profile->model_id;
  return plan;
}

}  // namespace bedrock_emulator
