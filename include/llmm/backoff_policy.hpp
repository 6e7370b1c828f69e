#pragma once
// Exponential backoff with full jitter: the wait before retry n (0-based) is a uniform value in
// [0, min(base_delay * multiplier^n, max_delay)). A server hint (Retry-After) raises the wait to
// at least the hint, still capped by max_delay.

#include <chrono>
#include <optional>

namespace llmm {

// A value type: not synchronized; delay_for() is const and pure, safe from any thread.
struct BackoffPolicy {
  std::chrono::milliseconds base_delay{1000};
  double multiplier = 2.0;
  std::chrono::milliseconds max_delay{20'000};

  // `uniform` is a value in [0, 1) from a RandomSource.
  [[nodiscard]] std::chrono::milliseconds delay_for(
      int retry_index, double uniform,
      std::optional<std::chrono::milliseconds> server_hint = std::nullopt) const;
};

}  // namespace llmm
