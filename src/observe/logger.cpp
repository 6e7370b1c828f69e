#include "observe/logger.hpp"

#include <utility>

namespace llmm::observe {

Logger::Logger(LoggingConfig config, std::shared_ptr<Clock> clock)
    : config_(std::move(config)), clock_(std::move(clock)) {
  threshold_ = config_.sink ? config_.level : LogLevel::Off;
}

void Logger::log(LogLevel level, std::string_view message, std::span<const LogField> fields) const {
  // Off is the threshold of "nothing", never a record's level.
  if (level == LogLevel::Off || !enabled(level)) return;
  const LogRecord record{level, clock_ ? clock_->wall_now() : std::chrono::system_clock::now(),
                         message, fields};
  try {
    config_.sink(record);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a failing sink must not fail the call
  }
}

}  // namespace llmm::observe
