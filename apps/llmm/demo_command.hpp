#pragma once
// `llmm demo`: failover, told as it happens. Starts the embedded emulator with the scenario of
// demo_scenario.hpp (a throttled region, a stalled region, a profile-only model), runs a few calls
// through one LLMManager, prints every attempt as it ends (CallOptions::on_attempt) and then a
// summary: answers, attempts per call, total time and ManagerStats. About 2 s, plain ASCII;
// colour only when stdout is a terminal (and NO_COLOR is unset). Exit code 0 when every call
// was answered, 1 otherwise.

#include <CLI/CLI.hpp>

namespace llmm::cli {

class DemoCommand {
 public:
  // Registers `demo` on `app`; this object must outlive the parse.
  explicit DemoCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return command_ != nullptr && command_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* command_ = nullptr;
};

}  // namespace llmm::cli
