#pragma once
// What the call engine takes from a ClientConfig: how often one target is retried. Produced only
// by ClientConfig::to_attempt_limits(), as TransportOptions is by to_transport_options(); nothing
// else reads ClientConfig fields. A value type.

namespace llmm {

struct AttemptLimits {
  // Retries of one call to one target after its first attempt, for transient errors (0 = none):
  // the seed's retries_max_attempts. Not a cap across targets (that is RetryConfig::max_retries).
  int retries_per_target = 3;

  friend bool operator==(const AttemptLimits&, const AttemptLimits&) = default;
};

}  // namespace llmm
