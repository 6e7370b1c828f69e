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
  command.add_option("-r,--region", regions_, "AWS region; repeat for failover, in order")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* endpoint = command.add_option(
      "--endpoint", endpoint_,
      "Runtime and control-plane endpoint (scheme://host[:port][/base]) instead of AWS's");
  auto* emulator = command.add_flag(
      "--emulator", emulator_,
      "Start the Bedrock emulator in-process on a free loopback port and call it (its test keys)");
  endpoint->excludes(emulator);
  emulator->excludes(endpoint);
  command
      .add_option("--retry-delay", retry_delay_ms_,
                  "Base of the backoff between retries, in milliseconds (default 1000)")
      ->check(CLI::Range(0LL, 86'400'000LL));
  client_flags_.add_to(command);
}

TargetFlags::Setup TargetFlags::resolve() const {
  const ClientConfig client_config = client_flags_.resolve();
  RetryConfig retry_config;
  if (retry_delay_ms_ >= 0) retry_config.retry_delay = std::chrono::milliseconds(retry_delay_ms_);
  Setup setup;
  AuthConfig auth_config;
  if (emulator_) {
    setup.emulator = std::make_unique<EmbeddedEmulator>(EmbeddedEmulator::Options{});
    auth_config = setup.emulator->auth_config();
  } else if (!endpoint_.empty()) {
    auth_config.runtime_endpoint = endpoint_;
    auth_config.control_endpoint = endpoint_;
  }
  setup.manager = std::make_unique<LLMManager>(models_, regions_, auth_config, retry_config,
                                               client_config);
  return setup;
}

}  // namespace llmm::cli
