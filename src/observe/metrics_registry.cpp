#include <llmm/metrics_registry.hpp>

#include "observe/metrics_access.hpp"
#include "observe/prometheus_text.hpp"

#include <array>
#include <map>
#include <mutex>
#include <tuple>

namespace llmm {

namespace {

using observe::Histogram;
using observe::Label;

struct TargetKey {
  std::string model;
  std::string region;
  std::string access_method;
  // Not a defaulted <=>: clang-tidy 14 reads its synthesized comparison as a literal 0.
  bool operator<(const TargetKey& other) const {
    return std::tie(model, region, access_method) <
           std::tie(other.model, other.region, other.access_method);
  }
};

enum TokenKind : std::size_t { Input, Output, CacheRead, CacheWrite, kTokenKinds };
constexpr std::array<std::string_view, kTokenKinds> kTokenKindNames = {"input", "output",
                                                                       "cache_read", "cache_write"};

struct TargetSeries {
  std::map<std::string, std::uint64_t, std::less<>> attempts;  // by outcome
  std::uint64_t throttles = 0;
  Histogram attempt_duration;
  Histogram time_to_first_token;
  std::array<std::uint64_t, kTokenKinds> tokens{};
};

struct ModelSeries {
  std::map<std::string, std::uint64_t, std::less<>> calls;  // by outcome
  Histogram duration;
};

double seconds(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

std::uint64_t non_negative(long long count) {
  return count > 0 ? static_cast<std::uint64_t>(count) : 0;
}

}  // namespace

struct MetricsRegistry::Impl {
  mutable std::mutex mutex;
  std::map<TargetKey, TargetSeries> targets;
  std::map<std::string, ModelSeries, std::less<>> models;
  std::map<std::uint64_t, observe::GaugeCollector> collectors;
  std::uint64_t next_collector = 1;
  // The counters of managers that have gone.
  std::uint64_t retired_breaker_opens = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> retired_refreshes;

  // Past kMaxTargets series a new target is counted as model and region "other".
  TargetSeries& target(const std::string& model, const std::string& region, AccessMethod method) {
    TargetKey key{model, region, std::string(to_string(method))};
    auto found = targets.find(key);
    if (found != targets.end()) return found->second;
    if (targets.size() >= kMaxTargets) key = TargetKey{"other", "other", key.access_method};
    return targets[key];
  }

  ModelSeries& model(const std::string& name) {
    auto found = models.find(name);
    if (found != models.end()) return found->second;
    return models.size() >= kMaxTargets ? models["other"] : models[name];
  }

  static void add_refreshes(std::map<std::pair<std::string, std::string>, std::uint64_t>& into,
                            const observe::ManagerGauges& gauges) {
    if (gauges.credential_refreshes > 0) {
      into[{gauges.credential_provider, "success"}] += gauges.credential_refreshes;
    }
    if (gauges.failed_credential_refreshes > 0) {
      into[{gauges.credential_provider, "failure"}] += gauges.failed_credential_refreshes;
    }
  }
};

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {}
MetricsRegistry::~MetricsRegistry() = default;

std::string MetricsRegistry::render_prometheus() const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<observe::ManagerGauges> gauges;
  gauges.reserve(impl_->collectors.size());
  for (const auto& [id, collect] : impl_->collectors) {
    try {
      gauges.push_back(collect());
    } catch (...) {  // NOLINT(bugprone-empty-catch): one manager's failure hides only its gauges
    }
  }

  observe::PrometheusWriter out;
  out.family("llmm_calls_total", "counter",
             "Calls ended, by the model of their last attempt and their outcome.");
  for (const auto& [model, series] : impl_->models) {
    for (const auto& [outcome, count] : series.calls) {
      const std::array labels = {Label{"model", model}, Label{"outcome", outcome}};
      out.sample("llmm_calls_total", labels, count);
    }
  }
  out.family("llmm_call_duration_seconds", "histogram",
             "Call duration, retries, backoff and failover included.");
  for (const auto& [model, series] : impl_->models) {
    const std::array labels = {Label{"model", model}};
    out.histogram("llmm_call_duration_seconds", labels, series.duration);
  }

  auto target_labels = [](const TargetKey& key) {
    return std::array{Label{"model", key.model}, Label{"region", key.region},
                      Label{"access_method", key.access_method}};
  };
  out.family("llmm_attempts_total", "counter", "Attempts ended, by target and outcome.");
  for (const auto& [key, series] : impl_->targets) {
    for (const auto& [outcome, count] : series.attempts) {
      const auto base = target_labels(key);
      const std::array labels = {base[0], base[1], base[2], Label{"outcome", outcome}};
      out.sample("llmm_attempts_total", labels, count);
    }
  }
  out.family("llmm_throttles_total", "counter", "Attempts the service refused for rate.");
  for (const auto& [key, series] : impl_->targets) {
    out.sample("llmm_throttles_total", target_labels(key), series.throttles);
  }
  out.family("llmm_attempt_duration_seconds", "histogram", "Attempt duration, send to outcome.");
  for (const auto& [key, series] : impl_->targets) {
    out.histogram("llmm_attempt_duration_seconds", target_labels(key), series.attempt_duration);
  }
  out.family("llmm_time_to_first_token_seconds", "histogram",
             "Streams: from the call's start to the first content received.");
  for (const auto& [key, series] : impl_->targets) {
    if (series.time_to_first_token.count == 0) continue;
    out.histogram("llmm_time_to_first_token_seconds", target_labels(key),
                  series.time_to_first_token);
  }
  out.family("llmm_tokens_total", "counter",
             "Tokens the service reported for successful calls, by kind.");
  for (const auto& [key, series] : impl_->targets) {
    for (std::size_t kind = 0; kind < kTokenKinds; ++kind) {
      const auto base = target_labels(key);
      const std::array labels = {base[0], base[1], base[2], Label{"kind", kTokenKindNames[kind]}};
      out.sample("llmm_tokens_total", labels, series.tokens[kind]);
    }
  }

