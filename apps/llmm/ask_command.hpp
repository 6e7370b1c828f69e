#pragma once
// `llmm ask PROMPT --model NAME... --region R... [--attach FILE...] [--endpoint URL | --emulator]
// [--json] [-v] [--retry-delay MS] [ClientConfig flags]`: one Converse call through an LLMManager.
// The user message is built with llmm::MessageBuilder: the prompt, then each --attach file as an
// image, document or video as its content says (a file Bedrock would refuse exits 2 before any
// call; detection warnings go to stderr).
//
// stdout: the answer text, or with --json the whole BedrockResponse::to_json() (also on failure).
// stderr: with -v the attempts as a table, the response's warnings and the log lines (LogFlags);
// on failure the error's describe() and its request id. Exit codes (exit_codes.hpp): 0 answered, 1
// the call failed, 2 usage or configuration error (unknown model, bad flag value, no credentials).

#include "target_flags.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace llmm::cli {

class AskCommand {
 public:
  // Registers `ask` on `app`; this object must outlive the parse.
  explicit AskCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return command_ != nullptr && command_->parsed(); }
  // Builds the manager (which may throw configuration errors, see exit_codes.hpp) and calls it.
  [[nodiscard]] int run() const;

 private:
  CLI::App* command_ = nullptr;
  TargetFlags targets_;
  std::string prompt_;
  std::vector<std::string> attachments_;
  bool json_ = false;
};

}  // namespace llmm::cli
