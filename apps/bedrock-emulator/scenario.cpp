#include "scenario.hpp"

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace bedrock_emulator {
namespace {

using nlohmann::json;

struct ExceptionDefault {
  std::string_view name;
  int status;
  std::string_view message;
};

// Statuses from wire doc §5.2 (and §5.2's "front door" list for ServiceQuotaExceededException).
constexpr std::array<ExceptionDefault, 12> kExceptions = {{
    {"ThrottlingException", 429, "Too many requests, please wait before trying again."},
    {"ServiceUnavailableException", 503, "Bedrock is unable to process your request."},
    {"InternalServerException", 500, "The server encountered an internal error."},
    {"ModelTimeoutException", 408, "Model has timed out in processing the request."},
    {"ModelNotReadyException", 429, "Model is not ready to serve inference requests."},
    {"ModelErrorException", 424, "The model returned an error."},
    {"ModelStreamErrorException", 424, "The model stream returned an error."},
    {"AccessDeniedException", 403,
     "You don't have access to the model with the specified model ID."},
    {"ResourceNotFoundException", 404, "The requested resource was not found."},
    {"ValidationException", 400, "The request is invalid."},
    {"ServiceQuotaExceededException", 400, "Your request exceeds the service quota."},
    {"UnrecognizedClientException", 403, "The security token included in the request is invalid."},
}};

std::optional<Operation> parse_operation(std::string_view name) {
  for (Operation op : {Operation::Converse, Operation::ConverseStream,
                       Operation::ListFoundationModels, Operation::GetFoundationModel,
                       Operation::ListInferenceProfiles, Operation::GetInferenceProfile}) {
    if (operation_name(op) == name) return op;
  }
  return std::nullopt;
}

std::optional<ActionType> parse_action_type(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, ActionType>, 12> kTypes = {{
      {"error", ActionType::Error},
      {"delay", ActionType::Delay},
      {"stall", ActionType::Stall},
      {"reset", ActionType::Reset},
      {"goaway", ActionType::Goaway},
      {"trickle", ActionType::Trickle},
      {"streamCut", ActionType::StreamCut},
      {"streamStall", ActionType::StreamStall},
      {"corruptCrc", ActionType::CorruptCrc},
      {"streamException", ActionType::StreamException},
      {"toolUse", ActionType::ToolUse},
      {"requireProfile", ActionType::RequireProfile},
  }};
  for (const auto& [key, type] : kTypes) {
    if (key == name) return type;
  }
  return std::nullopt;
}

// Thrown inside the parser only; parse_scenario turns it into the returned message.
struct ScenarioError {
  std::string message;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw ScenarioError{where + ": " + what};
}

void check_keys(const json& object, const std::string& where,
                std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(where, "unknown field \"" + key + "\"");
    }
  }
}

