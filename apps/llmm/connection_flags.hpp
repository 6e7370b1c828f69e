#pragma once
// The flags that say how Bedrock is reached, shared by every command that builds an AuthManager
// (`ask`, `stream` through TargetFlags, and `models`): --endpoint URL or --emulator, and the
// ClientConfig flags. resolve() starts the embedded emulator first when asked.

#include "client_config_flags.hpp"
#include "embedded_emulator.hpp"

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace llmm::cli {

class ConnectionFlags {
 public:
  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // With --emulator, the emulator the AuthConfig points at: keep it alive for as long as
  // anything built from the AuthConfig (it is declared first, so a Connection destroys it last).
  struct Connection {
    std::unique_ptr<EmbeddedEmulator> emulator;
    AuthConfig auth_config;
    ClientConfig client_config;
  };
  // Throws what ClientConfig throws (exit 2), before any emulator is started.
  [[nodiscard]] Connection resolve() const;

 private:
  ClientConfigFlags client_flags_;
  std::string endpoint_;
  bool emulator_ = false;
};

}  // namespace llmm::cli
