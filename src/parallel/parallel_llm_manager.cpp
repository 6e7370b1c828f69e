#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include "parallel/batch_run.hpp"
#include "parallel/batch_statistics.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace llmm {
namespace {

// Statistics of results as they stand (after a merge, or with the never-started ones added).
ParallelStats statistics_of(const std::vector<ParallelResult>& results, std::size_t max_in_flight,
                            std::chrono::milliseconds duration) {
  parallel::BatchStatistics statistics;
  for (const ParallelResult& result : results) statistics.add(result);
  statistics.note_in_flight(max_in_flight);
  return statistics.finish(duration);
}

void index_results(ParallelResponse& response) {
  response.index_by_id.clear();
  for (std::size_t i = 0; i < response.results.size(); ++i) {
    response.index_by_id.emplace(response.results[i].id, i);
  }
}

// Throws RequestValidationError naming every id given more than once (at most 10 of them).
void require_unique_ids(const std::vector<ParallelRequest>& requests) {
  std::map<std::string_view, std::size_t> seen;
  for (const ParallelRequest& request : requests) ++seen[request.id];
  std::string duplicated;
  std::size_t count = 0;
  for (const auto& [id, times] : seen) {
    if (times < 2) continue;
    if (++count <= 10) {
      duplicated += (duplicated.empty() ? "" : ", ") + std::string("\"") + std::string(id) +
                    "\" (" + std::to_string(times) + " times)";
    }
  }
  if (count == 0) return;
  if (count > 10) duplicated += ", and " + std::to_string(count - 10) + " more";
  throw RequestValidationError("converse_parallel: duplicate request ids: " + duplicated);
}

}  // namespace

// The positional form and the options form run the same code: the options constructor.
ParallelLLMManager::ParallelLLMManager(std::vector<std::string> models,
                                       std::vector<std::string> regions, AuthConfig auth_config,
                                       RetryConfig retry_config, ClientConfig client_config,
                                       ParallelConfig parallel_config, CatalogConfig catalog_config,
                                       Seams seams)
    : ParallelLLMManager(ParallelLLMManagerOptions{.manager = {.models = std::move(models),
                                                               .regions = std::move(regions),
                                                               .auth = std::move(auth_config),
                                                               .retry = std::move(retry_config),
                                                               .client = std::move(client_config),
                                                               .catalog = std::move(catalog_config),
                                                               .seams = std::move(seams)},
                                                   .parallel = parallel_config}) {}

ParallelLLMManager::ParallelLLMManager(ParallelLLMManagerOptions options)
    : parallel_config_(options.parallel) {
  parallel_config_.validate();
  Seams& seams = options.manager.seams;
  if (!seams.clock) seams.clock = Clock::system();
  if (!seams.random) seams.random = RandomSource::standard();
  clock_ = seams.clock;
  // Before the manager exists, so the loop is not using the source yet.
  random_seed_ = static_cast<std::uint64_t>(seams.random->uniform() * 18446744073709551615.0);
  // The same ClientConfig goes to the one LLMManager, and through it to every client; so do
  // its logging and metrics.
  manager_ = std::make_unique<LLMManager>(std::move(options.manager));
  if (const auto& per_request = parallel_config_.target_regions_per_request;
      per_request && static_cast<std::size_t>(*per_request) > manager_->regions().size()) {
    throw std::invalid_argument("ParallelConfig.target_regions_per_request is " +
                                std::to_string(*per_request) + " but the manager has " +
                                std::to_string(manager_->regions().size()) + " region(s)");
  }
}

ParallelLLMManager::~ParallelLLMManager() = default;

ParallelRunSummary ParallelLLMManager::converse_each(const ParallelRequestSource& next,
                                                     const ParallelResultSink& on_result,
                                                     const ParallelRunOptions& options) const {
  const std::uint64_t batch = batches_.fetch_add(1);
  const parallel::BatchSettings settings{*manager_, parallel_config_, *clock_,
                                         random_seed_ ^ (batch * 0x9E3779B97F4A7C15ULL)};
  return parallel::run_batch(settings, next, on_result, options);
}

