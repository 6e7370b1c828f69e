#include "engine/manager_memory.hpp"

namespace llmm::engine {

bool ManagerMemory::needs_profile(const std::string& model_id, const std::string& region) const {
  std::lock_guard lock(mutex_);
  return needs_profile_.contains({model_id, region});
}

void ManagerMemory::learn_needs_profile(const std::string& model_id, const std::string& region) {
  std::lock_guard lock(mutex_);
  needs_profile_.emplace(model_id, region);
}

bool ManagerMemory::rejects_fields(const std::string& wire_id, const std::string& region,
                                   const std::string& fields) const {
  std::lock_guard lock(mutex_);
  return rejected_fields_.contains({wire_id, region, fields});
}

void ManagerMemory::learn_rejects_fields(const std::string& wire_id, const std::string& region,
                                         const std::string& fields) {
  std::lock_guard lock(mutex_);
  rejected_fields_.emplace(wire_id, region, fields);
}

std::set<engine::RejectedFeature> ManagerMemory::rejected_features(
    const std::string& model_id) const {
  std::lock_guard lock(mutex_);
  auto it = rejected_features_.find(model_id);
  return it == rejected_features_.end() ? std::set<engine::RejectedFeature>{} : it->second;
}

void ManagerMemory::learn_rejected_feature(const std::string& model_id,
                                           engine::RejectedFeature feature) {
  std::lock_guard lock(mutex_);
  rejected_features_[model_id].insert(feature);
}

ManagerStats ManagerMemory::stats() const noexcept {
  return ManagerStats{counters.calls.load(),
                      counters.attempts.load(),
                      counters.retries.load(),
                      counters.failovers.load(),
                      counters.access_switches.load(),
                      counters.fallbacks.load(),
                      counters.breaker_opens.load(),
                      counters.succeeded.load(),
                      counters.failed.load(),
                      counters.rate_limited_waits.load(),
                      std::chrono::milliseconds(counters.rate_limited_wait_ms.load()),
                      counters.cache_hits.load(),
                      counters.cache_read_tokens.load(),
                      counters.cache_write_tokens.load()};
}

void ManagerMemory::count_cache(const TokenUsage& usage) noexcept {
  if (usage.cache_read_input_tokens > 0) {
    counters.cache_hits.fetch_add(1);
    counters.cache_read_tokens.fetch_add(static_cast<std::uint64_t>(usage.cache_read_input_tokens));
  }
  if (usage.cache_write_input_tokens > 0) {
    counters.cache_write_tokens.fetch_add(
        static_cast<std::uint64_t>(usage.cache_write_input_tokens));
  }
}

}  // namespace llmm::engine
