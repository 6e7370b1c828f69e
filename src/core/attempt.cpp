#include <llmm/attempt.hpp>

namespace llmm {

std::string_view to_string(AttemptDecision decision) noexcept {
  switch (decision) {
    case AttemptDecision::Succeeded: return "succeeded";
    case AttemptDecision::RetrySameTarget: return "retry_same_target";
    case AttemptDecision::Failover: return "failover";
    case AttemptDecision::SwitchAccessMethod: return "switch_access_method";
    case AttemptDecision::DropParameters: return "drop_parameters";
    case AttemptDecision::DropFeature: return "drop_feature";
    case AttemptDecision::RetryForValidation: return "retry_for_validation";
    case AttemptDecision::RefreshCredentials: return "refresh_credentials";
    case AttemptDecision::CorrectClockSkew: return "correct_clock_skew";
    case AttemptDecision::Stop: return "stop";
  }
  return "unknown";
}

}  // namespace llmm
