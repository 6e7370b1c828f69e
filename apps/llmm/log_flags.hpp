#pragma once
// The logging flags of the commands that make calls (LLMManagerOptions::logging), into a sink
// on stderr (llmm::stderr_log_sink, one logfmt line per record):
//   -v          each call's end (Info: model, region, attempts, outcome, request id, duration)
//   -vv         each attempt's end too (Debug: decision, error type, request id, waits)
//   -vvv        the wire (Trace: method, URL, headers with credentials redacted)
//   --log-level LEVEL  the same by name (trace, debug, info, warning, error, off); beats -v
//   --log-bodies       with Trace, the request and reply bodies too (prompts and answers)
// Without any of them the library logs nothing.

#include <llmm/logging.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace llmm::cli {

class LogFlags {
 public:
  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // How many times -v was given (`ask` prints its attempt table from one).
  [[nodiscard]] int verbosity() const noexcept { return verbosity_; }
  // Throws std::invalid_argument naming --log-level for an unknown level.
  [[nodiscard]] LoggingConfig resolve() const;

 private:
  int verbosity_ = 0;
  std::string level_;
  bool log_bodies_ = false;
};

}  // namespace llmm::cli
