#pragma once
// Which foundation model a runtime request's {modelId} reaches in a region: a bare model id
// called on demand, a system-defined profile id (us./eu./apac./global.), or an ARN of either.

#include "catalog.hpp"
#include "emulator_service.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bedrock_emulator {

struct ModelResolution {
  const ModelInfo* model = nullptr;   // set on success
  std::optional<ResponsePlan> error;  // set on failure
};

// `require_profile` (the scenario action) treats every bare model id as profile-only.
ModelResolution resolve_runtime_model(const Catalog& catalog, std::string_view region,
                                      std::string_view model_id, bool require_profile,
                                      Operation operation);

// "Invocation of model ID <id> with on-demand throughput isn’t supported. Retry your request with
// the ID or ARN of an inference profile that contains this model." (U+2019 apostrophe).
std::string on_demand_not_supported_message(std::string_view model_id);

// Bedrock's reply for an identifier it does not know, and for one not offered in the region.
inline constexpr std::string_view kInvalidModelIdentifier =
    "The provided model identifier is invalid.";
// Bedrock's reply when Converse is called with a model that is not a text/chat model.
inline constexpr std::string_view kUnsupportedModel =
    "This action doesn't support the model that you provided. Try again with a supported text or "
    "chat model.";

// Splits "arn:aws:bedrock:{region}:{account}:{kind}/{id}"; nullopt if `arn` is not of that kind.
struct ParsedArn {
  std::string region;
  std::string kind;  // foundation-model, inference-profile, ...
  std::string id;
};
std::optional<ParsedArn> parse_bedrock_arn(std::string_view arn);

}  // namespace bedrock_emulator
