#pragma once
// The control-plane operations (wire doc §9) over a catalog, for the request's region.

#include "catalog.hpp"
#include "emulator_service.hpp"

namespace bedrock_emulator {

// A 200 JSON reply.
ResponsePlan json_plan(std::string body);

ResponsePlan list_foundation_models(const Catalog& catalog, const ServiceRequest& request);
ResponsePlan get_foundation_model(const Catalog& catalog, const ServiceRequest& request);
ResponsePlan list_inference_profiles(const Catalog& catalog, const ServiceRequest& request);
ResponsePlan get_inference_profile(const Catalog& catalog, const ServiceRequest& request);

}  // namespace bedrock_emulator
