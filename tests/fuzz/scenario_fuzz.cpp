/* libFuzzer target for the emulator's scenario documents (apps/bedrock-emulator/scenario,
   docs/emulator.md). Built by CMake with -DLLMM_FUZZ=ON (clang only); scripts/fuzz configures
   build-fuzz, builds, and runs it on corpus/scenario_fuzz:

   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLLMM_FUZZ=ON
   cmake --build build-fuzz --target scenario_fuzz
   build-fuzz/tests/fuzz/scenario_fuzz -max_len=16384 -max_total_time=60 [corpus_dir]
*/
// Any input is a candidate scenario (what PUT /_emulator/scenario and --scenario take). Checked on
// every input:
//   - parse_scenario never throws or crashes: it gives a Scenario or a non-empty message;
//   - a Scenario's normalised document parses to the same Scenario again (the emulator serves it
//     back from GET /_emulator/scenario, and a client may PUT it again);
//   - the numbers of an Error action are the document's: its status is an HTTP status (100-599),
//     the one the rule gives when it gives one;
//   - matching a request against the scenario does not crash (counters, generators).

#include "scenario.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

namespace {

using namespace bedrock_emulator;

bool same_rules(const Scenario& a, const Scenario& b) {
  if (a.rules.size() != b.rules.size()) return false;
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const Rule& x = a.rules[i];
    const Rule& y = b.rules[i];
    if (x.name != y.name || x.match.region != y.match.region || x.match.model != y.match.model ||
        x.match.operation != y.match.operation || x.match.calls != y.match.calls ||
        x.match.probability != y.match.probability || x.action.type != y.action.type ||
        x.action.exception != y.action.exception || x.action.status != y.action.status ||
        x.action.message != y.action.message ||
        x.action.retry_after_seconds != y.action.retry_after_seconds ||
        x.action.ms != y.action.ms || x.action.interval_ms != y.action.interval_ms ||
        x.action.events != y.action.events || x.action.tool_name != y.action.tool_name ||
        x.action.tool_input_json != y.action.tool_input_json) {
      return false;
    }
  }
  return true;
}

void check_error_status(const Scenario& scenario) {
  const auto document = nlohmann::json::parse(scenario.source_json);
  for (std::size_t i = 0; i < scenario.rules.size(); ++i) {
    const RuleAction& action = scenario.rules[i].action;
    if (action.type != ActionType::Error) continue;
    if (action.status < 100 || action.status > 599) std::abort();
    const auto& given = document.at("rules").at(i).at("action");
    if (const auto status = given.find("status"); status != given.end()) {
      if (!status->is_number_integer() || status->get<std::int64_t>() != action.status)
        std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_scenario(text);
  if (const auto* message = std::get_if<std::string>(&parsed)) {
    if (message->empty()) std::abort();
    return 0;
  }
  const Scenario& scenario = std::get<Scenario>(parsed);
  auto again = parse_scenario(scenario.source_json);
  const auto* reparsed = std::get_if<Scenario>(&again);
  if (reparsed == nullptr || reparsed->source_json != scenario.source_json ||
      reparsed->seed != scenario.seed || reparsed->mode != scenario.mode ||
      reparsed->latency.has_value() != scenario.latency.has_value() ||
      !same_rules(*reparsed, scenario)) {
    std::abort();
  }
  if (scenario.latency &&
      (reparsed->latency->time_to_first_token_ms != scenario.latency->time_to_first_token_ms ||
       reparsed->latency->tokens_per_second != scenario.latency->tokens_per_second)) {
    std::abort();
  }
  check_error_status(scenario);

  ScenarioState state(scenario, 42);
  for (const Operation operation :
       {Operation::Converse, Operation::ConverseStream, Operation::ListFoundationModels}) {
    for (int call = 0; call < 3; ++call) {
      (void)state.match(
          MatchInput{"us-east-1", "anthropic.claude-3-haiku-20240307-v1:0", operation});
    }
  }
  return 0;
}