std::string require_string(const json& object, const std::string& where, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) fail(where, std::string("\"") + key + "\" is required");
  if (!it->is_string()) fail(where, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const json& object, const std::string& where,
                                           const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (!it->is_string()) fail(where, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

std::int64_t require_count(const json& object, const std::string& where, const char* key,
                           std::int64_t minimum) {
  auto it = object.find(key);
  if (it == object.end()) fail(where, std::string("\"") + key + "\" is required");
  if (!it->is_number_integer() || it->get<std::int64_t>() < minimum) {
    fail(where, std::string("\"") + key + "\" must be an integer >= " + std::to_string(minimum));
  }
  return it->get<std::int64_t>();
}

RuleMatch parse_match(const json& value, const std::string& where) {
  RuleMatch match;
  if (!value.is_object()) fail(where, "\"match\" must be an object");
  const std::string at = where + ": match";
  check_keys(value, at, {"region", "model", "operation", "calls", "probability"});
  match.region = optional_string(value, at, "region");
  match.model = optional_string(value, at, "model");
  if (auto name = optional_string(value, at, "operation")) {
    match.operation = parse_operation(*name);
    if (!match.operation) fail(at, "unknown operation \"" + *name + "\"");
  }
  if (auto it = value.find("calls"); it != value.end()) {
    if (!it->is_array()) fail(at, "\"calls\" must be an array of positive integers");
    for (const json& index : *it) {
      if (!index.is_number_integer() || index.get<std::int64_t>() < 1) {
        fail(at, "\"calls\" must be an array of positive integers");
      }
      match.calls.push_back(index.get<std::int64_t>());
    }
  }
  if (auto it = value.find("probability"); it != value.end()) {
    if (!it->is_number() || it->get<double>() < 0.0 || it->get<double>() > 1.0) {
      fail(at, "\"probability\" must be a number between 0 and 1");
    }
    match.probability = it->get<double>();
  }
  return match;
}

RuleAction parse_action(const json& value, const std::string& where) {
  RuleAction action;
  if (!value.is_object()) fail(where, "\"action\" must be an object");
  const std::string at = where + ": action";
  const std::string type_name = require_string(value, at, "type");
  auto type = parse_action_type(type_name);
  if (!type) fail(at, "unknown action type \"" + type_name + "\"");
  action.type = *type;
  switch (action.type) {
    case ActionType::Error: {
      check_keys(value, at, {"type", "exception", "status", "message", "retryAfterSeconds"});
      action.exception = require_string(value, at, "exception");
      if (action.exception.empty()) fail(at, "\"exception\" must not be empty");
      const int known = default_status_for(action.exception);
      if (value.contains("status")) {
        // Range-checked before narrowing: 4294967496 is no status, not 200.
        const std::int64_t status = require_count(value, at, "status", 100);
        if (status > 599) fail(at, "\"status\" must be an HTTP status (100-599)");
        action.status = static_cast<int>(status);
      } else if (known == 0) {
        fail(at, "\"status\" is required for the unknown exception \"" + action.exception + "\"");
      } else {
        action.status = known;
      }
      action.message = optional_string(value, at, "message").value_or("");
      if (action.message.empty()) {
        for (const auto& entry : kExceptions) {
          if (entry.name == action.exception) action.message = std::string(entry.message);
        }
        if (action.message.empty()) action.message = action.exception;
      }
      if (value.contains("retryAfterSeconds")) {
        action.retry_after_seconds = require_count(value, at, "retryAfterSeconds", 0);
      }
      break;
    }
    case ActionType::Delay:
      check_keys(value, at, {"type", "ms"});
      action.ms = require_count(value, at, "ms", 0);
      break;
    case ActionType::Stall:
    case ActionType::Reset:
    case ActionType::Goaway:
    case ActionType::RequireProfile: check_keys(value, at, {"type"}); break;
    case ActionType::Trickle:
      check_keys(value, at, {"type", "intervalMs"});
      action.interval_ms = require_count(value, at, "intervalMs", 1);
      break;
    case ActionType::StreamCut:
    case ActionType::StreamStall:
      check_keys(value, at, {"type", "afterEvents"});
      action.events = require_count(value, at, "afterEvents", 0);
      break;
    case ActionType::CorruptCrc:
      check_keys(value, at, {"type", "atEvent"});
      action.events = require_count(value, at, "atEvent", 1);
      break;
    case ActionType::StreamException: {
      check_keys(value, at, {"type", "exception", "afterEvents", "message"});
      action.exception = require_string(value, at, "exception");
      // The SDK only maps the lowerCamel member name (wire doc §4.5).
      if (action.exception.empty() || action.exception.front() < 'a' ||
          action.exception.front() > 'z') {
        fail(at, "\"exception\" must be a lowerCamel member name such as throttlingException");
      }
      action.events = require_count(value, at, "afterEvents", 0);
      action.message = optional_string(value, at, "message")
                           .value_or("The stream was interrupted by " + action.exception + ".");
      break;
    }
    case ActionType::ToolUse: {
      check_keys(value, at, {"type", "name", "input"});
      action.tool_name = require_string(value, at, "name");
      if (action.tool_name.empty() || action.tool_name.size() > 64) {
        fail(at, "\"name\" must be 1-64 characters");
      }
      if (auto it = value.find("input"); it != value.end()) {
        if (!it->is_object()) fail(at, "\"input\" must be a JSON object");
        action.tool_input_json = it->dump();
      }
      break;
    }
  }
  return action;
}

LatencyModel parse_latency(const json& value) {
  if (!value.is_object()) fail("latency", "must be an object");
  check_keys(value, "latency", {"timeToFirstTokenMs", "tokensPerSecond"});
  LatencyModel latency;
  if (value.contains("timeToFirstTokenMs")) {
    latency.time_to_first_token_ms = require_count(value, "latency", "timeToFirstTokenMs", 0);
  }
  if (auto it = value.find("tokensPerSecond"); it != value.end()) {
    if (!it->is_number() || it->get<double>() < 0.0) {
      fail("latency", "\"tokensPerSecond\" must be a number >= 0");
    }
    latency.tokens_per_second = it->get<double>();
  }
  return latency;
}

Scenario parse_document(const json& document) {
  if (!document.is_object()) fail("scenario", "must be a JSON object");
  check_keys(document, "scenario", {"seed", "mode", "latency", "rules"});
  Scenario scenario;
  if (auto it = document.find("seed"); it != document.end()) {
    if (!it->is_number_unsigned()) fail("scenario", "\"seed\" must be a non-negative integer");
    scenario.seed = it->get<std::uint64_t>();
  }
  if (auto mode = optional_string(document, "scenario", "mode")) {
    if (*mode == "echo") {
      scenario.mode = AnswerMode::Echo;
    } else if (*mode == "generate") {
      scenario.mode = AnswerMode::Generate;
    } else {
      fail("scenario", "\"mode\" must be \"echo\" or \"generate\"");
    }
  }
  if (auto it = document.find("latency"); it != document.end())
    scenario.latency = parse_latency(*it);
  if (auto it = document.find("rules"); it != document.end()) {
    if (!it->is_array()) fail("scenario", "\"rules\" must be an array");
    std::size_t index = 0;
    for (const json& rule_json : *it) {
      ++index;
      std::string where = "rule " + std::to_string(index);
      if (!rule_json.is_object()) fail(where, "must be an object");
      Rule rule;
      if (auto name = optional_string(rule_json, where, "name")) {
        rule.name = *name;
        where += " (\"" + rule.name + "\")";
      }
      check_keys(rule_json, where, {"name", "match", "action"});
      if (auto match = rule_json.find("match"); match != rule_json.end()) {
        rule.match = parse_match(*match, where);
      }
      auto action = rule_json.find("action");
      if (action == rule_json.end()) fail(where, "\"action\" is required");
      rule.action = parse_action(*action, where);
      scenario.rules.push_back(std::move(rule));
    }
  }
  scenario.source_json = document.dump();
  return scenario;
}

bool rule_applies_to(const Rule& rule, const MatchInput& input) {
  const RuleMatch& m = rule.match;
  if (m.region && *m.region != input.region) return false;
  if (m.model && *m.model != input.model) return false;
  if (m.operation && *m.operation != input.operation) return false;
  // Stream-only faults never match a non-stream operation (they could not be carried out), and
  // toolUse/requireProfile only make sense for the runtime operations.
  const ActionType type = rule.action.type;
  if (stream_only(type) && input.operation != Operation::ConverseStream) return false;
  if ((type == ActionType::ToolUse || type == ActionType::RequireProfile) &&
      input.operation != Operation::Converse && input.operation != Operation::ConverseStream) {
    return false;
  }
  return true;
}

}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t hash = 0xCBF29CE484222325ULL ^ seed;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001B3ULL;
  }
  std::uint64_t state = hash;
  return splitmix64(state);
}

