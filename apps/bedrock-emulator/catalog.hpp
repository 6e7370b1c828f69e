#pragma once
// The emulator serves the library's built-in model table (src/catalog), so the models and
// profiles it offers are exactly those the manager's targets are built from.

#include "catalog/builtin_catalog.hpp"

namespace bedrock_emulator {

using llmm::catalog::builtin_catalog;
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
