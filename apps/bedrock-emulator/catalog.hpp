#pragma once
// The emulator serves a catalog in the library's shapes (src/catalog): by default the bundled
// data, which a client's BedrockModelCatalog ships with too, so what a client discovers from the
// emulator and what it falls back to agree; or a catalog file (EmulatorService::Options::catalog,
// `--catalog FILE`).

#include "catalog/catalog_types.hpp"

namespace bedrock_emulator {

using llmm::catalog::Catalog;
using llmm::catalog::foundation_model_arn;
using llmm::catalog::inference_profile_arn;
using llmm::catalog::InferenceProfileInfo;
using llmm::catalog::kFakeAccountId;
using llmm::catalog::ModelInfo;
using llmm::catalog::offered_in;
using llmm::catalog::on_demand_in;
using llmm::catalog::profile_callable_in;

}  // namespace bedrock_emulator