int default_status_for(std::string_view exception_name) {
  for (const auto& entry : kExceptions) {
    if (entry.name == exception_name) return entry.status;
  }
  return 0;
}

bool stream_only(ActionType type) {
  return type == ActionType::StreamCut || type == ActionType::StreamStall ||
         type == ActionType::CorruptCrc || type == ActionType::StreamException;
}

std::variant<Scenario, std::string> parse_scenario(std::string_view text) {
  // Copying and dumping a document recurse once per level, so a deeply nested one (a toolUse
  // input) overflowed the stack: the library's bound, checked before parsing.
  if (!llmm::protocol::json_depth_within(text, llmm::protocol::kMaxJsonDepth)) {
    return "scenario nests deeper than " + std::to_string(llmm::protocol::kMaxJsonDepth) +
           " levels";
  }
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& error) {
    // Not only parse_error: a number too large for a double (1e400) is an out_of_range, and
    // it escaped from here, ending the emulator.
    std::string message = std::string("scenario is not valid JSON: ") + error.what();
    // The parser quotes the bytes it stopped at; keep the message valid UTF-8 for JSON replies.
    for (char& c : message) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    }
    return message;
  }
  try {
    return parse_document(document);
  } catch (const ScenarioError& error) {
    return error.message;
  } catch (const json::exception& error) {
    return std::string("scenario: ") + error.what();
  }
}

ScenarioState::ScenarioState(Scenario scenario, std::uint64_t service_seed)
    : scenario_(std::move(scenario)) {
  const std::uint64_t seed = scenario_.seed.value_or(service_seed);
  counters_.assign(scenario_.rules.size(), 0);
  generators_.resize(scenario_.rules.size());
  for (std::size_t i = 0; i < generators_.size(); ++i) {
    // Each rule draws from its own stream, so adding a rule does not shift another's draws.
    std::uint64_t state = seed ^ (0xD1B54A32D192ED03ULL * (i + 1));
    generators_[i] = splitmix64(state);
  }
}

const Rule* ScenarioState::match(const MatchInput& input) {
  for (std::size_t i = 0; i < scenario_.rules.size(); ++i) {
    const Rule& rule = scenario_.rules[i];
    if (!rule_applies_to(rule, input)) continue;
    const std::uint64_t call = ++counters_[i];
    const auto& calls = rule.match.calls;
    if (!calls.empty() &&
        std::find(calls.begin(), calls.end(), static_cast<std::int64_t>(call)) == calls.end()) {
      continue;
    }
    if (rule.match.probability < 1.0) {
      const double draw =
          static_cast<double>(splitmix64(generators_[i]) >> 11) * 0x1.0p-53;  // [0, 1)
      if (draw >= rule.match.probability) continue;
    }
    return &rule;
  }
  return nullptr;
}

}  // namespace bedrock_emulator
