#include <llmm/retry_config.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace llmm {

void RetryConfig::validate() const {
  if (retry_delay.count() < 0) {
    throw std::invalid_argument("RetryConfig.retry_delay must be >= 0, got " +
                                std::to_string(retry_delay.count()) + "ms");
  }
  if (!(backoff_multiplier > 0) || !std::isfinite(backoff_multiplier)) {
    throw std::invalid_argument("RetryConfig.backoff_multiplier must be > 0, got " +
                                std::to_string(backoff_multiplier));
  }
  if (max_retry_delay.count() <= 0) {
    throw std::invalid_argument("RetryConfig.max_retry_delay must be > 0, got " +
                                std::to_string(max_retry_delay.count()) + "ms");
  }
}

}  // namespace llmm
