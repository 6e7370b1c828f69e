#pragma once
// The emulator's prompt cache (Bedrock prompt caching, docs/emulator.md "Prompt caching"): per
// model id, the digests of the prompt prefixes that cache points have closed, so a later request
// with the same prefix reads it instead of writing it. Bounded per model, oldest dropped first;
// entries never expire by time (the emulator has no clock for a TTL), only by eviction or reset.

#include "converse_request.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace bedrock_emulator {

struct CacheUsage {
  std::int64_t read_tokens = 0;   // cacheReadInputTokens
  std::int64_t write_tokens = 0;  // cacheWriteInputTokens
};

class PromptCache {
 public:
  static constexpr std::size_t kDefaultCapacityPerModel = 10000;

  explicit PromptCache(std::size_t capacity_per_model = kDefaultCapacityPerModel);

  // What a request with these cache points (in prompt order) reads and writes, without
  // remembering anything: the longest prefix seen before is read; when that is not the last
  // cache point's, the rest up to the last is written. No cache point: nothing either way.
  // Thread-safe.
  [[nodiscard]] CacheUsage lookup(const std::string& model_id,
                                  const std::vector<CachePoint>& points) const;
  // Remembers every cache point's prefix (a request Bedrock answered has written them).
  // Thread-safe.
  void remember(const std::string& model_id, const std::vector<CachePoint>& points);
  // Forgets everything (POST /_emulator/reset). Thread-safe.
  void clear();

  [[nodiscard]] std::size_t size(const std::string& model_id) const;

 private:
  struct ModelEntries {
    std::set<llmm::auth::Sha256Digest> digests;
    std::deque<llmm::auth::Sha256Digest> order;  // oldest first, for eviction
  };

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, ModelEntries, std::less<>> models_;
};

}  // namespace bedrock_emulator
