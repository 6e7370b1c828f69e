#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>

namespace llmm {
namespace {

// One batch: requests are started as earlier ones finish, so at most `limit` are in flight.
// Completions run on the event loop; the caller's thread only waits.
struct Batch {
  const LLMManager& manager;
  const std::vector<ConverseRequest>& requests;
  std::size_t limit;
  std::vector<BedrockResponse> responses;
  std::mutex mutex;
  std::condition_variable all_done;
  std::size_t next = 0;
  std::size_t finished = 0;

  void start_next_locked(std::unique_lock<std::mutex>& lock) {
    const std::size_t index = next++;
    lock.unlock();
    manager.converse_async(requests[index], [this, index](BedrockResponse response) {
      std::unique_lock inner(mutex);
      responses[index] = std::move(response);
      ++finished;
      if (next < requests.size()) start_next_locked(inner);
      if (finished == requests.size()) all_done.notify_all();
    });
    lock.lock();
  }

  std::vector<BedrockResponse> run() {
    responses.resize(requests.size());
    std::unique_lock lock(mutex);
    while (next < requests.size() && next < limit) start_next_locked(lock);
    all_done.wait(lock, [this] { return finished == requests.size(); });
    return std::move(responses);
  }
};

}  // namespace

// The options form and the positional form run the same code: the positional constructor.
ParallelLLMManager::ParallelLLMManager(ParallelLLMManagerOptions options)
    : ParallelLLMManager(std::move(options.manager.models), std::move(options.manager.regions),
                         std::move(options.manager.auth), std::move(options.manager.retry),
                         std::move(options.manager.client), options.parallel,
                         std::move(options.manager.catalog), std::move(options.manager.seams)) {}

ParallelLLMManager::ParallelLLMManager(std::vector<std::string> models,
                                       std::vector<std::string> regions, AuthConfig auth_config,
                                       RetryConfig retry_config, ClientConfig client_config,
                                       ParallelConfig parallel_config,
                                       CatalogConfig catalog_config, Seams seams)
    : parallel_config_(parallel_config) {
  if (parallel_config_.max_concurrent_requests < 1) {
    throw std::invalid_argument("ParallelConfig.max_concurrent_requests must be >= 1, got " +
                                std::to_string(parallel_config_.max_concurrent_requests));
  }
  // The same ClientConfig goes to the one LLMManager, and through it to every client.
  manager_ = std::make_unique<LLMManager>(std::move(models), std::move(regions),
                                          std::move(auth_config), retry_config, client_config,
                                          std::move(catalog_config), std::move(seams));
}

ParallelLLMManager::~ParallelLLMManager() = default;

std::vector<BedrockResponse> ParallelLLMManager::converse_parallel(
    const std::vector<ConverseRequest>& requests) const {
  if (requests.empty()) return {};
  Batch batch{*manager_, requests,
              static_cast<std::size_t>(parallel_config_.max_concurrent_requests), {}, {}, {}};
  return batch.run();
}

const ParallelConfig& ParallelLLMManager::parallel_config() const noexcept {
  return parallel_config_;
}

const LLMManager& ParallelLLMManager::underlying_manager() const noexcept { return *manager_; }

}  // namespace llmm
