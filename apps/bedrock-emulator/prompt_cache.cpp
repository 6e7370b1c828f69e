#include "prompt_cache.hpp"

#include <algorithm>

namespace bedrock_emulator {

PromptCache::PromptCache(std::size_t capacity_per_model)
    : capacity_(std::max<std::size_t>(capacity_per_model, 1)) {}

CacheUsage PromptCache::lookup(const std::string& model_id,
                               const std::vector<CachePoint>& points) const {
  CacheUsage usage;
  if (points.empty()) return usage;
  std::int64_t longest_read = 0;  // Bedrock reads the longest cached prefix
  {
    std::lock_guard lock(mutex_);
    if (auto entries = models_.find(model_id); entries != models_.end()) {
      for (const CachePoint& point : points) {
        if (point.prefix_digest && entries->second.digests.contains(*point.prefix_digest)) {
          longest_read = std::max(longest_read, point.prefix_tokens);
        }
      }
    }
  }
  usage.read_tokens = longest_read;
  // What lies between the prefix read and the last cache point is written (all of it on a miss).
  usage.write_tokens = std::max<std::int64_t>(points.back().prefix_tokens - longest_read, 0);
  return usage;
}

void PromptCache::remember(const std::string& model_id, const std::vector<CachePoint>& points) {
  std::lock_guard lock(mutex_);
  for (const CachePoint& point : points) {
    if (!point.prefix_digest) continue;
    ModelEntries& entries = models_[model_id];
    if (!entries.digests.insert(*point.prefix_digest).second) continue;
    entries.order.push_back(*point.prefix_digest);
    while (entries.order.size() > capacity_) {
      entries.digests.erase(entries.order.front());
      entries.order.pop_front();
    }
  }
}

void PromptCache::clear() {
  std::lock_guard lock(mutex_);
  models_.clear();
}

std::size_t PromptCache::size(const std::string& model_id) const {
  std::lock_guard lock(mutex_);
  auto entries = models_.find(model_id);
  return entries == models_.end() ? 0 : entries->second.digests.size();
}

}  // namespace bedrock_emulator
