#include "converse/converse_exchange.hpp"

#include "converse/cache_points.hpp"
#include "converse/request_defaults.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/uri_encoding.hpp"

#include <exception>

namespace llmm::converse {
namespace {

// The response's facts about a target reached through `route`.
void describe_target(BedrockResponse& response, const engine::Target& target,
                     const engine::AccessRoute& route) {
  response.model_name = target.model_name;
  response.model_id = target.model_id;
  response.region = target.region;
  response.access_method = route.method;
  if (route.method != AccessMethod::Direct) response.profile_id = route.id;
}

}  // namespace

ConverseExchange::ConverseExchange(ConverseRequest request, ConverseSettings settings)
    : request_(std::move(request)), settings_(std::move(settings)) {
  if (settings_.validation) validation_retries_left_ = settings_.validation->retries;
}

Adaptation ConverseExchange::adaptation_for(const engine::AttemptContext& attempt) const {
  Adaptation adaptation;
  if (auto it = adaptations_.find(attempt.target_index); it != adaptations_.end()) {
    adaptation = it->second;
  }
  if (!settings_.feature_fallback) return adaptation;
  const engine::Target& target = attempt.target;
  adaptation.drop_features.insert(target.unsupported.begin(), target.unsupported.end());
  if (const auto* memory = settings_.memory.get()) {
    for (auto feature : memory->rejected_features(target.model_id)) {
      adaptation.drop_features.insert(feature);
    }
    if (sent_fields_ &&
        memory->rejects_fields(attempt.route.id, target.region, sent_fields_->text())) {
      adaptation.drop_parameters = true;
    }
  }
  return adaptation;
}

ConverseRequest ConverseExchange::request_for(const engine::AttemptContext& attempt,
                                              engine::CallLog& log) {
  ConverseRequest request = base_request();
  if (settings_.model_specific) {
    const engine::Target& target = attempt.target;
    if (auto left_out = apply_model_specific(request, *settings_.model_specific,
                                             target.accepts_extended_context);
        left_out && warned_[attempt.target_index].insert(*left_out).second) {
      log.warnings.push_back("Left out " + *left_out + " for " + target.model_name + " in " +
                             target.region + " (not offered for that model)");
    }
  }
  inserted_cache_points_ = false;
  if (settings_.cache.enabled) {
    const engine::Target& target = attempt.target;
    inserted_cache_points_ = insert_cache_points(request, settings_.cache,
                                                 {target.caches_tools, target.caches_system,
                                                  target.caches_messages}) > 0;
  }
  return request;
}

std::optional<http::HttpRequest> ConverseExchange::build(const engine::AttemptContext& attempt,
                                                         engine::CallLog& log) {
  const engine::Target& target = attempt.target;
  ConverseRequest request = request_for(attempt, log);
  sent_fields_ = request.additional_model_request_fields;
  auto adapted = adapt(request, adaptation_for(attempt));
  if (!adapted) {
    log.warnings.push_back("Skipped " + target.model_name + " in " + target.region +
                           ": it cannot take this request without what it does not support");
    return std::nullopt;
  }
  auto& warned = warned_[attempt.target_index];
  for (const std::string& dropped : adapted->dropped) {
    if (warned.insert(dropped).second) {
      log.warnings.push_back("Dropped " + dropped + " for " + target.model_name + " in " +
                             target.region + " (not supported there)");
    }
  }
  const auto operation = streaming() ? protocol::ConverseOperation::ConverseStream
                                     : protocol::ConverseOperation::Converse;
  // The model id is one path segment: ':' and '/' are percent-encoded (wire doc §1.3).
  return target.signer.build("POST",
                             "/model/" + protocol::encode_path_segment(attempt.route.id) +
                                 (streaming() ? "/converse-stream" : "/converse"),
                             {}, protocol::encode_converse_request(adapted->request, operation),
                             attempt.invocation_id, attempt.number, attempt.max_attempts);
}

Result<ConverseOutput> ConverseExchange::read_answer(const http::HttpResponse& reply) {
  auto output = protocol::decode_converse_response(reply.body);
  if (!output) output.error().http_status = static_cast<int>(reply.status);
  return output;
}

engine::ReplyVerdict ConverseExchange::accept(http::HttpResponse reply,
                                              const engine::AttemptContext& attempt,
                                              engine::CallLog& log) {
  auto output = read_answer(reply);
  if (!output) return {engine::ReplyVerdict::Kind::Failed, std::move(output.error())};
  if (auto id = reply.header("x-amzn-RequestId")) output->request_id = *id;
  const long long tokens = output->usage.input_tokens + output->usage.output_tokens;
  engine::ReplyVerdict verdict{engine::ReplyVerdict::Kind::Accepted, {}};
  if (settings_.validation) {
    verdict = validate(std::move(*output), attempt, log);
  } else {
    answer_ = std::move(*output);
  }
  verdict.tokens = tokens;
  return verdict;
}

engine::ReplyVerdict ConverseExchange::validate(ConverseOutput output,
                                                const engine::AttemptContext& attempt,
                                                engine::CallLog& log) {
  // The validator sees the response as it would be returned.
  BedrockResponse candidate;
  describe_target(candidate, attempt.target, attempt.route);
  candidate.output = output;
  candidate.attempts = log.attempts;
  candidate.warnings = log.warnings;
  candidate.validations = validations_;
  candidate.total_duration = attempt.elapsed;
  ValidationResult verdict;
  try {
    verdict = settings_.validation->validator(candidate);
  } catch (const std::exception& error) {
    verdict = {false, std::string("the validator threw: ") + error.what()};
  } catch (...) {
    verdict = {false, "the validator threw a non-standard exception"};
  }
  validations_.push_back(ValidationRecord{attempt.number, verdict.success, verdict.message,
                                          verdict.success ? std::string() : output.text()});
  if (verdict.success) {
    answer_ = std::move(output);
    return {engine::ReplyVerdict::Kind::Accepted, {}};
  }
  Error rejected{ErrorCode::ResponseRejected,
                 "the answer failed response validation: " + verdict.message};
  if (validation_retries_left_ > 0) {
    --validation_retries_left_;
    return {engine::ReplyVerdict::Kind::RetryForValidation, std::move(rejected)};
  }
  return {engine::ReplyVerdict::Kind::Rejected, std::move(rejected)};
}

std::optional<AttemptDecision> ConverseExchange::drop_rejected(
    const engine::Triage& triage, const engine::AttemptContext& attempt) {
  if (!settings_.feature_fallback) return std::nullopt;
  Adaptation& adaptation = adaptations_[attempt.target_index];
  auto* memory = settings_.memory.get();
  if (triage.fault == engine::Fault::Parameters) {
    if (!sent_fields_ || adaptation.drop_parameters) return std::nullopt;
    adaptation.drop_parameters = true;
    if (memory) {
      memory->learn_rejects_fields(attempt.route.id, attempt.target.region, sent_fields_->text());
    }
    return AttemptDecision::DropParameters;
  }
  // Cache points may be this call's own (CacheConfig) as well as the caller's. Once dropped for
  // this target, drop_features holds them and they are not dropped again.
  const bool carried =
      triage.feature &&
      (carries(request_, *triage.feature) ||
       (*triage.feature == engine::RejectedFeature::CachePoints && inserted_cache_points_));
  if (triage.fault == engine::Fault::Feature && carried &&
      !adaptation.drop_features.contains(*triage.feature)) {
    adaptation.drop_features.insert(*triage.feature);
    if (memory) memory->learn_rejected_feature(attempt.target.model_id, *triage.feature);
    return AttemptDecision::DropFeature;
  }
  return std::nullopt;
}

BedrockResponse ConverseExchange::response_frame(engine::CallOutcome& outcome) {
  BedrockResponse response;
  if (outcome.target) describe_target(response, *outcome.target, outcome.route);
  response.error = std::move(outcome.error);
  response.attempts = std::move(outcome.log.attempts);
  response.warnings = std::move(outcome.log.warnings);
  response.total_duration = outcome.total_duration;
  return response;
}

BedrockResponse ConverseExchange::response(engine::CallOutcome outcome) {
  BedrockResponse response = response_frame(outcome);
  if (!response.error) response.output = std::move(answer_);
  response.validations = std::move(validations_);
  return response;
}

}  // namespace llmm::converse
