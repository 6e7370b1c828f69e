#pragma once
// How managers feed a MetricsRegistry: what each call and attempt records as it ends, and what a
// manager reports of its own state (breakers, rate limits, credentials) each time the registry
// renders. Thread-safe: every function takes the registry's lock.

#include <llmm/attempt.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/metrics_registry.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::observe {

// One manager's state at rendering time.
struct ManagerGauges {
  struct OpenBreaker {
    std::string model_id;
    std::string region;
  };
  struct RequestLimit {
    std::string model_id;
    std::string region;
    double requests_per_minute = 0;
  };
  std::vector<OpenBreaker> open_breakers;
  std::vector<RequestLimit> request_limits;
  // Counters since the manager was built.
  std::uint64_t breaker_opens = 0;
  std::string credential_provider;  // CredentialsInfo::provider
  std::uint64_t credential_refreshes = 0;
  std::uint64_t failed_credential_refreshes = 0;
};

// Runs under the registry's lock: it must not call back into the registry.
using GaugeCollector = std::function<ManagerGauges()>;

struct MetricsAccess {
  static void record_attempt(MetricsRegistry& registry, const Attempt& attempt);
  static void record_call(MetricsRegistry& registry, const BedrockResponse& response);
  // Until removed, `collect` is asked for its manager's state at every rendering.
  static std::uint64_t add_collector(MetricsRegistry& registry, GaugeCollector collect);
  // Asks it once more, keeps its counters (they must not go backwards when a manager goes), and
  // forgets it: once this returns it is never called again.
  static void remove_collector(MetricsRegistry& registry, std::uint64_t id);
};

// Keeps a collector registered for its lifetime (a manager's last member, so it goes before
// what the collector reads). Not copyable; not synchronized.
class CollectorRegistration {
 public:
  CollectorRegistration(std::shared_ptr<MetricsRegistry> registry, GaugeCollector collect)
      : registry_(std::move(registry)),
        id_(MetricsAccess::add_collector(*registry_, std::move(collect))) {}
  ~CollectorRegistration() { MetricsAccess::remove_collector(*registry_, id_); }
  CollectorRegistration(const CollectorRegistration&) = delete;
  CollectorRegistration& operator=(const CollectorRegistration&) = delete;

 private:
  std::shared_ptr<MetricsRegistry> registry_;
  std::uint64_t id_;
};

// "success", or the error code's name.
[[nodiscard]] std::string_view outcome_name(const std::optional<Error>& error) noexcept;

}  // namespace llmm::observe
