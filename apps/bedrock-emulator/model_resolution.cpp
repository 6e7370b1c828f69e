#include "model_resolution.hpp"

namespace bedrock_emulator {

std::optional<ParsedArn> parse_bedrock_arn(std::string_view arn) {
  // arn : partition : service : region : account : resource
  std::string_view rest = arn;
  std::string_view parts[5];
  for (auto& part : parts) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || parts[2] != "bedrock") return std::nullopt;
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 >= rest.size()) return std::nullopt;
  return ParsedArn{std::string(parts[3]), std::string(rest.substr(0, slash)),
                   std::string(rest.substr(slash + 1))};
}

std::string on_demand_not_supported_message(std::string_view model_id) {
  return "Invocation of model ID " + std::string(model_id) +
         " with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN "
         "of an inference profile that contains this model.";
}

ModelResolution resolve_runtime_model(const Catalog& catalog, std::string_view region,
                                      std::string_view model_id, bool require_profile,
                                      Operation operation) {
  auto invalid = [] {
    return ModelResolution{
        nullptr, error_plan("ValidationException", 400, std::string(kInvalidModelIdentifier))};
  };
  auto usable = [&](const ModelInfo* model) -> ModelResolution {
    if (!model->converse || (operation == Operation::ConverseStream && !model->streaming)) {
      return ModelResolution{
          nullptr, error_plan("ValidationException", 400, std::string(kUnsupportedModel))};
    }
    return ModelResolution{model, std::nullopt};
  };

  std::string id(model_id);
  bool via_profile_arn = false;
  if (id.starts_with("arn:")) {
    auto arn = parse_bedrock_arn(id);
    // An ARN for another region cannot be served here.
    if (!arn || arn->region != region) return invalid();
    if (arn->kind == "inference-profile") {
      via_profile_arn = true;
    } else if (arn->kind != "foundation-model") {
      return invalid();
    }
    id = arn->id;
  }

  if (const InferenceProfileInfo* profile = catalog.find_profile(id)) {
    if (!profile_callable_in(*profile, region)) return invalid();
    const ModelInfo* model = catalog.find_model(profile->model_id);
    return model ? usable(model) : invalid();
  }
  if (via_profile_arn) return invalid();

  const ModelInfo* model = catalog.find_model(id);
  if (model == nullptr || !offered_in(*model, region)) return invalid();
  if (require_profile || !on_demand_in(*model, region)) {
    return ModelResolution{
        nullptr, error_plan("ValidationException", 400, on_demand_not_supported_message(id))};
  }
  return usable(model);
}

}  // namespace bedrock_emulator
