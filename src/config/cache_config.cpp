#include <llmm/cache_config.hpp>

#include <stdexcept>
#include <string>

namespace llmm {

std::string_view to_string(CacheStrategy strategy) noexcept {
  switch (strategy) {
    case CacheStrategy::Conservative: return "conservative";
    case CacheStrategy::Aggressive: return "aggressive";
    case CacheStrategy::Custom: return "custom";
  }
  return "conservative";
}

void CacheConfig::validate() const {
  if (cache_point_threshold < 0) {
    throw std::invalid_argument("CacheConfig.cache_point_threshold must be >= 0, got " +
                                std::to_string(cache_point_threshold));
  }
  if (custom_rules.cache_text_blocks_over && *custom_rules.cache_text_blocks_over < 0) {
    throw std::invalid_argument(
        "CacheConfig.custom_rules.cache_text_blocks_over must be >= 0, got " +
        std::to_string(*custom_rules.cache_text_blocks_over));
  }
  if (ttl && *ttl != "5m" && *ttl != "1h") {
    // The value is the caller's configuration, not a secret: named so the mistake is seen.
    throw std::invalid_argument("CacheConfig.ttl must be \"5m\" or \"1h\", got \"" + *ttl + "\"");
  }
}

}  // namespace llmm