ParallelResponse ParallelLLMManager::converse_parallel(
    std::vector<ParallelRequest> requests) const {
  if (requests.empty())
    throw RequestValidationError("converse_parallel: the request list is empty");
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].id.empty()) requests[i].id = parallel::generated_id(i);
  }
  require_unique_ids(requests);

  ParallelResponse response;
  response.results.resize(requests.size());
  std::size_t taken = 0;
  ParallelRunOptions options;
  options.expected_total = requests.size();
  const ParallelRunSummary summary = converse_each(
      [&]() -> std::optional<ParallelRequest> {
        if (taken == requests.size()) return std::nullopt;
        return requests[taken++];
      },
      [&](ParallelResult result) {
        const std::size_t index = result.index;
        response.results[index] = std::move(result);
      },
      options);
  for (std::size_t i = taken; i < requests.size(); ++i) {
    ParallelResult& never = response.results[i];
    never.id = requests[i].id;
    never.index = i;
    never.outcome = RequestOutcome::NotStarted;
    never.response.error =
        Error{ErrorCode::Cancelled, "not started: " + summary.stopped.value_or("")};
  }
  response.stopped = summary.stopped;
  response.stats =
      statistics_of(response.results, summary.stats.max_in_flight, summary.stats.total_duration);
  response.success =
      parallel::strategy_success(parallel_config_, response.stats, response.stopped.has_value());
  response.requests = std::move(requests);
  index_results(response);
  return response;
}

ParallelResponse ParallelLLMManager::converse_parallel(
    const std::vector<ConverseRequest>& requests) const {
  std::vector<ParallelRequest> named;
  named.reserve(requests.size());
  for (const ConverseRequest& request : requests) named.push_back(ParallelRequest{{}, request});
  return converse_parallel(std::move(named));
}

ParallelResponse ParallelLLMManager::retry_failed_requests(
    const ParallelResponse& previous,
    const std::function<bool(const ParallelResult&)>& filter) const {
  if (previous.requests.size() != previous.results.size()) {
    throw std::invalid_argument(
        "retry_failed_requests: the previous response does not carry its requests (it was not "
        "made by converse_parallel)");
  }
  std::vector<ParallelRequest> again;
  bool any_unsuccessful = false;
  for (const ParallelResult& result : previous.results) {
    if (result.ok()) continue;
    any_unsuccessful = true;
    bool chosen = true;
    if (filter) {
      try {
        chosen = filter(result);
      } catch (...) {  // a filter that throws skips that request, as in the Python library
        chosen = false;
      }
    }
    if (chosen) again.push_back(previous.requests[result.index]);
  }
  if (!any_unsuccessful) {
    throw std::invalid_argument(
        "retry_failed_requests: the previous batch has no failed, timed-out, cancelled or "
        "not-started request");
  }
  if (again.empty()) return previous;

  ParallelResponse retried = converse_parallel(std::move(again));
  ParallelResponse merged = previous;
  for (ParallelResult& result : retried.results) {
    const std::size_t index = previous.index_by_id.at(result.id);
    result.index = index;
    merged.results[index] = std::move(result);
  }
  merged.stopped = retried.stopped;
  merged.stats = statistics_of(merged.results,
                               std::max(previous.stats.max_in_flight, retried.stats.max_in_flight),
                               previous.stats.total_duration + retried.stats.total_duration);
  merged.success =
      parallel::strategy_success(parallel_config_, merged.stats, merged.stopped.has_value());
  return merged;
}

const ParallelConfig& ParallelLLMManager::parallel_config() const noexcept {
  return parallel_config_;
}

const LLMManager& ParallelLLMManager::underlying_manager() const noexcept { return *manager_; }
ConfigurationReport ParallelLLMManager::validate_configuration() const {
  return manager_->validate_configuration();
}
void ParallelLLMManager::refresh_model_data() { manager_->refresh_model_data(); }

}  // namespace llmm
