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
  rate_flags_.add_to(command);
  log_flags_.add_to(command);
  connection_flags_.add_to(command);
  catalog_flags_.add_to(command);
}

TargetFlags::Prepared TargetFlags::prepare() const {
  // Flag errors first, before any emulator starts.
  RateControlConfig rate_control = rate_flags_.resolve();
  LoggingConfig logging = log_flags_.resolve();
  ConnectionFlags::Connection connection = connection_flags_.resolve();
  Prepared prepared;
  prepared.emulator = std::move(connection.emulator);
  prepared.options.models = models_;
  prepared.options.regions = regions_;
  prepared.options.auth = connection.auth_config;
  if (retry_delay_ms_ >= 0) {
    prepared.options.retry.retry_delay = std::chrono::milliseconds(retry_delay_ms_);
  }
  prepared.options.retry.rate_control = std::move(rate_control);
  prepared.options.client = connection.client_config;
  prepared.options.logging = std::move(logging);
  // Empty CatalogConfig::regions: the manager discovers its own regions.
  prepared.options.catalog =
      catalog_flags_.resolve(prepared.emulator ? CacheMode::None : CacheMode::File);
  return prepared;
}

TargetFlags::Setup TargetFlags::resolve() const {
  Prepared prepared = prepare();
  Setup setup;
  setup.emulator = std::move(prepared.emulator);
  setup.manager = std::make_unique<LLMManager>(std::move(prepared.options));
  return setup;
}

}  // namespace llmm::cli
