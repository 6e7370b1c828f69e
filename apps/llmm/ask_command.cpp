#include "ask_command.hpp"

#include "attempt_table.hpp"
#include "embedded_emulator.hpp"
#include "exit_codes.hpp"

#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>

#include <chrono>
#include <iostream>
#include <memory>

namespace llmm::cli {

AskCommand::AskCommand(CLI::App& app) {
  command_ =
      app.add_subcommand("ask", "Send one prompt through an LLMManager and print the answer");
  command_->add_option("prompt", prompt_, "The user message")->required();
  command_
      ->add_option("-m,--model", models_,
                   "Model name, model id, profile id or ARN; repeat for failover, in order")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command_->add_option("-r,--region", regions_, "AWS region; repeat for failover, in order")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command_
      ->add_option("-a,--attach", attachments_,
                   "A file to send with the prompt (image, document or video, detected from its "
                   "content); repeat for several")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* endpoint = command_->add_option(
      "--endpoint", endpoint_,
      "Runtime and control-plane endpoint (scheme://host[:port][/base]) instead of AWS's");
  auto* emulator = command_->add_flag(
      "--emulator", emulator_,
      "Start the Bedrock emulator in-process on a free loopback port and ask it (its test keys)");
  endpoint->excludes(emulator);
  emulator->excludes(endpoint);
  command_->add_flag("--json", json_, "Print the whole response as JSON instead of the text");
  command_->add_flag("-v,--verbose", verbose_, "Print the attempts and warnings to stderr");
  command_
      ->add_option("--retry-delay", retry_delay_ms_,
                   "Base of the backoff between retries, in milliseconds (default 1000)")
      ->check(CLI::Range(0LL, 86'400'000LL));
  client_flags_.add_to(*command_);
}

int AskCommand::run() const {
  const ClientConfig client_config = client_flags_.resolve();
  // The message first: an attachment Bedrock would refuse ends the command before any call.
  MessageBuilder question = user_message();
  question.add_text(prompt_);
  for (const std::string& attachment : attachments_) question.add_attachment(attachment);
  ConverseRequest request;
  request.messages.push_back(question.build());
  for (const std::string& warning : question.warnings()) std::cerr << "warning: " << warning << '\n';

  RetryConfig retry_config;
  if (retry_delay_ms_ >= 0) retry_config.retry_delay = std::chrono::milliseconds(retry_delay_ms_);

  std::unique_ptr<EmbeddedEmulator> emulator;
  AuthConfig auth_config;
  if (emulator_) {
    emulator = std::make_unique<EmbeddedEmulator>(EmbeddedEmulator::Options{});
    auth_config = emulator->auth_config();
  } else if (!endpoint_.empty()) {
    auth_config.runtime_endpoint = endpoint_;
    auth_config.control_endpoint = endpoint_;
  }

  const LLMManager manager(models_, regions_, auth_config, retry_config, client_config);
  const BedrockResponse response = manager.converse(request);

  if (verbose_) {
    std::cerr << format_attempt_table(response.attempts);
    for (const std::string& warning : response.warnings)
      std::cerr << "warning: " << warning << '\n';
  }
  if (json_) {
    std::cout << response.to_json() << '\n';
  } else if (response.ok()) {
    std::cout << response.text() << '\n';
  }
  if (!response.ok()) {
    std::cerr << "llmm: call failed: "
              << (response.error ? response.error->describe() : std::string("no answer")) << '\n';
    return kExitCallFailed;
  }
  return kExitSuccess;
}

}  // namespace llmm::cli
