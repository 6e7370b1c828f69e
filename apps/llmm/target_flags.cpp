#include "target_flags.hpp"

#include <chrono>

namespace llmm::cli {

void TargetFlags::add_to(CLI::App& command) {
  command
      .add_option("-m,--model", models_,
                  "Model name, model id, profile id or ARN; repeat for failover, in order")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option("-r,--region", regions_,
                  "AWS region; repeat for failover, in order (default: AWS_REGION, "
                  "AWS_DEFAULT_REGION, then the profile's region)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command
      .add_option("--retry-delay", retry_delay_ms_,
                  "Base of the backoff between retries, in milliseconds (default 1000)")
      ->check(CLI::Range(0LL, 86'400'000LL));
  connection_flags_.add_to(command);
  catalog_flags_.add_to(command);
}

TargetFlags::Setup TargetFlags::resolve() const {
  ConnectionFlags::Connection connection = connection_flags_.resolve();
  RetryConfig retry_config;
  if (retry_delay_ms_ >= 0) retry_config.retry_delay = std::chrono::milliseconds(retry_delay_ms_);
  Setup setup;
  setup.emulator = std::move(connection.emulator);
  // Empty CatalogConfig::regions: the manager discovers its own regions.
  setup.manager = std::make_unique<LLMManager>(
      models_, regions_, connection.auth_config, retry_config, connection.client_config,
      catalog_flags_.resolve(setup.emulator ? CacheMode::None : CacheMode::File));
  return setup;
}

}  // namespace llmm::cli