  std::uint64_t breaker_opens = impl_->retired_breaker_opens;
  auto refreshes = impl_->retired_refreshes;
  for (const auto& manager : gauges) {
    breaker_opens += manager.breaker_opens;
    Impl::add_refreshes(refreshes, manager);
  }
  out.family("llmm_breaker_opens_total", "counter", "Circuit breakers opened.");
  out.sample("llmm_breaker_opens_total", {}, breaker_opens);
  out.family("llmm_breaker_open", "gauge", "1 for each target whose circuit breaker is open.");
  std::map<std::pair<std::string, std::string>, std::uint64_t> open;
  for (const auto& manager : gauges) {
    for (const auto& breaker : manager.open_breakers) open[{breaker.model_id, breaker.region}] = 1;
  }
  for (const auto& [target, one] : open) {
    const std::array labels = {Label{"model_id", target.first}, Label{"region", target.second}};
    out.sample("llmm_breaker_open", labels, one);
  }
  out.family("llmm_rate_limit_requests_per_minute", "gauge",
             "The rate controller's requests-per-minute limit in force, per target.");
  std::map<std::pair<std::string, std::string>, double> limits;
  for (const auto& manager : gauges) {
    for (const auto& limit : manager.request_limits) {
      limits[{limit.model_id, limit.region}] = limit.requests_per_minute;
    }
  }
  for (const auto& [target, limit] : limits) {
    const std::array labels = {Label{"model_id", target.first}, Label{"region", target.second}};
    out.sample("llmm_rate_limit_requests_per_minute", labels, limit);
  }
  out.family("llmm_credential_refreshes_total", "counter",
             "Credential refreshes, by provider and outcome.");
  for (const auto& [key, count] : refreshes) {
    const std::array labels = {Label{"provider", key.first}, Label{"outcome", key.second}};
    out.sample("llmm_credential_refreshes_total", labels, count);
  }
  return out.take();
}

namespace observe {

std::string_view outcome_name(const std::optional<Error>& error) noexcept {
  return error ? to_string(error->code) : std::string_view("success");
}

void MetricsAccess::record_attempt(MetricsRegistry& registry, const Attempt& attempt) {
  auto& impl = *registry.impl_;
  const std::lock_guard lock(impl.mutex);
  TargetSeries& series = impl.target(attempt.model_name, attempt.region, attempt.access_method);
  const std::string_view outcome = outcome_name(attempt.error);
  auto found = series.attempts.find(outcome);
  if (found == series.attempts.end()) found = series.attempts.emplace(outcome, 0).first;
  ++found->second;
  if (attempt.error && attempt.error->code == ErrorCode::Throttled) ++series.throttles;
  series.attempt_duration.observe(seconds(attempt.duration));
}

void MetricsAccess::record_call(MetricsRegistry& registry, const BedrockResponse& response) {
  auto& impl = *registry.impl_;
  const std::lock_guard lock(impl.mutex);
  ModelSeries& model = impl.model(response.model_name);
  const std::string_view outcome = outcome_name(response.error);
  auto found = model.calls.find(outcome);
  if (found == model.calls.end()) found = model.calls.emplace(outcome, 0).first;
  ++found->second;
  model.duration.observe(seconds(response.total_duration));
  if (!response.output && !response.time_to_first_token) return;
  TargetSeries& target = impl.target(response.model_name, response.region, response.access_method);
  if (response.time_to_first_token) {
    target.time_to_first_token.observe(seconds(*response.time_to_first_token));
  }
  if (response.output) {
    const TokenUsage& usage = response.output->usage;
    target.tokens[Input] += non_negative(usage.input_tokens);
    target.tokens[Output] += non_negative(usage.output_tokens);
    target.tokens[CacheRead] += non_negative(usage.cache_read_input_tokens);
    target.tokens[CacheWrite] += non_negative(usage.cache_write_input_tokens);
  }
}

std::uint64_t MetricsAccess::add_collector(MetricsRegistry& registry, GaugeCollector collect) {
  auto& impl = *registry.impl_;
  const std::lock_guard lock(impl.mutex);
  const std::uint64_t id = impl.next_collector++;
  impl.collectors.emplace(id, std::move(collect));
  return id;
}

void MetricsAccess::remove_collector(MetricsRegistry& registry, std::uint64_t id) {
  auto& impl = *registry.impl_;
  const std::lock_guard lock(impl.mutex);
  auto found = impl.collectors.find(id);
  if (found == impl.collectors.end()) return;
  try {
    const ManagerGauges last = found->second();
    impl.retired_breaker_opens += last.breaker_opens;
    MetricsRegistry::Impl::add_refreshes(impl.retired_refreshes, last);
  } catch (...) {  // NOLINT(bugprone-empty-catch): its counters are lost, not the registry
  }
  impl.collectors.erase(found);
}

}  // namespace observe
}  // namespace llmm
