#include "engine/rate_controllers.hpp"

#include <algorithm>

namespace llmm::engine {
namespace {

bool matches(const std::string& pattern, const std::string& value) {
  return pattern == "*" || pattern == value;
}

// Model and region named beat model only, which beats region only, which beats neither.
int specificity(const FixedRateLimit& limit) {
  return (limit.model != "*" ? 2 : 0) + (limit.region != "*" ? 1 : 0);
}

}  // namespace

RateControllers::RateControllers(RateControlConfig config) : config_(std::move(config)) {}

const FixedRateLimit* RateControllers::limit_for(const Target& target) const {
  const FixedRateLimit* best = nullptr;
  for (const FixedRateLimit& limit : config_.limits) {
    const bool model =
        matches(limit.model, target.model_name) || matches(limit.model, target.model_id);
    if (!model || !matches(limit.region, target.region)) continue;
    if (!best || specificity(limit) > specificity(*best)) best = &limit;
  }
  return best;
}

RateControllers::Controller& RateControllers::controller(const Target& target, TimePoint now) {
  const std::string key = target.breaker_key();
  auto found = controllers_.find(key);
  if (found != controllers_.end()) return found->second;
  Controller made;
  if (const FixedRateLimit* limit = limit_for(target)) {
    // An attempt always fits the requests bucket; the tokens bucket admits while not in debt.
    if (limit->requests_per_minute) made.requests.emplace(*limit->requests_per_minute, 1.0);
    made.requests_per_minute = limit->requests_per_minute;
    if (limit->tokens_per_minute) made.tokens.emplace(*limit->tokens_per_minute, 0.0);
  }
  if (config_.mode == RateControlMode::Adaptive) {
    made.adaptive.emplace(CubicParameters{config_.cubic_beta, config_.cubic_scale,
                                          config_.smoothing, config_.min_rate},
                          now);
  }
  return controllers_.emplace(key, made).first->second;
}

RateAdmission RateControllers::admit(const Target& target, TimePoint now) {
  std::lock_guard lock(mutex_);
  Controller& rate = controller(target, now);
  RateAdmission admission;
  // The adaptive limiter first: when it reserves nothing, neither do the fixed buckets.
  if (rate.adaptive) {
    admission = rate.adaptive->acquire(now);
    if (!admission.reserved) return admission;
  }
  if (rate.requests) admission.wait = std::max(admission.wait, rate.requests->reserve(1, now));
  if (rate.tokens) admission.wait = std::max(admission.wait, rate.tokens->until_solvent(now));
  return admission;
}

void RateControllers::give_back(const Target& target, TimePoint now) {
  std::lock_guard lock(mutex_);
  Controller& rate = controller(target, now);
  if (rate.requests) rate.requests->give_back(1, now);
  if (rate.adaptive) rate.adaptive->give_back(now);
}

void RateControllers::record(const Target& target, TimePoint now, bool throttled, long long tokens,
                             TimePoint admitted_at) {
  std::lock_guard lock(mutex_);
  Controller& rate = controller(target, now);
  if (rate.tokens && tokens > 0) rate.tokens->charge(static_cast<double>(tokens), now);
  if (rate.adaptive) rate.adaptive->record(now, throttled, admitted_at);
}

std::vector<std::pair<std::string, double>> RateControllers::request_limits() {
  std::vector<std::pair<std::string, double>> limits;
  std::lock_guard lock(mutex_);
  for (const auto& [target, rate] : controllers_) {
    if (rate.adaptive && rate.adaptive->limiting()) {
      limits.emplace_back(target, rate.adaptive->fill_rate() * 60.0);
    } else if (rate.requests_per_minute) {
      limits.emplace_back(target, *rate.requests_per_minute);
    }
  }
  return limits;
}

}  // namespace llmm::engine
