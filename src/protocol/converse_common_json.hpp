#pragma once
// Private: members the Converse request and response share (performanceConfig, serviceTier).

#include <llmm/converse_request.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace llmm::protocol {

nlohmann::ordered_json encode_performance_config(const PerformanceConfiguration& config);
PerformanceConfiguration decode_performance_config(const nlohmann::json& value,
                                                   const std::string& path);
nlohmann::ordered_json encode_service_tier(const ServiceTier& tier);
ServiceTier decode_service_tier(const nlohmann::json& value, const std::string& path);

}  // namespace llmm::protocol
