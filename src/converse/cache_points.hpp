#pragma once
// Automatic prompt-cache points (CacheConfig, cache_config.hpp): where they go in one target's
// copy of a request, and taking them all out again for a target that rejects them. Pure
// functions over a ConverseRequest; thread-safe.

#include <llmm/cache_config.hpp>
#include <llmm/content_block.hpp>
#include <llmm/converse_request.hpp>

#include <cstddef>

namespace llmm::converse {

// The parts of a request where a model takes cache points (the catalog's prompt_caching).
struct CacheableParts {
  bool tools = false;
  bool system = false;
  bool messages = false;

  [[nodiscard]] bool any() const noexcept { return tools || system || messages; }
};

// The token estimate the strategies use: text characters / 4, image 450, document 1,000,
// video 2,000, anything else 10.
[[nodiscard]] long long estimated_tokens(const ContentBlock& block);

// Cache points in the request: system, tools and every message's content.
[[nodiscard]] std::size_t count_cache_points(const ConverseRequest& request);

// Adds the points `config` asks for in the parts `parts` names, within Bedrock's four a request
// (the request's own count first); returns how many were added. Nothing when not enabled.
std::size_t insert_cache_points(ConverseRequest& request, const CacheConfig& config,
                                const CacheableParts& parts);

// Takes every cache point out (system, tools, messages); returns how many. A message left empty
// keeps nothing else to say: callers treat that request as unusable.
std::size_t remove_cache_points(ConverseRequest& request);

}  // namespace llmm::converse
