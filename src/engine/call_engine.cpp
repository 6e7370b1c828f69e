#include "engine/call_engine.hpp"

#include "core/uuid.hpp"
#include "observe/wire_log.hpp"
#include "protocol/aws_error.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <utility>

namespace llmm::engine {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

milliseconds elapsed_ms(SteadyTime from, SteadyTime to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

bool is_2xx(const http::HttpResponse& reply) { return reply.status >= 200 && reply.status < 300; }

struct TargetState {
  Target spec;
  std::size_t route = 0;
  int transient_failures = 0;
  SteadyTime ready_at{};
  bool exhausted = false;
  bool tried = false;

  [[nodiscard]] const AccessRoute& current_route() const {
    return spec.routes[std::min(route, spec.routes.size() - 1)];
  }
};

class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(const EngineSettings& settings, std::shared_ptr<Exchange> exchange,
       std::function<void(CallOutcome)> done, AttemptObserver on_attempt)
      : settings_(settings),
        exchange_(std::move(exchange)),
        done_(std::move(done)),
        on_attempt_(std::move(on_attempt)),
        invocation_id_(core::random_uuid_v4()) {}

  void start(const TargetPlanner& plan, const CallControls& controls) {
    log_.started = clock().now();
    call_id_ = controls.call_id;
    if (controls.cancel.stop_requested()) {
      finish(Error{ErrorCode::Cancelled, "the call was cancelled before it started"});
      return;
    }
    for (Target& spec : plan()) {
      if (!spec.routes.empty()) targets_.push_back(TargetState{std::move(spec)});
    }
    // The earlier of the manager's total deadline and this call's own timeout, named as such.
    if (settings_.total_deadline) {
      deadline_limit_ = *settings_.total_deadline;
      deadline_name_ = "the call's total deadline";
    }
    if (controls.timeout && (!deadline_limit_ || *controls.timeout < *deadline_limit_)) {
      deadline_limit_ = *controls.timeout;
      deadline_name_ = kRequestTimeoutName;
    }
    if (deadline_limit_) deadline_ = log_.started + *deadline_limit_;
    if (controls.cancel.stop_possible()) {
      // Runs on the thread that requests the stop (or here, at once): hand over to the loop.
      cancel_callback_.emplace(controls.cancel,
                               CancelHandler{weak_from_this(), settings_.transport});
    }
    if (auto* memory = settings_.memory.get()) memory->counters.calls++;
    if (targets_.empty()) {
      finish(Error{ErrorCode::ModelNotFound,
                   "no configured model is offered in any configured region"});
      return;
    }
    pick_next();
  }

 private:
  Clock& clock() { return *settings_.seams.clock; }
  ManagerMemory* memory() { return settings_.memory.get(); }

  [[nodiscard]] bool attempts_left() const {
    const auto& limit = settings_.max_retries;
    return !limit || static_cast<int>(log_.attempts.size()) - credential_resends_ <= *limit;
  }

  [[nodiscard]] int max_attempts() const {
    if (settings_.max_retries) return *settings_.max_retries + 1;
    return static_cast<int>(targets_.size()) * (settings_.retries_per_target + 1);
  }

  [[nodiscard]] AttemptContext context() {
    const TargetState& target = targets_[current_];
    return AttemptContext{current_,
                          target.spec,
                          target.current_route(),
                          static_cast<int>(log_.attempts.size()),
                          max_attempts(),
                          invocation_id_,
                          elapsed_ms(log_.started, settings_.seams.clock->now())};
  }

  // Records what follows the last attempt and reports it to the caller's observer.
  void conclude(AttemptDecision decision) {
    if (!decision_pending_) return;
    decision_pending_ = false;
    Attempt& attempt = log_.attempts.back();
    attempt.decision = decision;
    if (auto* learned = memory()) {
      auto& counters = learned->counters;
      switch (decision) {
        case AttemptDecision::RetrySameTarget: counters.retries++; break;
        case AttemptDecision::Failover: counters.failovers++; break;
        case AttemptDecision::SwitchAccessMethod: counters.access_switches++; break;
        case AttemptDecision::DropParameters:
        case AttemptDecision::DropFeature: counters.fallbacks++; break;
        default: break;
      }
    }
    if (on_attempt_) {
      try {
        on_attempt_(attempt);
      } catch (...) {  // NOLINT(bugprone-empty-catch): a progress display must not break the call
      }
    }
  }

  [[nodiscard]] bool breaker_open(const TargetState& target, SteadyTime now) {
    auto* learned = memory();
    return learned && learned->breakers.is_open(target.spec.breaker_key(), now);
  }

  // Chooses the next target: a target not tried yet, in order, goes first (failing over costs
  // no wait); then the first whose backoff has passed; else the one ready soonest, waited for.
  // Targets whose breaker is open are skipped unless every candidate is open.
  void pick_next() {
    const SteadyTime now = clock().now();
    if (!attempts_left()) {
      conclude(AttemptDecision::Stop);
      finish(with_note(*last_error_, "no attempts left (RetryConfig.max_retries = " +
                                         std::to_string(*settings_.max_retries) + ")"));
      return;
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      const TargetState& target = targets_[i];
      if (!target.exhausted && target.transient_failures <= settings_.retries_per_target) {
        candidates.push_back(i);
      }
    }
    if (!settings_.failover && !log_.attempts.empty()) {
      std::erase_if(candidates, [this](std::size_t i) { return i != current_; });
    }
    if (candidates.empty()) {
      conclude(AttemptDecision::Stop);
      // No attempt at all: every target lacks something the request needs (see warnings).
      finish(last_error_ ? *last_error_
                         : Error{ErrorCode::InvalidArgument,
                                 "no configured target can take this request without what it "
                                 "does not support (see warnings)"});
      return;
    }
    std::vector<std::size_t> closed;
    for (std::size_t i : candidates) {
      if (!breaker_open(targets_[i], now)) closed.push_back(i);
    }
    const std::vector<std::size_t>& pool = closed.empty() ? candidates : closed;
    auto untried =
        std::find_if(pool.begin(), pool.end(), [&](std::size_t i) { return !targets_[i].tried; });
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
    const milliseconds wait =
        std::max(milliseconds(0), std::chrono::ceil<milliseconds>(targets_[chosen].ready_at - now));
    if (deadline_ && now + wait >= *deadline_) {
      conclude(AttemptDecision::Stop);
      finish(deadline_error("before the next attempt could start"));
      return;
    }
    if (!log_.attempts.empty()) {
      conclude(chosen == current_ ? AttemptDecision::RetrySameTarget : AttemptDecision::Failover);
    }
    if (wait.count() == 0) {
      send(chosen, wait);
      return;
    }
    settings_.transport->schedule(
        wait, [self = shared_from_this(), chosen, wait] { self->send(chosen, wait); });
  }

  void send(std::size_t index, milliseconds backoff_before) {
    if (finished_) return;
    if (deadline_ && clock().now() >= *deadline_) {
      finish(deadline_error("before the next attempt could start"));
      return;
    }
    const auth::RequestSigner& signer = targets_[index].spec.signer;
    if (signer.credentials && !credentials_awaited_ && wait_for_credentials(index, backoff_before))
      return;
    credentials_awaited_ = false;
    if (!rate_admitted_ && wait_for_rate(index, backoff_before)) return;
    rate_admitted_ = false;
    if (signer.credentials) signed_generation_ = signer.credentials->current().generation;
    signed_offset_ = signer.clock_offset ? signer.clock_offset->offset() : milliseconds(0);
    current_ = index;
    TargetState& target = targets_[index];
    target.tried = true;
    const AccessRoute& route = target.current_route();

    Attempt attempt;
    attempt.number = static_cast<int>(log_.attempts.size()) + 1;
    attempt.model_name = target.spec.model_name;
    attempt.model_id = route.id;
    attempt.region = target.spec.region;
    attempt.access_method = route.method;
    attempt.backoff_before = backoff_before;
    attempt.rate_wait_before = std::exchange(rate_waited_, milliseconds(0));
    const AttemptContext ctx{index,
                             target.spec,
                             route,
                             attempt.number,
                             max_attempts(),
                             invocation_id_,
                             elapsed_ms(log_.started, clock().now())};

    std::optional<http::HttpRequest> request;
    try {
      request = exchange_->build(ctx, log_);
    } catch (const std::exception& error) {
      give_back_rate(index);
      begin_attempt(std::move(attempt));
      fail_attempt(Error{ErrorCode::InvalidArgument,
                         std::string("cannot build the request: ") + error.what()});
      return;
    }
    if (!request) {  // this target cannot take the call: nothing was attempted
      give_back_rate(index);
      target.exhausted = true;
      pick_next();
      return;
    }
    begin_attempt(std::move(attempt));
    rate_reserved_ = false;  // the attempt goes out: its reservation is spent

    const SteadyTime sent_at = clock().now();
    const int number = log_.attempts.back().number;
    if (settings_.wire_log) observe::log_request(*settings_.wire_log, call_id_, number, *request);
    http::RequestCallbacks callbacks{
        .on_complete =
            [self = shared_from_this(), sent_at](Result<http::HttpResponse> reply) {
              self->on_reply(sent_at, std::move(reply));
            },
        .on_body_chunk = exchange_->body_sink()};
    const http::RequestId id =
        settings_.transport->submit(std::move(*request), std::move(callbacks));
    in_flight_ = id;
    if (auto limit = exchange_->first_content_timeout()) {
      arm_attempt_timer(*limit, id, number, &Call::first_content_missed_);
    }
    if (deadline_) {
      arm_attempt_timer(std::chrono::ceil<milliseconds>(*deadline_ - clock().now()), id, number,
                        &Call::deadline_passed_);
    }
  }

  // The credentials are being refreshed and this attempt may not go out with the old ones
  // (credential_cache.hpp): send it when the refresh ends, on the loop thread. True when waiting.
  bool wait_for_credentials(std::size_t index, milliseconds backoff_before) {
    auth::CredentialCache& credentials = *targets_[index].spec.signer.credentials;
    const bool waiting =
        credentials.wait_if_needed([self = shared_from_this(), transport = settings_.transport,
                                    index, backoff_before](std::optional<Error> failure) mutable {
          // Runs on the cache's worker: only hand over to the loop here.
          transport->schedule(milliseconds(0), [self = std::move(self), index, backoff_before,
                                                failure = std::move(failure)]() mutable {
            self->credentials_ready(index, backoff_before, std::move(failure));
          });
        });
    if (waiting && deadline_) {
      // The refresh is bounded by its provider, not by this call: the deadline still holds.
      credentials_timer_ = settings_.transport->schedule(
          std::chrono::ceil<milliseconds>(*deadline_ - clock().now()), [weak = weak_from_this()] {
            auto self = weak.lock();
            if (!self || self->finished_) return;
            self->finish(self->deadline_error("while the call waited for fresh credentials"));
          });
    }
    return waiting;
  }

  void credentials_ready(std::size_t index, milliseconds backoff_before,
                         std::optional<Error> failure) {
    if (credentials_timer_ != 0) {
      settings_.transport->cancel_timer(credentials_timer_);
      credentials_timer_ = 0;
    }
    if (finished_) return;
    if (failure) {
      // Every target signs with the same credentials: there is nowhere else to go.
      failure->region = targets_[index].spec.region;
      failure->model_id = targets_[index].current_route().id;
      if (last_error_) failure->message += "; last error: " + last_error_->describe();
      finish(std::move(*failure));
      return;
    }
    credentials_awaited_ = true;
    send(index, backoff_before);
  }

  // The target's rate controller reserves this attempt (rate_controllers.hpp); when it may not
  // go yet, it waits on a loop timer and is sent when that fires, or asks again then when
  // nothing could be reserved yet. True when waiting (or when the call ended because the wait
  // would outlast its deadline).
  bool wait_for_rate(std::size_t index, milliseconds backoff_before) {
    auto* learned = memory();
    if (!learned || !learned->rates.active()) return false;
    const Target& spec = targets_[index].spec;
    const SteadyTime now = clock().now();
    const RateAdmission admission = learned->rates.admit(spec, now);
    const milliseconds wait = std::chrono::ceil<milliseconds>(admission.wait);
    rate_reserved_ = admission.reserved;
    if (admission.reserved) rate_admitted_at_ = now;
    if (wait.count() <= 0 && admission.reserved) return false;
    if (deadline_ && now + wait >= *deadline_) {
      // As a backoff that cannot end in time: the call ends now, not at the deadline.
      give_back_rate(index);
      finish(deadline_error("before the next attempt could start (the rate limit of " +
                            spec.model_name + " in " + spec.region +
                            (admission.reserved ? " held it " : " had no slot within ") +
                            std::to_string(wait.count()) + " ms)"));
      return true;
    }
    // One wait per attempt, however many times it had to ask again.
    if (rate_waited_.count() == 0) learned->counters.rate_limited_waits++;
    rate_wait_ = RateWait{index, now, 0};
    rate_wait_->timer = settings_.transport->schedule(
        wait,
        [self = shared_from_this(), index, backoff_before, wait, reserved = admission.reserved] {
          if (self->finished_ || !self->rate_wait_) return;
          self->end_rate_wait();
          self->rate_admitted_ = reserved;
          self->rate_waited_ += wait;
          self->send(index, backoff_before);
        });
    return true;
  }

  // The rate wait is over (served, or cut short by the call's end): counted as far as it went.
  void end_rate_wait() {
    if (!rate_wait_) return;
    if (auto* learned = memory()) {
      const auto waited = std::chrono::ceil<milliseconds>(clock().now() - rate_wait_->since);
      learned->counters.rate_limited_wait_ms += static_cast<std::uint64_t>(waited.count());
    }
    rate_wait_.reset();
  }

  // The attempt the rate controller reserved does not go out: its token goes back.
  void give_back_rate(std::size_t index) {
    if (!rate_reserved_) return;
    rate_reserved_ = false;
    if (auto* learned = memory()) learned->rates.give_back(targets_[index].spec, clock().now());
  }

  // Tells the current target's rate controller how its attempt ended (an answer, or none).
  void record_rate(bool throttled, long long tokens) {
    auto* learned = memory();
    if (!learned || !learned->rates.active()) return;
    learned->rates.record(targets_[current_].spec, clock().now(), throttled, tokens,
                          rate_admitted_at_);
  }

  // A refusal fresh credentials or a corrected clock may cure: resent once per call each, at
  // once, not counted against max_retries. The decision, or nullopt when neither applies.
  std::optional<AttemptDecision> credentials_remedy(Error& error, const http::HttpResponse& reply) {
    const auth::RequestSigner& signer = targets_[current_].spec.signer;
    if (signer.credentials && auth::is_expired_credentials_error(error.aws_error_type)) {
      if (!refreshed_credentials_ && signer.credentials->invalidate(signed_generation_)) {
        refreshed_credentials_ = true;
        return AttemptDecision::RefreshCredentials;
      }
      if (refreshed_credentials_) error.message += " (after refreshing the credentials once)";
      return std::nullopt;
    }
    if (signer.clock_offset && !corrected_clock_ &&
        auth::is_signing_time_error(error.aws_error_type)) {
      // Another call may have learned the offset since this one was signed.
      const bool learned = signer.clock_offset->offset() != signed_offset_ ||
                           signer.clock_offset->learn(reply.header("date"), clock().wall_now());
      if (learned) {
        corrected_clock_ = true;
        return AttemptDecision::CorrectClockSkew;
      }
    }
    return std::nullopt;
  }

  void begin_attempt(Attempt attempt) {
    attempt.started = clock().wall_now();
    log_.attempts.push_back(std::move(attempt));
    decision_pending_ = true;
    if (auto* learned = memory()) learned->counters.attempts++;
  }

  // Cancels attempt `number` after `delay` unless it has ended (or, for the first-content
  // timer, its answer has begun), setting `flag` so on_reply can say why. The call runs on the
  // loop thread, so the timer and on_reply never race.
  void arm_attempt_timer(milliseconds delay, http::RequestId id, int number, bool Call::*flag) {
    const bool first_content = flag == &Call::first_content_missed_;
    attempt_timers_.push_back(settings_.transport->schedule(
        delay, [weak = weak_from_this(), transport = settings_.transport, id, number, flag,
                first_content] {
          auto self = weak.lock();
          if (!self || self->finished_ || static_cast<int>(self->log_.attempts.size()) != number ||
              !self->decision_pending_ || (first_content && self->exchange_->content_started())) {
            return;
          }
          (*self).*flag = true;
          transport->cancel(id);
        }));
  }

  // The attempt has ended: its timers have nothing left to guard.
  void cancel_attempt_timers() {
    for (const http::TimerId timer : attempt_timers_) settings_.transport->cancel_timer(timer);
    attempt_timers_.clear();
  }

  void on_reply(SteadyTime sent_at, Result<http::HttpResponse> reply) {
    cancel_attempt_timers();
    in_flight_ = 0;
    if (finished_) return;
    log_.attempts.back().duration = elapsed_ms(sent_at, clock().now());
    if (reply) {
      if (settings_.wire_log) observe::log_reply(*settings_.wire_log, call_id_, *reply);
      log_.attempts.back().request_id = reply->header("x-amzn-requestid").value_or("");
    }
    std::optional<milliseconds> hint;
    Error error;
    if (reply && is_2xx(*reply)) {
      ReplyVerdict verdict = exchange_->accept(std::move(*reply), context(), log_);
      record_rate(false, verdict.tokens);
      // The target answered: its health is good even if the answer fails validation.
      if (auto* learned = memory(); learned && verdict.kind != ReplyVerdict::Kind::Failed) {
        learned->breakers.record_success(targets_[current_].spec.breaker_key());
      }
      switch (verdict.kind) {
        case ReplyVerdict::Kind::Accepted:
          conclude(AttemptDecision::Succeeded);
          finish(std::nullopt);
          return;
        case ReplyVerdict::Kind::RetryForValidation:
        case ReplyVerdict::Kind::Rejected:
          record_error(verdict.error);
          if (verdict.kind == ReplyVerdict::Kind::RetryForValidation && attempts_left()) {
            resend(AttemptDecision::RetryForValidation);
            return;
          }
          conclude(AttemptDecision::Stop);
          finish(verdict.error);
          return;
        case ReplyVerdict::Kind::Failed: error = std::move(verdict.error); break;
      }
    } else if (reply) {
      error = protocol::error_from_response(*reply);
      record_rate(error.code == ErrorCode::Throttled, 0);
      if (settings_.honour_retry_after) hint = protocol::retry_after_hint(*reply);
      if (auto remedy = credentials_remedy(error, *reply)) {
        record_error(error);
        ++credential_resends_;
        conclude(*remedy);
        send(current_, milliseconds(0));
        return;
      }
    } else if (auto own = exchange_->own_abort_error();
               own && reply.error().code == ErrorCode::Cancelled) {
      error = std::move(*own);  // the exchange aborted the transfer for it
    } else {
      error = reply.error();
    }
    // An attempt that went out and ended without an answer still counts in the send rate.
    if (!reply && !cancel_requested_) record_rate(false, 0);
    if (cancel_requested_ && error.code == ErrorCode::Cancelled) {
      error = cancelled_error();
      record_error(error);
      conclude(AttemptDecision::Stop);
      finish(error);
      return;
    }
    if (deadline_passed_ && error.code == ErrorCode::Cancelled) {
      error = deadline_error("during attempt " + std::to_string(log_.attempts.size()));
    } else if (first_content_missed_ && error.code == ErrorCode::Cancelled) {
      error = Error{ErrorCode::Timeout,
                    "no first token within " +
                        std::to_string(exchange_->first_content_timeout()->count()) + " ms"};
    }
    first_content_missed_ = false;
    fail_attempt(std::move(error), hint);
  }

  // Names the target on the error and records it on the last attempt.
  void record_error(Error& error) {
    const TargetState& target = targets_[current_];
    error.model_id = target.current_route().id;
    error.region = target.spec.region;
    error.attempt = log_.attempts.back().number;
    log_.attempts.back().error = error;
    last_error_ = error;
  }

  // The fault, with the caller's own retryable error types counted as transient.
  [[nodiscard]] Triage classify(const Error& error) const {
    Triage verdict = triage(error);
    if (verdict.fault == Fault::Transient || error.code == ErrorCode::Cancelled) return verdict;
    const auto& extra = settings_.retryable_errors;
    const auto listed = [&](std::string_view name) {
      return !name.empty() && std::find(extra.begin(), extra.end(), name) != extra.end();
    };
    if (listed(error.aws_error_type) || listed(to_string(error.code))) {
      return {Fault::Transient, std::nullopt};
    }
    return verdict;
  }

  void fail_attempt(Error error, std::optional<milliseconds> hint = std::nullopt) {
    record_error(error);
    if (!exchange_->may_go_on(error, context(), log_)) {
      conclude(AttemptDecision::Stop);
      finish(error);
      return;
    }
    TargetState& target = targets_[current_];
    const Triage verdict = classify(error);
    switch (verdict.fault) {
      case Fault::Transient: {
        ++target.transient_failures;
        const SteadyTime now = clock().now();
        if (auto* learned = memory();
            learned && learned->breakers.record_failure(target.spec.breaker_key(), now)) {
          learned->counters.breaker_opens++;
          log_.warnings.push_back("Circuit breaker opened for " + target.spec.model_name + " in " +
                                  target.spec.region);
        }
        const milliseconds delay = settings_.backoff.delay_for(
            target.transient_failures - 1, settings_.seams.random->uniform(), hint);
        target.ready_at = now + delay;
        pick_next();
        return;
      }
      case Fault::ProfileRequired:
        if (auto* learned = memory())
          learned->learn_needs_profile(target.spec.model_id, target.spec.region);
        if (advance_route(target, /*profiles_only=*/true)) {
          const AccessRoute& next = target.current_route();
          log_.warnings.push_back(target.spec.model_name + " in " + target.spec.region +
                                  " requires an inference profile; using " +
                                  std::string(to_string(next.method)) + " " + next.id);
          resend(AttemptDecision::SwitchAccessMethod);
          return;
        }
        break;
      case Fault::Target:
        if (advance_route(target, /*profiles_only=*/false)) {
          resend(AttemptDecision::SwitchAccessMethod);
          return;
        }
        break;
      case Fault::Parameters:
      case Fault::Feature:
        if (auto decision = exchange_->drop_rejected(verdict, context())) {
          resend(*decision);
          return;
        }
        break;
      case Fault::Request:
      case Fault::Fatal:
        conclude(AttemptDecision::Stop);
        finish(error);
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

  static bool advance_route(TargetState& target, bool profiles_only) {
    while (++target.route < target.spec.routes.size()) {
      if (!profiles_only || target.spec.routes[target.route].method != AccessMethod::Direct) {
        return true;
      }
    }
    return false;
  }

  // Ends the call at the caller's request: cancels the transfer in flight (on_reply then ends
  // the call), or ends it at once when it is between attempts.
  void cancel_now() {
    if (finished_) return;
    cancel_requested_ = true;
    if (decision_pending_ && in_flight_ != 0) {
      settings_.transport->cancel(in_flight_);
      return;
    }
    if (credentials_timer_ != 0) settings_.transport->cancel_timer(credentials_timer_);
    if (rate_wait_) {
      settings_.transport->cancel_timer(rate_wait_->timer);
      const std::size_t waiting = rate_wait_->target;
      end_rate_wait();
      give_back_rate(waiting);
    }
    if (!log_.attempts.empty()) conclude(AttemptDecision::Stop);
    finish(cancelled_error());
  }

  [[nodiscard]] Error cancelled_error() const {
    Error error{ErrorCode::Cancelled, "the call was cancelled after " +
                                          std::to_string(log_.attempts.size()) + " attempt(s)"};
    if (last_error_) error.message += "; last error: " + last_error_->describe();
    return error;
  }

  Error deadline_error(const std::string& when) const {
    Error error{
        ErrorCode::Timeout,
        deadline_name_ + " of " + std::to_string(deadline_limit_->count()) + " ms passed " + when};
    if (last_error_) error.message += "; last error: " + last_error_->describe();
    return error;
  }

  static Error with_note(Error error, const std::string& note) {
    error.message += " (" + note + ")";
    return error;
  }

  void finish(std::optional<Error> error) {
    if (finished_) return;
    finished_ = true;
    cancel_callback_.reset();
    if (auto* learned = memory())
      (error ? learned->counters.failed : learned->counters.succeeded)++;
    CallOutcome outcome;
    outcome.error = std::move(error);
    if (!targets_.empty()) {
      outcome.target = targets_[current_].spec;
      outcome.route = targets_[current_].current_route();
    }
    outcome.total_duration = elapsed_ms(log_.started, clock().now());
    outcome.log = std::move(log_);
    auto done = std::move(done_);
    done(std::move(outcome));
  }

  EngineSettings settings_;
  std::shared_ptr<Exchange> exchange_;
  std::function<void(CallOutcome)> done_;
  AttemptObserver on_attempt_;
  std::string invocation_id_;
  std::uint64_t call_id_ = 0;  // CallControls::call_id, for the wire log
  std::vector<TargetState> targets_;
  CallLog log_;
  std::optional<Error> last_error_;
  std::optional<SteadyTime> deadline_;
  std::optional<milliseconds> deadline_limit_;
  std::string deadline_name_;
  // The caller's cancellation, and the transfer it cancels (0: none in flight).
  struct CancelHandler {
    std::weak_ptr<Call> call;
    http::Transport* transport;
    void operator()() const {
      transport->schedule(milliseconds(0), [call = call] {
        if (auto self = call.lock()) self->cancel_now();
      });
    }
  };
  std::optional<std::stop_callback<CancelHandler>> cancel_callback_;
  http::RequestId in_flight_ = 0;
  bool cancel_requested_ = false;
  std::size_t current_ = 0;
  bool decision_pending_ = false;
  bool deadline_passed_ = false;
  bool first_content_missed_ = false;
  bool finished_ = false;
  // Credentials and clock: what signed the current attempt, and the once-per-call resends.
  std::uint64_t signed_generation_ = 0;
  milliseconds signed_offset_{0};
  bool credentials_awaited_ = false;  // the next send() follows a wait: do not wait again
  bool refreshed_credentials_ = false;
  bool corrected_clock_ = false;
  int credential_resends_ = 0;
  http::TimerId credentials_timer_ = 0;  // the deadline while waiting for a refresh
  // The rate controller: a wait in progress, the wait the next attempt followed, whether the
  // next send() was admitted already and whether a reservation is held for it.
  struct RateWait {
    std::size_t target = 0;
    SteadyTime since{};
    http::TimerId timer = 0;
  };
  std::optional<RateWait> rate_wait_;
  milliseconds rate_waited_{0};
  bool rate_admitted_ = false;
  bool rate_reserved_ = false;
  SteadyTime rate_admitted_at_{};  // when the rate controller admitted the current attempt
  std::vector<http::TimerId> attempt_timers_;  // the current attempt's deadline/first-content
};

}  // namespace

void run_call(const EngineSettings& settings, TargetPlanner plan,
              std::shared_ptr<Exchange> exchange, std::function<void(CallOutcome)> done,
              AttemptObserver on_attempt, CallControls controls) {
  auto call =
      std::make_shared<Call>(settings, std::move(exchange), std::move(done), std::move(on_attempt));
  // The whole call runs on the loop thread, so its state needs no lock.
  settings.transport->schedule(milliseconds(0),
                               [call, plan = std::move(plan), controls = std::move(controls)] {
                                 call->start(plan, controls);
                               });
}

}  // namespace llmm::engine
