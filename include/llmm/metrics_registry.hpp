#pragma once
// MetricsRegistry: counters and histograms of the calls of every manager given it
// (LLMManagerOptions::metrics), rendered in the Prometheus text exposition format (0.0.4).
//
// Families (labels: the model as configured, region, access method; outcome is "success" or the
// error code's name, so every label takes few values):
//   llmm_calls_total{model,outcome}                            counter, by the last attempt's model
//   llmm_call_duration_seconds{model}                          histogram, retries and failover in
//   llmm_attempts_total{model,region,access_method,outcome}    counter
//   llmm_throttles_total{model,region,access_method}           counter
//   llmm_attempt_duration_seconds{model,region,access_method}  histogram
//   llmm_time_to_first_token_seconds{model,region,access_method}  histogram (streams)
//   llmm_tokens_total{model,region,access_method,kind}         counter; kind: input, output,
//                                                              cache_read, cache_write
//   llmm_breaker_opens_total                                   counter
//   llmm_breaker_open{model_id,region}                         gauge, 1 while open
//   llmm_rate_limit_requests_per_minute{model_id,region}       gauge, the rate controller's limit
//                                                              (only with rate control on)
//   llmm_credential_refreshes_total{provider,outcome}          counter; outcome: success, failure
// Histogram buckets: 5 ms to 600 s. Label cardinality is bounded: past kMaxTargets (model,
// region, access method) series, further ones are counted under model="other",
// region="other". Counts of a manager that goes stay in the registry.

#include <cstddef>
#include <memory>
#include <string>

namespace llmm {

namespace observe {
struct MetricsAccess;
}

// Thread-safe: managers record into it from their event-loop threads while any thread renders.
// Share one registry among managers with std::shared_ptr; it outlives none of them by need
// (a manager holds its own reference).
class MetricsRegistry {
 public:
  static constexpr std::size_t kMaxTargets = 256;

  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Every family above, its # HELP and # TYPE lines first, series sorted by their labels.
  [[nodiscard]] std::string render_prometheus() const;
  // The Content-Type to serve it with.
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  friend struct observe::MetricsAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
