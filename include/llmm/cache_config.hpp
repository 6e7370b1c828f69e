#pragma once
// CacheConfig: automatic prompt caching (the seed's CacheConfig), off by default. When on, each
// call's request gets Bedrock cache points (`cachePoint` blocks) where Bedrock allows them, per
// target: only for a model the catalog says takes prompt caching, and only in the parts of the
// request it caches (tools, system, messages). The caller's request is never changed. A target
// that rejects a cache point gets the request again without any (a DropFeature fallback with a
// warning); the next target starts from the original again.
//
// Where the points go:
//   tools     one after the last tool (cache_tools), unless the tools already hold one;
//   system    one after the last system block (cache_system), unless the system holds one;
//   messages  (cache_messages) inside messages that hold none, by `strategy` over an estimate of
//             each block's tokens (text: characters / 4; image 450; document 1,000; video
//             2,000; other 10), never after a message's last block:
//     Conservative  one per message: after the first block where the running total reaches
//                   `cache_point_threshold`, if what follows is below the threshold or what
//                   precedes is over 80 % of the message (else the next block is looked at);
//     Aggressive    after every cacheable block (image, document, or text of at least the
//                   threshold) that brings the running total to max(500, threshold / 2), the
//                   total then starting again;
//     Custom        after every image when `cache_all_images`, and wherever the running total
//                   reaches `cache_text_blocks_over` (default: the threshold), starting again;
//                   with neither rule set it is Conservative.
// Bedrock takes at most four cache points a request: the caller's own come first, then tools,
// system, and the messages' latest ones (the longest prefixes, the ones a later call reuses).
//
// A value type: not synchronized.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmm {

enum class CacheStrategy { Conservative, Aggressive, Custom };

// "conservative", "aggressive", "custom"
std::string_view to_string(CacheStrategy strategy) noexcept;

struct CacheCustomRules {
  std::optional<long long> cache_text_blocks_over;  // estimated tokens; default: the threshold
  bool cache_all_images = false;
};

struct CacheConfig {
  bool enabled = false;
  CacheStrategy strategy = CacheStrategy::Conservative;
  // Estimated tokens (see above) before a point is worth placing in a message; >= 0.
  long long cache_point_threshold = 100;
  // The cache points' time to live, "5m" or "1h"; none: the service's default (5 minutes).
  std::optional<std::string> ttl;
  bool cache_tools = true;
  bool cache_system = true;  // the seed's auto_cache_system_messages
  bool cache_messages = true;
  CacheCustomRules custom_rules;  // Custom only

  // Throws std::invalid_argument naming the field: a negative threshold or rule, a ttl other
  // than "5m" or "1h".
  void validate() const;
};

// Bedrock's limit of cache points in one request.
inline constexpr std::size_t kMaxCachePoints = 4;

}  // namespace llmm
