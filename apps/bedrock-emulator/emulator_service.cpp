#include "emulator_service.hpp"

#include "capability_check.hpp"
#include "catalog.hpp"
#include "control_plane.hpp"
#include "converse_answer.hpp"
#include "converse_request.hpp"
#include "model_resolution.hpp"
#include "prompt_cache.hpp"
#include "scenario.hpp"

#include "protocol/eventstream/event_stream_encoder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <mutex>

namespace bedrock_emulator {
namespace {

// What one request needs from the shared state, copied out under the lock.
struct Snapshot {
  const Catalog* catalog = nullptr;  // the model table the emulator serves (Options::catalog)
  std::optional<Rule> rule;
  std::uint64_t seed = 0;
  AnswerMode mode = AnswerMode::Echo;
  LatencyModel latency;
  QuotaBook* quotas = nullptr;          // thread-safe on its own: used outside the service's lock
  PromptCache* prompt_cache = nullptr;  // likewise
};

bool has_action(const Snapshot& snapshot, ActionType type) {
  return snapshot.rule && snapshot.rule->action.type == type;
}

ResponsePlan scripted_error(const RuleAction& action) {
  ResponsePlan plan = error_plan(action.exception, action.status, action.message);
  if (action.retry_after_seconds) {
    plan.headers.emplace_back("Retry-After", std::to_string(*action.retry_after_seconds));
  }
  return plan;
}

// Applies the stream faults to an encoded, complete event sequence.
void apply_stream_fault(const RuleAction& action, ResponsePlan& plan) {
  auto& frames = plan.frames;
  const auto k = static_cast<std::size_t>(action.events);
  switch (action.type) {
    case ActionType::StreamCut:
      if (frames.size() > k) frames.resize(k);
      plan.cut_after_frames = true;
      plan.outcome = "200 streamCut";
      break;
    case ActionType::StreamStall:
      if (frames.size() > k) frames.resize(k);
      plan.stall_after_frames = true;
      plan.outcome = "200 streamStall";
      break;
    case ActionType::CorruptCrc: {
      // Past the end means the last event: the fault must happen for the scenario to be useful.
      StreamFrame& frame = frames[std::min(k, frames.size()) - 1];
      frame.bytes.back() = static_cast<char>(frame.bytes.back() ^ 0x01);
      plan.outcome = "200 corruptCrc";
      break;
    }
    case ActionType::StreamException: {
      if (frames.size() > k) frames.resize(k);
      StreamFrame exception;
      exception.bytes = llmm::eventstream::encode(llmm::eventstream::make_exception(
          action.exception, nlohmann::json{{"message", action.message}}.dump()));
      frames.push_back(std::move(exception));
      plan.outcome = "200 " + action.exception;
      break;
    }
    default: break;
  }
}

ResponsePlan converse(const ServiceRequest& request, const Snapshot& snapshot) {
  auto parsed = parse_converse_request(request.content_type, request.body);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    return error_plan("ValidationException", 400, std::move(*message));
  }
  const ConverseInput& input = std::get<ConverseInput>(parsed);
  ModelResolution resolution =
      resolve_runtime_model(*snapshot.catalog, request.region, request.resource_id,
                            has_action(snapshot, ActionType::RequireProfile), request.operation);
  if (resolution.error) return std::move(*resolution.error);
  // What the model cannot take is refused before any answer-shaping rule (toolUse, stream
  // faults); error, stall and reset rules were applied before this point and still win.
  if (auto refusal = capability_violation(*resolution.model, input)) {
    ResponsePlan plan = error_plan("ValidationException", 400, std::move(*refusal));
    plan.model_id = resolution.model->model_id;
    return plan;
  }

  const RuleAction* tool = nullptr;
  if (has_action(snapshot, ActionType::ToolUse) && input.has_tool_config) {
    tool = &snapshot.rule->action;
    if (std::find(input.tool_names.begin(), input.tool_names.end(), tool->tool_name) ==
        input.tool_names.end()) {
      return error_plan("ValidationException", 400,
                        "The tool " + tool->tool_name +
                            " that the model called is not defined in toolConfig.tools.");
    }
  }
  Answer answer =
      make_answer(input, snapshot.mode, snapshot.seed, request.body, tool, snapshot.latency);
  // Prompt caching (the capability check let the cache points through): read what an earlier
  // answered request wrote, write the rest; remembered only once the request is admitted.
  const std::string& model_id = resolution.model->model_id;
  if (!input.cache_points.empty()) {
    const CacheUsage cache = snapshot.prompt_cache->lookup(model_id, input.cache_points);
    apply_cache_usage(answer, cache.read_tokens, cache.write_tokens);
  }

  // Admission against the quota of the resolved model (a profile counts against its model).
  // The tpm charge is the answer's exact usage, input plus output tokens: the emulator knows it
  // before it answers, so there is nothing to settle afterwards (Bedrock reserves input plus
  // maxTokens and settles later). Only requests Bedrock would answer get here. Cached input is
  // charged like the rest: the whole prompt's estimate, as before caching.
  const QuotaVerdict verdict =
      snapshot.quotas->admit(request.region, model_id,
                             answer.input_tokens + answer.cache_read_input_tokens +
                                 answer.cache_write_input_tokens + answer.output_tokens);
  if (verdict == QuotaVerdict::ThrottledRequests || verdict == QuotaVerdict::ThrottledTokens) {
    ResponsePlan plan = error_plan("ThrottlingException", 429,
                                   verdict == QuotaVerdict::ThrottledRequests
                                       ? "Too many requests, please wait before trying again."
                                       : "Too many tokens, please wait before trying again.");
    plan.rule_name = std::string(quota_rule_name(verdict));
    plan.model_id = resolution.model->model_id;
    return plan;
  }

