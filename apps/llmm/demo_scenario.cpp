#include "demo_scenario.hpp"

namespace llmm::cli::demo {

std::string_view scenario_json() noexcept {
  // Rules are tried in order, so the region rules win over the model rule in their regions.
  // No retryAfterSeconds on the throttle: a Retry-After hint would (rightly) stretch the backoff
  // to a second and the demo is meant to be quick.
  static constexpr std::string_view kScenario = R"json({
  "seed": 2024,
  "mode": "generate",
  "rules": [
    {"name": "us-east-1 is throttled",
     "match": {"region": "us-east-1", "operation": "Converse"},
     "action": {"type": "error", "exception": "ThrottlingException",
                "message": "Too many requests, please wait before trying again."}},
    {"name": "us-west-2 accepts calls and never answers",
     "match": {"region": "us-west-2", "operation": "Converse"},
     "action": {"type": "stall"}},
    {"name": "Claude 3 Haiku needs an inference profile",
     "match": {"model": "anthropic.claude-3-haiku-20240307-v1:0"},
     "action": {"type": "requireProfile"}}
  ]
})json";
  return kScenario;
}

}  // namespace llmm::cli::demo
