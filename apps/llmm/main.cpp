// llmm: the command-line tool. A thin adapter over the library (style anchors L14).
#include <llmm/client_config.hpp>
#include <llmm/exceptions.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {

// Exit codes: 0 success, 1 request failed, 2 usage or configuration error.
constexpr int kExitConfiguration = 2;

// The four ClientConfig flags, collected as text and read by ClientConfig::from_flags so the CLI
// and the library share one parser and one set of error messages.
struct ClientConfigFlags {
  std::vector<std::string> arguments;

  void add_to(CLI::App& app) {
    for (const char* name : {"--read-timeout", "--connect-timeout", "--max-pool-connections",
                             "--retries-max-attempts"}) {
      app.add_option_function<std::string>(
          name, [this, name](const std::string& value) {
            arguments.emplace_back(name);
            arguments.push_back(value);
          },
          std::string("ClientConfig ") + (name + 2) + " (durations: 600, 1.5s, 300ms, 2m)");
    }
  }

  // Environment, then the JSON document if any, then flags: the most explicit source wins.
  [[nodiscard]] llmm::ClientConfig resolve(const std::string& json_text) const {
    auto config = llmm::ClientConfig::from_environment(llmm::Environment::process());
    if (!json_text.empty()) config = llmm::ClientConfig::from_json(json_text, config);
    return llmm::ClientConfig::from_flags(arguments, config);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"llmm: reliable Amazon Bedrock calls from the command line"};
  app.set_version_flag("--version", "llmm 0.1.0");
  app.require_subcommand(1);

  ClientConfigFlags client_flags;
  auto* config = app.add_subcommand("config", "Show the effective client configuration");
  config->require_subcommand(1);
  auto* show = config->add_subcommand("show", "Print the ClientConfig as JSON (environment, then flags)");
  std::string json_text;
  client_flags.add_to(*show);
  show->add_option("--json", json_text, "A ClientConfig JSON document, applied before flags");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  try {
    if (*show) std::cout << client_flags.resolve(json_text).to_json() << '\n';
  } catch (const llmm::ConfigurationError& error) {
    std::cerr << "llmm: configuration error: " << error.what() << '\n';
    return kExitConfiguration;
  }
  return 0;
}
