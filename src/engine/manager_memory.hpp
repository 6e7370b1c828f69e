#pragma once
// What one LLMManager learns and counts across its calls (never process-wide): which targets
// need a profile, which reject given request fields or features, each target's breaker and rate
// controller, and the counters of ManagerStats. Thread-safe: calls finish on the loop thread, stats
// are read anywhere.

#include "engine/circuit_breaker.hpp"
#include "engine/fault_triage.hpp"
#include "engine/rate_controllers.hpp"

#include <llmm/llm_manager.hpp>

#include <llmm/converse_output.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

namespace llmm::engine {

class ManagerMemory {
 public:
  explicit ManagerMemory(CircuitBreakerConfig breaker, RateControlConfig rate = {})
      : breakers(breaker), rates(std::move(rate)) {}

  engine::CircuitBreakers breakers;
  engine::RateControllers rates;
  std::atomic<std::uint64_t> call_counter{0};  // drives RegionOrder::Rotate

  [[nodiscard]] bool needs_profile(const std::string& model_id, const std::string& region) const;
  void learn_needs_profile(const std::string& model_id, const std::string& region);

  // `fields` is the canonical JSON text of additionalModelRequestFields.
  [[nodiscard]] bool rejects_fields(const std::string& wire_id, const std::string& region,
                                    const std::string& fields) const;
  void learn_rejects_fields(const std::string& wire_id, const std::string& region,
                            const std::string& fields);

  [[nodiscard]] std::set<engine::RejectedFeature> rejected_features(
      const std::string& model_id) const;
  void learn_rejected_feature(const std::string& model_id, engine::RejectedFeature feature);

  // Counters, by name of the ManagerStats field they feed.
  struct Counters {
    std::atomic<std::uint64_t> calls{0}, attempts{0}, retries{0}, failovers{0}, access_switches{0},
        fallbacks{0}, breaker_opens{0}, succeeded{0}, failed{0}, rate_limited_waits{0},
        rate_limited_wait_ms{0}, cache_hits{0}, cache_read_tokens{0}, cache_write_tokens{0};
  } counters;
  // A successful answer's prompt-cache tokens, into the cache counters.
  void count_cache(const TokenUsage& usage) noexcept;
  [[nodiscard]] ManagerStats stats() const noexcept;

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> needs_profile_;
  std::set<std::tuple<std::string, std::string, std::string>> rejected_fields_;
  std::map<std::string, std::set<engine::RejectedFeature>> rejected_features_;
};

}  // namespace llmm::engine
