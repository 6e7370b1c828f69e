#pragma once
// The flags that say where a call goes, shared by the commands that make calls (`ask`,
// `stream`): --model and --region (repeatable, in failover order), --endpoint URL or
// --emulator, --retry-delay MS and the ClientConfig flags. resolve() turns them into an
// LLMManager, starting the embedded emulator first when asked.

#include "client_config_flags.hpp"
#include "embedded_emulator.hpp"

#include <llmm/llm_manager.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace llmm::cli {

class TargetFlags {
 public:
  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // A manager and, with --emulator, the emulator it talks to (declared first, so it outlives
  // the manager). Throws what LLMManager and ClientConfig throw (exit 2).
  struct Setup {
    std::unique_ptr<EmbeddedEmulator> emulator;
    std::unique_ptr<LLMManager> manager;
  };
  [[nodiscard]] Setup resolve() const;

 private:
  ClientConfigFlags client_flags_;
  std::vector<std::string> models_;
  std::vector<std::string> regions_;
  std::string endpoint_;
  bool emulator_ = false;
  long long retry_delay_ms_ = -1;  // -1: RetryConfig's default
};

}  // namespace llmm::cli
