#include "emulator_service.hpp"

#include <nlohmann/json.hpp>

namespace bedrock_emulator {

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::Converse: return "Converse";
    case Operation::ConverseStream: return "ConverseStream";
    case Operation::ListFoundationModels: return "ListFoundationModels";
    case Operation::GetFoundationModel: return "GetFoundationModel";
    case Operation::ListInferenceProfiles: return "ListInferenceProfiles";
    case Operation::GetInferenceProfile: return "GetInferenceProfile";
  }
  return "Unknown";
}

ResponsePlan error_plan(std::string_view exception_name, int status, std::string message) {
  ResponsePlan plan;
  plan.status = status;
  // The header form the real service sends (wire doc §5.1); the body's message is what SDKs show.
  plan.headers = {{"x-amzn-ErrorType", std::string(exception_name) +
                                           ":http://internal.amazon.com/coral/com.amazon.bedrock/"},
                  {"Content-Type", "application/json"}};
  plan.body = nlohmann::json{{"message", std::move(message)}}.dump();
  plan.outcome = std::to_string(status) + " " + std::string(exception_name);
  return plan;
}

}  // namespace bedrock_emulator
