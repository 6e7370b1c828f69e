#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>

#include <algorithm>
#include <cctype>
#include <future>

namespace llmm {
namespace {

void require_names(const std::vector<std::string>& names, const char* what) {
  if (names.empty()) throw ConfigurationError(std::string(what) + " must not be empty");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool blank = std::all_of(names[i].begin(), names[i].end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank) {
      throw ConfigurationError(std::string(what) + "[" + std::to_string(i) + "] is blank");
    }
  }
}

}  // namespace

struct LLMManager::Impl {
  std::vector<std::string> models;
  std::vector<std::string> regions;
  RetryConfig retry_config;
  Seams seams;
  std::unique_ptr<AuthManager> auth_manager;
};

LLMManager::LLMManager(std::vector<std::string> models, std::vector<std::string> regions,
                       AuthConfig auth_config, RetryConfig retry_config,
                       ClientConfig client_config, Seams seams)
    : impl_(std::make_unique<Impl>()) {
  require_names(models, "models");
  require_names(regions, "regions");
  retry_config.validate();
  if (!seams.clock) seams.clock = Clock::system();
  if (!seams.random) seams.random = RandomSource::standard();
  impl_->models = std::move(models);
  impl_->regions = std::move(regions);
  impl_->retry_config = retry_config;
  impl_->seams = seams;
  impl_->auth_manager =
      std::make_unique<AuthManager>(std::move(auth_config), client_config, std::move(seams));
  // Fail now, not on the first call, for a region or endpoint that cannot be used.
  for (const auto& region : impl_->regions) {
    (void)impl_->auth_manager->runtime_client(region);
  }
}

LLMManager::~LLMManager() = default;

void LLMManager::converse_async(const ConverseRequest& request, Callback callback) const {
  const std::string& model = impl_->models.front();
  const std::string& region = impl_->regions.front();
  const auto started = impl_->seams.clock->now();
  auto client = impl_->auth_manager->runtime_client(region);
  client->converse_async(
      model, request,
      [callback = std::move(callback), model, region, started,
       clock = impl_->seams.clock](ConverseOutcome outcome) {
        BedrockResponse response;
        response.model_name = model;
        response.model_id = model;
        response.region = region;
        response.attempts = std::move(outcome.attempts);
        if (outcome.output) {
          response.output = std::move(*outcome.output);
        } else {
          response.error = outcome.output.error();
        }
        response.total_duration =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock->now() - started);
        callback(std::move(response));
      },
      impl_->retry_config.backoff());
}

BedrockResponse LLMManager::converse(const ConverseRequest& request) const {
  if (impl_->auth_manager->runtime_client(impl_->regions.front())->on_event_loop_thread()) {
    BedrockResponse refused;
    refused.error = Error{ErrorCode::Internal,
                          "LLMManager::converse was called from a completion callback (the "
                          "event-loop thread); use converse_async there"};
    return refused;
  }
  std::promise<BedrockResponse> promise;
  auto future = promise.get_future();
  converse_async(request, [&promise](BedrockResponse response) {
    promise.set_value(std::move(response));
  });
  return future.get();
}

BedrockResponse LLMManager::converse_or_throw(const ConverseRequest& request) const {
  auto response = converse(request);
  if (!response.ok()) throw RetryExhaustedError(std::move(response));
  return response;
}

const std::vector<std::string>& LLMManager::models() const noexcept { return impl_->models; }
const std::vector<std::string>& LLMManager::regions() const noexcept { return impl_->regions; }
const ClientConfig& LLMManager::client_config() const noexcept {
  return impl_->auth_manager->client_config();
}
const RetryConfig& LLMManager::retry_config() const noexcept { return impl_->retry_config; }
AuthManager& LLMManager::auth_manager() const noexcept { return *impl_->auth_manager; }

RetryExhaustedError::RetryExhaustedError(BedrockResponse response)
    : std::runtime_error("all " + std::to_string(response.attempts.size()) +
                         " attempt(s) failed; last error: " +
                         (response.error ? response.error->describe() : std::string("none"))),
      response_(std::move(response)) {}

}  // namespace llmm
