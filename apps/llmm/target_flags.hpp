#pragma once
// The flags that say where a call goes, shared by the commands that make calls (`ask`,
// `stream`, `batch`): --model and --region (repeatable, in failover order), --retry-delay MS,
// rate control (RateControlFlags), logging (LogFlags: -v, -vv, -vvv, --log-level), how Bedrock
// is reached (ConnectionFlags: --endpoint URL or --emulator, the ClientConfig flags) and where
// the catalog comes from (CatalogFlags). resolve() turns them into an LLMManager, starting the
// embedded emulator first when asked; prepare() into the options of one (`batch` builds a
// ParallelLLMManager from them).

#include "catalog_flags.hpp"
#include "connection_flags.hpp"
#include "embedded_emulator.hpp"
#include "log_flags.hpp"
#include "rate_control_flags.hpp"

#include <llmm/llm_manager.hpp>
#include <llmm/llm_manager_options.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace llmm::cli {

class TargetFlags {
 public:
  // `rate_control` is the command's default mode of --rate-control.
  explicit TargetFlags(RateControlMode rate_control = RateControlMode::Off)
      : rate_flags_(rate_control) {}

  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // How many times -v was given.
  [[nodiscard]] int verbosity() const noexcept { return log_flags_.verbosity(); }

  // A manager and, with --emulator, the emulator it talks to (declared first, so it outlives
  // the manager). Throws what LLMManager and ClientConfig throw (exit 2); a catalog to be had
  // from no source is a ConfigurationError too.
  struct Setup {
    std::unique_ptr<EmbeddedEmulator> emulator;
    std::unique_ptr<LLMManager> manager;
  };
  [[nodiscard]] Setup resolve() const;

  // The same, stopping short of building the manager.
  struct Prepared {
    std::unique_ptr<EmbeddedEmulator> emulator;
    LLMManagerOptions options;
  };
  [[nodiscard]] Prepared prepare() const;

 private:
  ConnectionFlags connection_flags_;
  CatalogFlags catalog_flags_;
  RateControlFlags rate_flags_;
  LogFlags log_flags_;
  std::vector<std::string> models_;
  std::vector<std::string> regions_;
  long long retry_delay_ms_ = -1;  // -1: RetryConfig's default
};

}  // namespace llmm::cli
