#pragma once
// CacheEfficiency: what the prompt cache did for one answer or a batch, from the token counts
// the service reported (TokenUsage). The seed's get_cache_efficiency(), with the ratio taken over
// every prompt token (Bedrock's inputTokens leaves out what was read from or written to the
// cache, so the seed's read / input could pass 1).

#include <llmm/converse_output.hpp>

#include <optional>

namespace llmm {

// A value type: not synchronized.
struct CacheEfficiency {
  long long tokens_read = 0;     // cache_read_input_tokens
  long long tokens_written = 0;  // cache_write_input_tokens
  // tokens_read / (input + read + written): the share of the prompt served from the cache.
  double hit_ratio = 0;
  // The prompt tokens not processed afresh: tokens_read (Bedrock bills them at a fraction of the
  // input price, and writes at a premium; the prices are the model's, not modelled here).
  long long tokens_saved = 0;
};

// Nullopt when the usage shows no prompt tokens at all.
[[nodiscard]] std::optional<CacheEfficiency> cache_efficiency(const TokenUsage& usage) noexcept;

}  // namespace llmm
