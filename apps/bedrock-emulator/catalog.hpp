#pragma once
// The emulator serves one of the library's model tables (src/catalog): the built-in table by
// default, so the models and profiles it offers are exactly those the manager's targets are built
// from, or the bundled catalog (EmulatorService::Options::catalog, `--catalog bundled`).

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
