#pragma once
// How an LLMManager waits between attempts. Defaults follow the Python library (1 s base,
// doubling, 60 s cap), with full jitter added. Same-target retries are bounded by
// ClientConfig::retries_max_attempts; failover across targets arrives with the manager issue.

#include <llmm/backoff_policy.hpp>

#include <chrono>

namespace llmm {

struct RetryConfig {
  std::chrono::milliseconds retry_delay{1000};
  double backoff_multiplier = 2.0;
  std::chrono::milliseconds max_retry_delay{60'000};

  // Throws std::invalid_argument naming the field when a value is out of range.
  void validate() const;
  [[nodiscard]] BackoffPolicy backoff() const {
    return BackoffPolicy{retry_delay, backoff_multiplier, max_retry_delay};
  }
};

}  // namespace llmm
