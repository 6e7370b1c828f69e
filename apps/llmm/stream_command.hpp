#pragma once
// `llmm stream PROMPT --model NAME... --region R... [--endpoint URL | --emulator]
// [--first-token-timeout MS] [--no-recover] [ClientConfig flags]`: one ConverseStream call.
// stdout gets the answer text as it arrives, and nothing else; stderr gets a spinner until the
// first token (on a terminal only), a line per recovery, and a final line with the time to
// first token, tokens per second and the model and region used. Exit codes as `ask`.

#include "target_flags.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace llmm::cli {

class StreamCommand {
 public:
  explicit StreamCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return command_ != nullptr && command_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* command_ = nullptr;
  TargetFlags targets_;
  std::string prompt_;
  long long first_token_timeout_ms_ = 0;  // 0: none
  bool no_recover_ = false;
};

}  // namespace llmm::cli
