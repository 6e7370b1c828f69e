#include <llmm/backoff_policy.hpp>

#include <algorithm>
#include <cmath>

namespace llmm {

std::chrono::milliseconds BackoffPolicy::delay_for(
    int retry_index, double uniform, std::optional<std::chrono::milliseconds> server_hint) const {
  const double cap = static_cast<double>(max_delay.count());
  // Computed in floating point so a large index saturates at the cap instead of overflowing.
  const double interval =
      std::min(cap, static_cast<double>(base_delay.count()) *
                        std::pow(multiplier, static_cast<double>(std::max(retry_index, 0))));
  const double jittered = std::clamp(uniform, 0.0, 1.0) * interval;
  auto delay = std::chrono::milliseconds(static_cast<long long>(jittered));
  if (server_hint && *server_hint > delay) delay = std::min(*server_hint, max_delay);
  return delay;
}

}  // namespace llmm
