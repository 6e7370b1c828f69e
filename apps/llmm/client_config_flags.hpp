#pragma once
// The four ClientConfig flags (--read-timeout, --connect-timeout, --max-pool-connections,
// --retries-max-attempts), collected as text and read by ClientConfig::from_flags so every
// subcommand and the library share one parser and one set of error messages.

#include <llmm/client_config.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace llmm::cli {

class ClientConfigFlags {
 public:
  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // Environment (LLMM_*, AWS_MAX_ATTEMPTS), then the JSON document if not empty, then the flags:
  // the most explicit source wins. Throws llmm::ConfigurationError naming the field and text.
  [[nodiscard]] ClientConfig resolve(const std::string& json_text = {}) const;

 private:
  std::vector<std::string> arguments_;
};

}  // namespace llmm::cli
