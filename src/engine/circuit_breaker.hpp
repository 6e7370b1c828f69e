#pragma once
// Per-target health shared by every call of one manager: after `failure_threshold` consecutive
// transient failures a target is open (skipped) for `cool_down`; after that one call may probe
// it, and a success closes it. Thread-safe.

#include <llmm/retry_config.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace llmm::engine {

class CircuitBreakers {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit CircuitBreakers(CircuitBreakerConfig config) : config_(config) {}

  // True while `target` is open at `now`.
  [[nodiscard]] bool is_open(const std::string& target, TimePoint now) const;
  // Records a transient failure; returns true when this failure opened the breaker.
  bool record_failure(const std::string& target, TimePoint now);
  void record_success(const std::string& target);
  // The targets open at `now` (for the metrics' breaker gauge).
  [[nodiscard]] std::vector<std::string> open_targets(TimePoint now) const;

 private:
  struct Health {
    int consecutive_failures = 0;
    TimePoint open_until{};
  };
  CircuitBreakerConfig config_;
  mutable std::mutex mutex_;
  std::map<std::string, Health> health_;
};

}  // namespace llmm::engine
