#pragma once
// `llmm config show [--json DOC] [--credentials] [ClientConfig flags]`: prints the effective
// ClientConfig as JSON (environment, then the JSON document, then flags). With --credentials it
// also runs the default credential chain and adds "credentials" (provider, source, profile,
// expiration; never a secret; or "error" when none are found) and "region" (the configured
// region or null). Opt-in because the chain may call STS, SSO, a container endpoint or IMDS.

#include "client_config_flags.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace llmm::cli {

class ConfigShowCommand {
 public:
  // Registers `config show` on `app`; this object must outlive the parse.
  explicit ConfigShowCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return show_ != nullptr && show_->parsed(); }
  // Prints the configuration to stdout; throws llmm::ConfigurationError for bad values.
  [[nodiscard]] int run() const;

 private:
  CLI::App* show_ = nullptr;
  ClientConfigFlags client_flags_;
  std::string json_text_;
  bool credentials_ = false;
};

}  // namespace llmm::cli