  if (!input.cache_points.empty()) snapshot.prompt_cache->remember(model_id, input.cache_points);

  ResponsePlan plan;
  plan.status = 200;
  plan.outcome = "200";
  plan.model_id = resolution.model->model_id;
  if (request.operation == Operation::Converse) {
    plan.headers = {{"Content-Type", "application/json"}};
    plan.body = converse_response_json(answer);
    plan.delay_before_headers = std::chrono::milliseconds(answer.latency_ms);
    return plan;
  }
  plan.headers = {{"Content-Type", "application/vnd.amazon.eventstream"}};
  plan.streaming = true;
  plan.frames = converse_stream_frames(answer, snapshot.latency);
  if (snapshot.rule && stream_only(snapshot.rule->action.type)) {
    apply_stream_fault(snapshot.rule->action, plan);
  }
  return plan;
}

ResponsePlan answer(const ServiceRequest& request, const Snapshot& snapshot) {
  const Catalog& catalog = *snapshot.catalog;
  switch (request.operation) {
    case Operation::Converse:
    case Operation::ConverseStream: return converse(request, snapshot);
    case Operation::ListFoundationModels: return list_foundation_models(catalog, request);
    case Operation::GetFoundationModel: return get_foundation_model(catalog, request);
    case Operation::ListInferenceProfiles: return list_inference_profiles(catalog, request);
    case Operation::GetInferenceProfile: return get_inference_profile(catalog, request);
  }
  return error_plan("ValidationException", 400, "Unknown operation.");
}

}  // namespace

struct EmulatorService::Impl {
  Options options;
  mutable std::mutex mutex;  // guards `state` only; answers are computed outside it
  ScenarioState state;
  QuotaBook quotas;
  PromptCache prompt_cache;

  explicit Impl(Options given)
      : options(std::move(given)), quotas(options.quotas, options.quota_clock) {}
};

EmulatorService::EmulatorService(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

EmulatorService::~EmulatorService() = default;

ResponsePlan EmulatorService::handle(const ServiceRequest& request) {
  try {
    const bool has_model = request.operation != Operation::ListFoundationModels &&
                           request.operation != Operation::ListInferenceProfiles;
    Snapshot snapshot;
    snapshot.catalog = impl_->options.catalog;
    snapshot.quotas = &impl_->quotas;
    snapshot.prompt_cache = &impl_->prompt_cache;
    {
      std::lock_guard lock(impl_->mutex);
      const Scenario& scenario = impl_->state.scenario();
      snapshot.seed = scenario.seed.value_or(impl_->options.seed);
      snapshot.mode = scenario.mode.value_or(impl_->options.mode);
      snapshot.latency = scenario.latency.value_or(LatencyModel{});
      if (const Rule* rule = impl_->state.match(
              {request.region,
               has_model ? std::string_view(request.resource_id) : std::string_view(),
               request.operation})) {
        snapshot.rule = *rule;
      }
    }

    ResponsePlan plan;
    const RuleAction* action = snapshot.rule ? &snapshot.rule->action : nullptr;
    if (action && action->type == ActionType::Error) {
      plan = scripted_error(*action);
    } else if (action && action->type == ActionType::Stall) {
      plan.stall = true;
      plan.outcome = "stall";
    } else if (action && action->type == ActionType::Reset) {
      plan.reset = true;
      plan.outcome = "reset";
    } else if (action && action->type == ActionType::Goaway) {
      plan.goaway = true;
      plan.outcome = "goaway";
    } else {
      plan = answer(request, snapshot);
      if (action && action->type == ActionType::Delay) {
        plan.delay_before_headers += std::chrono::milliseconds(action->ms);
      }
      if (action && action->type == ActionType::Trickle) {
        plan.trickle_interval = std::chrono::milliseconds(action->interval_ms);
      }
    }
    // A quota throttle names itself ("quota:rpm"), even beside a matching scenario rule.
    if (snapshot.rule && plan.rule_name.empty()) plan.rule_name = snapshot.rule->name;
    if (plan.model_id.empty() && has_model) plan.model_id = request.resource_id;
    return plan;
  } catch (const std::exception& error) {
    // Only an internal fault gets here (e.g. an event over the framing limits).
    return error_plan("InternalServerException", 500,
                      std::string("The emulator failed to answer: ") + error.what());
  }
}

std::optional<std::string> EmulatorService::set_scenario(std::string_view json) {
  auto parsed = parse_scenario(json);
  if (auto* message = std::get_if<std::string>(&parsed)) return std::move(*message);
  ScenarioState state(std::move(std::get<Scenario>(parsed)), impl_->options.seed);
  std::lock_guard lock(impl_->mutex);
  impl_->state = std::move(state);
  return std::nullopt;
}

std::string EmulatorService::scenario_json() const {
  std::lock_guard lock(impl_->mutex);
  const std::string& source = impl_->state.scenario().source_json;
  return source.empty() ? std::string(R"({"rules":[]})") : source;
}

std::optional<std::string> EmulatorService::set_quotas(std::string_view json) {
  auto parsed = parse_quota_rules_json(json);
  if (auto* message = std::get_if<std::string>(&parsed)) return std::move(*message);
  impl_->quotas.set_rules(std::move(std::get<std::vector<QuotaRule>>(parsed)));
  return std::nullopt;
}

void EmulatorService::set_quotas(std::vector<QuotaRule> rules) {
  impl_->quotas.set_rules(std::move(rules));
}

std::string EmulatorService::quotas_json() const { return impl_->quotas.json(); }

void EmulatorService::reset() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->state = ScenarioState{};
  }
  impl_->quotas.refill();
  impl_->prompt_cache.clear();
}

}  // namespace bedrock_emulator
