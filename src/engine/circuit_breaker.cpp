#include "engine/circuit_breaker.hpp"

namespace llmm::engine {

bool CircuitBreakers::is_open(const std::string& target, TimePoint now) const {
  if (!config_.enabled) return false;
  std::lock_guard lock(mutex_);
  auto it = health_.find(target);
  return it != health_.end() && now < it->second.open_until;
}

bool CircuitBreakers::record_failure(const std::string& target, TimePoint now) {
  if (!config_.enabled) return false;
  std::lock_guard lock(mutex_);
  Health& health = health_[target];
  if (++health.consecutive_failures < config_.failure_threshold) return false;
  // The count stays one short of the threshold, so a probe that fails after the cool-down
  // reopens the breaker at once; only a success resets it.
  health.consecutive_failures = config_.failure_threshold - 1;
  const bool was_open = now < health.open_until;
  health.open_until = now + config_.cool_down;
  return !was_open;
}

void CircuitBreakers::record_success(const std::string& target) {
  if (!config_.enabled) return;
  std::lock_guard lock(mutex_);
  health_.erase(target);
}

std::vector<std::string> CircuitBreakers::open_targets(TimePoint now) const {
  std::vector<std::string> open;
  if (!config_.enabled) return open;
  std::lock_guard lock(mutex_);
  for (const auto& [target, health] : health_) {
    if (now < health.open_until) open.push_back(target);
  }
  return open;
}

}  // namespace llmm::engine
