#pragma once
// `llmm models [--region R] [--provider P] [--json]`: the model catalog a manager would use, as a
// table (or as our catalog JSON), and `llmm models resolve NAME [--region R]`: how a name
// resolves, why, and how the model can be called in each region. The catalog is loaded as an
// LLMManager loads it (cache → live discovery in R, or in the default regions → bundled data;
// CatalogFlags, ConnectionFlags); one stderr line says where it came from, then its warnings.
// Unknown names and regions are configuration errors (exit 2); `resolve --region R` for a model
// R does not offer exits 1. No credentials is not an error here: the cache or the bundled data.

#include "catalog_flags.hpp"
#include "connection_flags.hpp"

#include <llmm/model_catalog.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace llmm::cli {

class ModelsCommand {
 public:
  // Registers `models` and `models resolve` on `app`; this object must outlive the parse.
  explicit ModelsCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return models_ != nullptr && models_->parsed(); }
  // Prints to stdout (the catalog's origin and warnings to stderr); throws
  // llmm::ConfigurationError for an unknown name, region or provider.
  [[nodiscard]] int run() const;

 private:
  // A loaded catalog with what it was built from (the connection, the AuthManager).
  struct Loaded;
  // Loads the catalog for `region` (empty: the default regions) and reports its origin.
  [[nodiscard]] std::unique_ptr<Loaded> load(const std::string& region) const;
  [[nodiscard]] int list(const BedrockModelCatalog& catalog) const;
  [[nodiscard]] int resolve(const BedrockModelCatalog& catalog) const;

  ConnectionFlags connection_flags_;
  CatalogFlags catalog_flags_;
  CLI::App* models_ = nullptr;
  CLI::App* resolve_ = nullptr;
  std::string region_;
  std::string provider_;
  bool json_ = false;
  std::string name_;
  std::string resolve_region_;
};

}  // namespace llmm::cli
