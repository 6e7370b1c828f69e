#pragma once
// The one table of process exit codes (style anchors L14) and the guard that maps what a command
// throws onto it, so every subcommand ends the same way.

#include <CLI/CLI.hpp>

#include <functional>

namespace llmm::cli {

enum ExitCode : int {
  kExitSuccess = 0,
  kExitCallFailed = 1,     // the request failed (the error's describe() is on stderr)
  kExitConfiguration = 2,  // bad flags, bad configuration, unknown model, no credentials
  kExitInterrupted = 3,    // `batch` stopped by SIGINT/SIGTERM: what finished is written,
                           // the rest is for --resume
};

// Runs `command` and returns its exit code. Catches what construction throws and prints one line
// to stderr: llmm::ConfigurationError, llmm::AuthenticationError, llmm::RequestValidationError
// and std::invalid_argument give kExitConfiguration; any other std::exception kExitCallFailed.
int run_guarded(const std::function<int()>& command);

// CLI11 parse errors: help and version print and give 0; everything else (unknown flag, a value
// that does not convert or fails its check) prints CLI11's message and gives kExitConfiguration.
int exit_for_parse_error(const CLI::App& app, const CLI::ParseError& error);

}  // namespace llmm::cli
