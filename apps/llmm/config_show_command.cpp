#include "config_show_command.hpp"

#include "exit_codes.hpp"

#include <iostream>

namespace llmm::cli {

ConfigShowCommand::ConfigShowCommand(CLI::App& app) {
  auto* config = app.add_subcommand("config", "Show the effective client configuration");
  config->require_subcommand(1);
  show_ =
      config->add_subcommand("show", "Print the ClientConfig as JSON (environment, then flags)");
  client_flags_.add_to(*show_);
  show_->add_option("--json", json_text_, "A ClientConfig JSON document, applied before flags");
}

int ConfigShowCommand::run() const {
  std::cout << client_flags_.resolve(json_text_).to_json() << '\n';
  return kExitSuccess;
}

}  // namespace llmm::cli
