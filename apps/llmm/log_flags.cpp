#include "log_flags.hpp"

#include <stdexcept>

namespace llmm::cli {

void LogFlags::add_to(CLI::App& command) {
  command.add_flag("-v,--verbose", verbosity_,
                   "Log to stderr: -v each call, -vv each attempt, -vvv the wire (credentials "
                   "redacted)");
  command.add_option("--log-level", level_,
                     "Log at this level and above to stderr: trace, debug, info, warning, error, "
                     "off (beats -v)");
  command.add_flag("--log-bodies", log_bodies_,
                   "With trace logging, the request and reply bodies too");
}

LoggingConfig LogFlags::resolve() const {
  LoggingConfig config;
  config.log_bodies = log_bodies_;
  if (!level_.empty()) {
    const auto level = log_level_from_string(level_);
    if (!level) {
      throw std::invalid_argument("--log-level: unknown level '" + level_ +
                                  "' (trace, debug, info, warning, error, off)");
    }
    config.level = *level;
  } else if (verbosity_ >= 3) {
    config.level = LogLevel::Trace;
  } else if (verbosity_ == 2) {
    config.level = LogLevel::Debug;
  } else if (verbosity_ == 1) {
    config.level = LogLevel::Info;
  } else {
    return config;  // no sink: nothing logged
  }
  if (config.level != LogLevel::Off) config.sink = stderr_log_sink();
  return config;
}

}  // namespace llmm::cli
