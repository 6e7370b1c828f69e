#pragma once
// `llmm models [--region R] [--provider P] [--json] [--catalog bundled|builtin]`: the model
// catalog as a table (or as our catalog JSON), and `llmm models resolve NAME [--region R]`: how a
// name resolves, why, and how the model can be called in each region. Unknown names and regions
// are configuration errors (exit 2); `resolve --region R` for a model R does not offer exits 1.

#include <CLI/CLI.hpp>

#include <string>

namespace llmm::cli {

class ModelsCommand {
 public:
  // Registers `models` and `models resolve` on `app`; this object must outlive the parse.
  explicit ModelsCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return models_ != nullptr && models_->parsed(); }
  // Prints to stdout; throws llmm::ConfigurationError for an unknown name, region or provider.
  [[nodiscard]] int run() const;

 private:
  [[nodiscard]] int list() const;
  [[nodiscard]] int resolve() const;

  CLI::App* models_ = nullptr;
  CLI::App* resolve_ = nullptr;
  std::string catalog_name_ = "bundled";
  std::string region_;
  std::string provider_;
  bool json_ = false;
  std::string name_;
  std::string resolve_region_;
};

}  // namespace llmm::cli
