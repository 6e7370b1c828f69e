#pragma once
// The scenario document of docs/emulator.md: parsed strictly into rules, and the per-rule state
// (call counters, probability generators) that makes matching deterministic.

#include "emulator_service.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bedrock_emulator {

struct LatencyModel {
  std::int64_t time_to_first_token_ms = 0;
  double tokens_per_second = 0;  // 0 = no per-token pause
};

enum class ActionType {
  Error,
  Delay,
  Stall,
  Reset,
  Goaway,
  Trickle,
  StreamCut,
  StreamStall,
  CorruptCrc,
  StreamException,
  ToolUse,
  RequireProfile,
};

struct RuleMatch {
  std::optional<std::string> region;
  std::optional<std::string> model;
  std::optional<Operation> operation;
  std::vector<std::int64_t> calls;  // empty = every call
  double probability = 1.0;
};

struct RuleAction {
  ActionType type = ActionType::Error;
  std::string exception;  // Error: PascalCase name; StreamException: lowerCamel member name
  int status = 0;         // Error: resolved (explicit or the exception's default)
  std::string message;    // Error / StreamException (defaulted when absent)
  std::optional<std::int64_t> retry_after_seconds;
  std::int64_t ms = 0;           // Delay
  std::int64_t interval_ms = 0;  // Trickle
  std::int64_t events =
      0;  // StreamCut / StreamStall / StreamException: afterEvents; CorruptCrc: atEvent
  std::string tool_name;               // ToolUse
  std::string tool_input_json = "{}";  // ToolUse: the `input` document, serialised
};

struct Rule {
  std::string name;
  RuleMatch match;
  RuleAction action;
};

struct Scenario {
  std::optional<std::uint64_t> seed;
  std::optional<AnswerMode> mode;
  std::optional<LatencyModel> latency;
  std::vector<Rule> rules;
  std::string source_json;  // normalised (re-serialised) document, for GET /_emulator/scenario
};

// Parses and validates a scenario document. On failure returns the message naming the rule
// (index and name) and the field that is wrong.
std::variant<Scenario, std::string> parse_scenario(std::string_view json);

// The status an exception is sent with when the rule gives none; 0 if the name is unknown.
int default_status_for(std::string_view exception_name);

// True for actions that only make sense on ConverseStream (they never match other operations).
bool stream_only(ActionType type);

// The request facts rules match on.
struct MatchInput {
  std::string_view region;
  std::string_view model;  // resource id as sent; empty for List* operations
  Operation operation = Operation::Converse;
};

// A scenario plus its counters and generators. Not thread-safe: the service locks around it.
class ScenarioState {
 public:
  ScenarioState() = default;
  ScenarioState(Scenario scenario, std::uint64_t service_seed);

  // The first rule that applies to this request, advancing counters and generators; nullptr if
  // none.
  const Rule* match(const MatchInput& input);

  [[nodiscard]] const Scenario& scenario() const { return scenario_; }

 private:
  Scenario scenario_;
  std::vector<std::uint64_t> counters_;
  std::vector<std::uint64_t> generators_;
};

// splitmix64: a tiny, well-mixed generator; deterministic across platforms.
std::uint64_t splitmix64(std::uint64_t& state);
// FNV-1a over bytes, chained with `seed`.
std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed);

}  // namespace bedrock_emulator
