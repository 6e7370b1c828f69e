#include <llmm/cache_efficiency.hpp>

namespace llmm {

std::optional<CacheEfficiency> cache_efficiency(const TokenUsage& usage) noexcept {
  const long long read = usage.cache_read_input_tokens > 0 ? usage.cache_read_input_tokens : 0;
  const long long written = usage.cache_write_input_tokens > 0 ? usage.cache_write_input_tokens : 0;
  const long long input = usage.input_tokens > 0 ? usage.input_tokens : 0;
  const long long prompt = input + read + written;
  if (prompt == 0) return std::nullopt;
  return CacheEfficiency{read, written, static_cast<double>(read) / static_cast<double>(prompt),
                         read};
}

}  // namespace llmm
