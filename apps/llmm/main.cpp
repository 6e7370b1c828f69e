// llmm: the command-line tool. A thin adapter over the library (style anchors L14): this file
// only wires the subcommands; each lives in its own <name>_command.cpp.
#include "ask_command.hpp"
#include "batch_command.hpp"
#include "config_show_command.hpp"
#include "demo_command.hpp"
#include "exit_codes.hpp"
#include "models_command.hpp"
#include "stream_command.hpp"

#include <llmm/version.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace {

int run(int argc, char** argv) {
  CLI::App app{"llmm: reliable Amazon Bedrock calls from the command line"};
  app.set_version_flag("--version", std::string("llmm ") + llmm::kVersion);
  app.require_subcommand(1);

  llmm::cli::ConfigShowCommand config_show(app);
  llmm::cli::AskCommand ask(app);
  llmm::cli::BatchCommand batch(app);
  llmm::cli::DemoCommand demo(app);
  llmm::cli::ModelsCommand models(app);
  llmm::cli::StreamCommand stream(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return llmm::cli::exit_for_parse_error(app, error);
  }

  return llmm::cli::run_guarded([&] {
    if (ask.selected()) return ask.run();
    if (batch.selected()) return batch.run();
    if (demo.selected()) return demo.run();
    if (models.selected()) return models.run();
    if (stream.selected()) return stream.run();
    return config_show.run();
  });
}

}  // namespace

int main(int argc, char** argv) {
  // The subcommands run guarded above; this guard is for what setting up the flags may throw
  // (CLI11's own errors, bad_alloc): one line on stderr and an exit code, never std::terminate.
  return llmm::cli::run_guarded([&] { return run(argc, argv); });
}
