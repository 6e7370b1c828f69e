#include "manager/retry_engine.hpp"

#include "core/uuid.hpp"
#include "manager/request_adaptation.hpp"
#include "manager/stream_assembler.hpp"
#include "protocol/eventstream/event_stream_decoder.hpp"
#include "protocol/aws_error.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/uri_encoding.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>
#include <optional>

namespace llmm::manager {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

milliseconds elapsed_ms(SteadyTime from, SteadyTime to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

struct TargetState {
  TargetSpec spec;
  std::size_t route = 0;
  int transient_failures = 0;
  SteadyTime ready_at{};
  bool exhausted = false;
  bool tried = false;
  Adaptation adaptation;
  std::set<std::string> warned;  // drops already reported for this target

  [[nodiscard]] const AccessRoute& current_route() const {
    return spec.routes[std::min(route, spec.routes.size() - 1)];
  }
  [[nodiscard]] std::string breaker_key() const { return spec.model_id + "@" + spec.region; }
};

class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(const EngineSettings& settings, ConverseRequest request, CallOptions options,
       std::function<void(BedrockResponse)> done, std::optional<StreamSettings> stream)
      : settings_(settings), request_(std::move(request)), options_(std::move(options)),
        done_(std::move(done)), invocation_id_(core::random_uuid_v4()), stream_(std::move(stream)) {
    if (options_.validation) validation_retries_left_ = options_.validation->retries;
  }

  void start(const TargetPlanner& plan) {
    started_ = clock().now();
    for (TargetSpec& spec : plan()) targets_.push_back(TargetState{std::move(spec)});
    if (settings_.retry.total_deadline) deadline_ = started_ + *settings_.retry.total_deadline;
    settings_.memory->counters.calls++;
    if (targets_.empty()) {
      finish_failure(Error{ErrorCode::ModelNotFound,
                           "no configured model is offered in any configured region"});
      return;
    }
    pick_next();
  }

 private:
  Clock& clock() { return *settings_.seams.clock; }
  ManagerMemory& memory() { return *settings_.memory; }

  [[nodiscard]] bool attempts_left() const {
    const auto& limit = settings_.retry.max_retries;
    return !limit || static_cast<int>(attempts_.size()) <= *limit;
  }

  [[nodiscard]] int max_attempts_hint() const {
    if (settings_.retry.max_retries) return *settings_.retry.max_retries + 1;
    return static_cast<int>(targets_.size()) * (settings_.retries_max_attempts + 1);
  }

  // Records what follows the last attempt and reports it to the caller's progress callback.
  void conclude(AttemptDecision decision) {
    if (!decision_pending_) return;
    decision_pending_ = false;
    Attempt& attempt = attempts_.back();
    attempt.decision = decision;
    auto& counters = memory().counters;
    switch (decision) {
      case AttemptDecision::RetrySameTarget: counters.retries++; break;
      case AttemptDecision::Failover: counters.failovers++; break;
      case AttemptDecision::SwitchAccessMethod: counters.access_switches++; break;
      case AttemptDecision::DropParameters:
      case AttemptDecision::DropFeature: counters.fallbacks++; break;
      default: break;
    }
    if (options_.on_attempt) {
      try {
        options_.on_attempt(attempt);
      } catch (...) {
        // A progress display must not break the call.
      }
    }
  }

  // Chooses the next target: a target not tried yet, in order, goes first (failing over costs
  // no wait); then the first whose backoff has passed; else the one ready soonest, waited for.
  // Targets whose breaker is open are skipped unless every candidate is open.
  void pick_next() {
    const SteadyTime now = clock().now();
    if (!attempts_left()) {
      conclude(AttemptDecision::Stop);
      finish_failure(with_note(*last_error_, "no attempts left (RetryConfig.max_retries = " +
                                                 std::to_string(*settings_.retry.max_retries) + ")"));
      return;
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      const TargetState& target = targets_[i];
      if (!target.exhausted && target.transient_failures <= settings_.retries_max_attempts) {
        candidates.push_back(i);
      }
    }
    if (candidates.empty()) {
      conclude(AttemptDecision::Stop);
      // No attempt at all: every target lacks something the request needs (see warnings).
      finish_failure(last_error_ ? *last_error_
                                 : Error{ErrorCode::InvalidArgument,
                                         "no configured target can take this request without "
                                         "what it does not support (see warnings)"});
      return;
    }
    std::vector<std::size_t> closed;
    for (std::size_t i : candidates) {
      if (!memory().breakers.is_open(targets_[i].breaker_key(), now)) closed.push_back(i);
    }
    const std::vector<std::size_t>& pool = closed.empty() ? candidates : closed;
    auto untried = std::find_if(pool.begin(), pool.end(),
                                [&](std::size_t i) { return !targets_[i].tried; });
    auto ready = std::find_if(pool.begin(), pool.end(),
                              [&](std::size_t i) { return targets_[i].ready_at <= now; });
    std::size_t chosen = 0;
    if (untried != pool.end()) {
      chosen = *untried;
    } else if (ready != pool.end()) {
      chosen = *ready;
    } else {
      chosen = *std::min_element(pool.begin(), pool.end(), [&](std::size_t a, std::size_t b) {
        return targets_[a].ready_at < targets_[b].ready_at;
      });
    }
    const milliseconds wait = std::max(milliseconds(0), std::chrono::ceil<milliseconds>(
                                                            targets_[chosen].ready_at - now));
    if (deadline_ && now + wait >= *deadline_) {
      conclude(AttemptDecision::Stop);
      finish_failure(deadline_error("before the next attempt could start"));
      return;
    }
    if (!attempts_.empty()) {
      conclude(chosen == current_ ? AttemptDecision::RetrySameTarget : AttemptDecision::Failover);
    }
    if (wait.count() == 0) {
      send(chosen, wait);
      return;
    }
    settings_.transport->schedule(wait, [self = shared_from_this(), chosen, wait] {
      self->send(chosen, wait);
    });
  }

  void send(std::size_t index, milliseconds backoff_before) {
    if (finished_) return;
    if (deadline_ && clock().now() >= *deadline_) {
      finish_failure(deadline_error("before the next attempt could start"));
      return;
    }
    current_ = index;
    TargetState& target = targets_[index];
    target.tried = true;
    const AccessRoute& route = target.current_route();

    Adaptation adaptation = target.adaptation;
    if (settings_.retry.enable_feature_fallback) {
      adaptation.drop_features.insert(target.spec.unsupported.begin(), target.spec.unsupported.end());
      for (auto feature : memory().rejected_features(target.spec.model_id)) {
        adaptation.drop_features.insert(feature);
      }
      if (request_.additional_model_request_fields &&
          memory().rejects_fields(route.id, target.spec.region,
                                  request_.additional_model_request_fields->text())) {
        adaptation.drop_parameters = true;
      }
    }
    auto adapted = adapt(stream_ ? continuation_request() : request_, adaptation);
    if (!adapted) {
      warnings_.push_back("Skipped " + target.spec.model_name + " in " + target.spec.region +
                          ": it cannot take this request without what it does not support");
      target.exhausted = true;
      pick_next();
      return;
    }
    for (const std::string& dropped : adapted->dropped) {
      if (target.warned.insert(dropped).second) {
        warnings_.push_back("Dropped " + dropped + " for " + target.spec.model_name + " in " +
                            target.spec.region + " (not supported there)");
      }
    }

    Attempt attempt;
    attempt.number = static_cast<int>(attempts_.size()) + 1;
    attempt.model_name = target.spec.model_name;
    attempt.model_id = route.id;
    attempt.region = target.spec.region;
    attempt.access_method = route.method;
    attempt.started = clock().wall_now();
    attempt.backoff_before = backoff_before;
    attempts_.push_back(attempt);
    decision_pending_ = true;
    memory().counters.attempts++;

    http::HttpRequest http_request;
    try {
      // The model id is one path segment: ':' and '/' are percent-encoded (wire doc §1.3).
      const auto operation = stream_ ? protocol::ConverseOperation::ConverseStream
                                     : protocol::ConverseOperation::Converse;
      http_request = target.spec.signer.build(
          "POST",
          "/model/" + protocol::encode_path_segment(route.id) +
              (stream_ ? "/converse-stream" : "/converse"),
          {}, protocol::encode_converse_request(adapted->request, operation), invocation_id_,
          attempt.number, max_attempts_hint());
    } catch (const std::exception& error) {
      Error failure{ErrorCode::InvalidArgument, std::string("cannot build the request: ") + error.what()};
      fail_attempt(failure);
      return;
    }
    const SteadyTime sent_at = clock().now();
    const int number = attempt.number;
    http::RequestCallbacks callbacks{
        .on_complete = [self = shared_from_this(), index, sent_at](Result<http::HttpResponse> reply) {
          self->on_reply(index, sent_at, std::move(reply));
        }};
    if (stream_) {
      begin_stream_attempt();
      callbacks.on_body_chunk = [self = shared_from_this()](std::string_view bytes) {
        return self->on_stream_bytes(bytes);
      };
    }
    const http::RequestId id = settings_.transport->submit(std::move(http_request), std::move(callbacks));
    if (stream_ && stream_->first_token_timeout) {
      settings_.transport->schedule(
          *stream_->first_token_timeout,
          [weak = weak_from_this(), transport = settings_.transport, id, number] {
            auto self = weak.lock();
            if (!self || self->finished_ || static_cast<int>(self->attempts_.size()) != number ||
                !self->decision_pending_ || self->assembler_.content_started()) {
              return;
            }
            self->first_token_missed_ = true;
            transport->cancel(id);
          });
    }
    if (deadline_) {
      // Every call runs on the loop thread, so this timer and on_reply never race.
      settings_.transport->schedule(
          std::chrono::ceil<milliseconds>(*deadline_ - clock().now()),
          [weak = weak_from_this(), transport = settings_.transport, id, number] {
            auto self = weak.lock();
            if (!self || self->finished_ || static_cast<int>(self->attempts_.size()) != number ||
                !self->decision_pending_) {
              return;
            }
            self->deadline_passed_ = true;
            transport->cancel(id);
          });
    }
  }

  void on_reply(std::size_t index, SteadyTime sent_at, Result<http::HttpResponse> reply) {
    if (finished_) return;
    const SteadyTime now = clock().now();
    attempts_.back().duration = elapsed_ms(sent_at, now);
    TargetState& target = targets_[index];
    std::optional<milliseconds> hint;
    Error error;
    if (stream_ && reply && reply->status >= 200 && reply->status < 300) {
      if (auto ended = stream_outcome()) {
        error = std::move(*ended);
      } else {
        memory().breakers.record_success(target.breaker_key());
        ConverseOutput output = streamed_output();
        if (auto id = reply->header("x-amzn-RequestId")) output.request_id = *id;
        on_answer(index, std::move(output));
        return;
      }
    } else if (reply && reply->status >= 200 && reply->status < 300) {
      auto output = protocol::decode_converse_response(reply->body);
      if (output) {
        if (auto id = reply->header("x-amzn-RequestId")) output->request_id = *id;
        memory().breakers.record_success(target.breaker_key());
        on_answer(index, std::move(*output));
        return;
      }
      error = output.error();
      error.http_status = static_cast<int>(reply->status);
    } else if (reply) {
      error = protocol::error_from_response(*reply);
      if (settings_.retry.honour_retry_after) hint = protocol::retry_after_hint(*reply);
    } else if (stream_error_) {
      error = *stream_error_;  // we aborted the transfer for it
    } else {
      error = reply.error();
    }
    if (deadline_passed_ && error.code == ErrorCode::Cancelled) {
      error = deadline_error("during attempt " + std::to_string(attempts_.size()));
    } else if (first_token_missed_ && error.code == ErrorCode::Cancelled) {
      error = Error{ErrorCode::Timeout, "no first token within " +
                                            std::to_string(stream_->first_token_timeout->count()) +
                                            " ms"};
    }
    fail_attempt(std::move(error), hint);
  }

  void fail_attempt(Error error, std::optional<milliseconds> hint = std::nullopt) {
    TargetState& target = targets_[current_];
    const AccessRoute& route = target.current_route();
    error.model_id = route.id;
    error.region = target.spec.region;
    error.attempt = attempts_.back().number;
    attempts_.back().error = error;
    last_error_ = error;
    if (stream_ && attempt_delivered_) {
      if (!stream_->recover) {
        conclude(AttemptDecision::Stop);
        finish_failure(error);
        return;
      }
      note_recovery(error);
    }

    const retry::Triage verdict = retry::triage(error);
    const bool fallback = settings_.retry.enable_feature_fallback;
    switch (verdict.fault) {
      case retry::Fault::Transient: {
        ++target.transient_failures;
        const SteadyTime now = clock().now();
        if (memory().breakers.record_failure(target.breaker_key(), now)) {
          memory().counters.breaker_opens++;
          warnings_.push_back("Circuit breaker opened for " + target.spec.model_name + " in " +
                              target.spec.region);
        }
        const milliseconds delay = settings_.retry.backoff().delay_for(
            target.transient_failures - 1, settings_.seams.random->uniform(), hint);
        target.ready_at = now + delay;
        pick_next();
        return;
      }
      case retry::Fault::ProfileRequired:
        memory().learn_needs_profile(target.spec.model_id, target.spec.region);
        if (advance_route(target, /*profiles_only=*/true)) {
          const AccessRoute& next = target.current_route();
          warnings_.push_back(target.spec.model_name + " in " + target.spec.region +
                              " requires an inference profile; using " +
                              std::string(to_string(next.method)) + " " + next.id);
          resend(AttemptDecision::SwitchAccessMethod);
          return;
        }
        break;
      case retry::Fault::Target:
        if (advance_route(target, /*profiles_only=*/false)) {
          resend(AttemptDecision::SwitchAccessMethod);
          return;
        }
        break;
      case retry::Fault::Parameters:
        if (fallback && request_.additional_model_request_fields &&
            !target.adaptation.drop_parameters) {
          target.adaptation.drop_parameters = true;
          memory().learn_rejects_fields(route.id, target.spec.region,
                                        request_.additional_model_request_fields->text());
          resend(AttemptDecision::DropParameters);
          return;
        }
        break;
      case retry::Fault::Feature:
        if (fallback && carries(request_, *verdict.feature) &&
            !target.adaptation.drop_features.contains(*verdict.feature)) {
          target.adaptation.drop_features.insert(*verdict.feature);
          memory().learn_rejected_feature(target.spec.model_id, *verdict.feature);
          resend(AttemptDecision::DropFeature);
          return;
        }
        break;
      case retry::Fault::Request:
      case retry::Fault::Fatal:
        conclude(AttemptDecision::Stop);
        finish_failure(error);
        return;
    }
    target.exhausted = true;  // nothing else to try on this target
    pick_next();
  }

  // Same target at once (another id, or without what it rejected), attempts allowing.
  void resend(AttemptDecision decision) {
    if (!attempts_left()) {
      pick_next();  // reports the limit
      return;
    }
    conclude(decision);
    send(current_, milliseconds(0));
  }

  bool advance_route(TargetState& target, bool profiles_only) {
    while (++target.route < target.spec.routes.size()) {
      if (!profiles_only || target.spec.routes[target.route].method != AccessMethod::Direct) {
        return true;
      }
    }
    return false;
  }

  void on_answer(std::size_t index, ConverseOutput output) {
    if (options_.validation) {
      // The validator sees the response as it would be returned.
      BedrockResponse candidate = response_for(index);
      candidate.output = output;
      candidate.attempts = attempts_;
      candidate.warnings = warnings_;
      candidate.validations = validations_;
      candidate.total_duration = elapsed_ms(started_, clock().now());
      ValidationResult verdict;
      try {
        verdict = options_.validation->validator(candidate);
      } catch (const std::exception& error) {
        verdict = {false, std::string("the validator threw: ") + error.what()};
      } catch (...) {
        verdict = {false, "the validator threw a non-standard exception"};
      }
      validations_.push_back(ValidationRecord{attempts_.back().number, verdict.success,
                                              verdict.message,
                                              verdict.success ? std::string() : output.text()});
      if (!verdict.success) {
        Error rejected{ErrorCode::ResponseRejected,
                       "the answer failed response validation: " + verdict.message};
        rejected.model_id = targets_[index].current_route().id;
        rejected.region = targets_[index].spec.region;
        rejected.attempt = attempts_.back().number;
        attempts_.back().error = rejected;
        last_error_ = rejected;
        if (validation_retries_left_ > 0 && attempts_left()) {
          --validation_retries_left_;
          resend(AttemptDecision::RetryForValidation);
          return;
        }
        conclude(AttemptDecision::Stop);
        finish_failure(rejected);
        return;
      }
    }
    conclude(AttemptDecision::Succeeded);
    BedrockResponse response = response_for(index);
    response.output = std::move(output);
    finish(std::move(response));
  }

  Error deadline_error(const std::string& when) const {
    Error error{ErrorCode::Timeout,
                "the call's total deadline of " +
                    std::to_string(settings_.retry.total_deadline->count()) + " ms passed " + when};
    if (last_error_) error.message += "; last error: " + last_error_->describe();
    return error;
  }

  static Error with_note(Error error, const std::string& note) {
    error.message += " (" + note + ")";
    return error;
  }

  // The response's facts about the target of `index` (the one last attempted); finish() adds the
  // call's history.
  BedrockResponse response_for(std::size_t index) const {
    BedrockResponse response;
    const TargetState& target = targets_[index];
    const AccessRoute& route = target.current_route();
    response.model_name = target.spec.model_name;
    response.model_id = target.spec.model_id;
    response.region = target.spec.region;
    response.access_method = route.method;
    if (route.method != AccessMethod::Direct) response.profile_id = route.id;
    return response;
  }

  void finish_failure(Error error) {
    BedrockResponse response;
    if (!targets_.empty()) response = response_for(current_);
    response.error = std::move(error);
    if (!delivered_text_.empty()) {
      ConverseOutput partial;
      partial.message.content.emplace_back(TextBlock{delivered_text_});
      response.partial_output = std::move(partial);
    }
    finish(std::move(response));
  }

  void finish(BedrockResponse response) {
    if (finished_) return;
    finished_ = true;
    (response.ok() ? memory().counters.succeeded : memory().counters.failed)++;
    response.attempts = std::move(attempts_);
    response.warnings = std::move(warnings_);
    response.validations = std::move(validations_);
    response.recoveries = std::move(recoveries_);
    response.total_duration = elapsed_ms(started_, clock().now());
    auto done = std::move(done_);
    done(std::move(response));
  }

  // ---- ConverseStream ------------------------------------------------------------------------

  // After content has started, the next target continues the answer: the text so far goes out
  // as the start of the assistant's turn (the caller's request itself is never changed).
  [[nodiscard]] ConverseRequest continuation_request() const {
    if (delivered_text_.empty()) return request_;
    ConverseRequest request = request_;
    std::string prefix = delivered_text_;
    // The service refuses an assistant turn ending in whitespace.
    while (!prefix.empty() && std::isspace(static_cast<unsigned char>(prefix.back())) != 0) {
      prefix.pop_back();
    }
    if (prefix.empty()) return request;
    if (!request.messages.empty() && request.messages.back().role == Role::Assistant) {
      request.messages.back().content.emplace_back(TextBlock{std::move(prefix)});
    } else {
      request.messages.push_back(Message{Role::Assistant, {TextBlock{std::move(prefix)}}});
    }
    return request;
  }

  void begin_stream_attempt() {
    decoder_ = eventstream::EventStreamDecoder{};
    assembler_ = StreamAssembler{};
    stream_error_.reset();
    first_token_missed_ = false;
    attempt_delivered_ = false;
    kept_at_start_ = delivered_text_;
    // A model may start its answer over instead of continuing it: hold back text that repeats
    // what the consumer already has, until it either repeats all of it or departs from it.
    overlap_checked_ = 0;
    overlap_held_.clear();
    overlap_dropped_ = 0;
    overlap_active_ = !delivered_text_.empty();
  }

  bool on_stream_bytes(std::string_view bytes) {
    if (stream_error_) return false;
    auto fed = decoder_.feed(bytes, [this](eventstream::Message&& message) {
      if (stream_error_) return;
      auto events = assembler_.on_message(message);
      if (!events) {
        stream_error_ = events.error();
        return;
      }
      for (StreamEvent& event : *events) deliver(std::move(event));
    });
    if (!fed) stream_error_ = fed.error();
    return !stream_error_;
  }

  void deliver(StreamEvent event) {
    if (event.type == StreamEventType::Text && overlap_active_) {
      std::string fresh;
      for (char c : event.text) {
        if (overlap_active_ && c == kept_at_start_[overlap_checked_]) {
          overlap_held_ += c;
          if (++overlap_checked_ == kept_at_start_.size()) {  // a full restart: drop it
            overlap_dropped_ = overlap_held_.size();
            overlap_held_.clear();
            overlap_active_ = false;
          }
          continue;
        }
        if (overlap_active_) {  // a real continuation: release what was held back
          fresh += overlap_held_;
          overlap_held_.clear();
          overlap_active_ = false;
        }
        fresh += c;
      }
      if (fresh.empty()) return;
      event.text = std::move(fresh);
    }
    if (event.type == StreamEventType::Text) {
      delivered_text_ += event.text;
      attempt_delivered_ = true;
    } else if (event.type == StreamEventType::ToolUseStart ||
               event.type == StreamEventType::ToolUseInput ||
               event.type == StreamEventType::Reasoning) {
      attempt_delivered_ = true;
    }
    emit(event);
  }

  void emit(const StreamEvent& event) {
    try {
      stream_->on_event(event);
    } catch (...) {
      // The consumer's handler must not break the call.
    }
  }

  // Why a 2xx stream that ended is not a complete answer; nullopt when it is.
  std::optional<Error> stream_outcome() {
    if (stream_error_) return stream_error_;
    if (auto ended = decoder_.finish(); !ended) return ended.error();
    if (!assembler_.stopped()) {
      return Error{ErrorCode::StreamCorrupt, "the stream ended before messageStop"};
    }
    return std::nullopt;
  }

  // The answer as Converse would give it; after a recovery the text kept from earlier targets
  // leads the first text block, and a restarted prefix is not counted twice.
  ConverseOutput streamed_output() {
    if (overlap_active_) {  // the stream ended inside a repeat: the consumer has all of it
      overlap_dropped_ = overlap_checked_;
      overlap_held_.clear();
      overlap_active_ = false;
    }
    ConverseOutput output = assembler_.output();
    if (kept_at_start_.empty()) return output;
    auto& content = output.message.content;
    auto first_text = std::find_if(content.begin(), content.end(), [](const ContentBlock& block) {
      return std::holds_alternative<TextBlock>(block);
    });
    if (first_text == content.end()) {
      content.insert(content.begin(), TextBlock{kept_at_start_});
    } else {
      auto& text = std::get<TextBlock>(*first_text).text;
      text = kept_at_start_ + text.substr(std::min(overlap_dropped_, text.size()));
    }
    return output;
  }

  void note_recovery(const Error& error) {
    const TargetState& target = targets_[current_];
    recoveries_.push_back(StreamRecovery{attempts_.back().number, target.spec.region,
                                         target.current_route().id, error.describe(),
                                         delivered_text_.size()});
    warnings_.push_back("The stream from " + target.spec.model_name + " in " + target.spec.region +
                        " broke after " + std::to_string(delivered_text_.size()) +
                        " characters (" + std::string(to_string(error.code)) +
                        "); continuing on the next target");
    StreamEvent event{StreamEventType::Recovery};
    event.text = error.describe();
    emit(event);
  }

  EngineSettings settings_;
  std::vector<TargetState> targets_;
  ConverseRequest request_;
  CallOptions options_;
  std::function<void(BedrockResponse)> done_;
  std::string invocation_id_;

  std::vector<Attempt> attempts_;
  std::vector<std::string> warnings_;
  std::vector<ValidationRecord> validations_;
  std::optional<Error> last_error_;
  SteadyTime started_{};
  std::optional<SteadyTime> deadline_;
  std::size_t current_ = 0;
  int validation_retries_left_ = 0;
  bool decision_pending_ = false;
  bool deadline_passed_ = false;
  bool finished_ = false;

  std::optional<StreamSettings> stream_;
  eventstream::EventStreamDecoder decoder_;
  StreamAssembler assembler_;
  std::optional<Error> stream_error_;
  bool first_token_missed_ = false;
  bool attempt_delivered_ = false;  // this attempt gave the consumer content
  std::string delivered_text_;      // every text the consumer received, across attempts
  std::string kept_at_start_;       // delivered_text_ when this attempt began
  std::size_t overlap_checked_ = 0;
  std::string overlap_held_;
  std::size_t overlap_dropped_ = 0;
  bool overlap_active_ = false;
  std::vector<StreamRecovery> recoveries_;
};

}  // namespace

void run_call(const EngineSettings& settings, TargetPlanner plan, ConverseRequest request,
              CallOptions options, std::function<void(BedrockResponse)> done,
              std::optional<StreamSettings> stream) {
  auto call = std::make_shared<Call>(settings, std::move(request), std::move(options),
                                     std::move(done), std::move(stream));
  // The whole call runs on the loop thread, so its state needs no lock.
  settings.transport->schedule(milliseconds(0),
                               [call, plan = std::move(plan)] { call->start(plan); });
}

}  // namespace llmm::manager
