#pragma once
// Converse on the call engine: each attempt sends the caller's request adapted to its target
// (its model's fields and cache points; without the request fields, media, tools, guardrails or
// cache points that target rejects, when fallback is on), reads the JSON answer, and, when the call
// asks for it, holds the answer to the caller's validator. Built per call; the caller's request is
// never changed.

#include "converse/request_adaptation.hpp"
#include "engine/call_engine.hpp"
#include "engine/exchange.hpp"
#include "engine/manager_memory.hpp"

#include <llmm/bedrock_response.hpp>
#include <llmm/cache_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/model_specific_config.hpp>
#include <llmm/response_validation.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace llmm::converse {

struct ConverseSettings {
  // Leave out what a target rejects and resend (RetryConfig::enable_feature_fallback).
  bool feature_fallback = true;
  std::optional<ResponseValidationConfig> validation;
  // Facts learned across calls (rejected fields and features); null: nothing is learned.
  std::shared_ptr<engine::ManagerMemory> memory;
  // Request fields for the model each attempt goes to (request_defaults.hpp).
  std::optional<ModelSpecificConfig> model_specific;
  // Cache points for the targets that take them (cache_points.hpp); off by default.
  CacheConfig cache;
};

class ConverseExchange : public engine::Exchange {
 public:
  ConverseExchange(ConverseRequest request, ConverseSettings settings);

  std::optional<http::HttpRequest> build(const engine::AttemptContext& attempt,
                                         engine::CallLog& log) override;
  engine::ReplyVerdict accept(http::HttpResponse reply, const engine::AttemptContext& attempt,
                              engine::CallLog& log) override;
  std::optional<AttemptDecision> drop_rejected(const engine::Triage& triage,
                                               const engine::AttemptContext& attempt) override;

  // The call's response: the answer (or the error) with the target, route and history.
  [[nodiscard]] virtual BedrockResponse response(engine::CallOutcome outcome);

 protected:
  // The request the next attempt adapts: the caller's, or a stream's continuation of it.
  [[nodiscard]] virtual ConverseRequest base_request() const { return request_; }
  [[nodiscard]] virtual bool streaming() const { return false; }
  // Reads a 2xx reply into the answer, or the error that makes it a failed attempt.
  virtual Result<ConverseOutput> read_answer(const http::HttpResponse& reply);
  // The response without the answer: the target's facts and the call's history.
  [[nodiscard]] static BedrockResponse response_frame(engine::CallOutcome& outcome);

  const ConverseRequest request_;

 private:
  // The request this target is sent before adaptation: base_request() with its model's fields.
  [[nodiscard]] ConverseRequest request_for(const engine::AttemptContext& attempt,
                                            engine::CallLog& log);
  [[nodiscard]] Adaptation adaptation_for(const engine::AttemptContext& attempt) const;
  engine::ReplyVerdict validate(ConverseOutput output, const engine::AttemptContext& attempt,
                                engine::CallLog& log);

  ConverseSettings settings_;
  // Per target of the plan: what it rejected in this call, and the drops already reported.
  std::map<std::size_t, Adaptation> adaptations_;
  std::map<std::size_t, std::set<std::string>> warned_;
  // The additionalModelRequestFields of the attempt built last (what a target's rejection of
  // request fields is learned for).
  std::optional<JsonValue> sent_fields_;
  // Whether the attempt built last got cache points of CacheConfig's (the caller's own are seen
  // in request_): what a target's rejection of caching can drop.
  bool inserted_cache_points_ = false;
  int validation_retries_left_ = 0;
  std::vector<ValidationRecord> validations_;
  std::optional<ConverseOutput> answer_;
};

}  // namespace llmm::converse
