#pragma once
// The library's side of LoggingConfig: decides once which levels are on, stamps records with the
// manager's clock and hands them to the application's sink. Thread-safe: immutable after
// construction; the sink's own thread-safety is the application's (logging.hpp).

#include <llmm/clock.hpp>
#include <llmm/logging.hpp>

#include <initializer_list>
#include <memory>
#include <string_view>

namespace llmm::observe {

class Logger {
 public:
  Logger(LoggingConfig config, std::shared_ptr<Clock> clock);

  // Two comparisons: callers test it before building any field. Off is no record's level.
  [[nodiscard]] bool enabled(LogLevel level) const noexcept {
    return level >= threshold_ && level != LogLevel::Off;
  }
  [[nodiscard]] bool log_bodies() const noexcept { return config_.log_bodies; }

  // Hands one record to the sink when `level` is on; what the sink throws is dropped (logging
  // must never fail a call).
  void log(LogLevel level, std::string_view message, std::span<const LogField> fields) const;
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) const {
    log(level, message, std::span<const LogField>(fields.begin(), fields.size()));
  }

 private:
  LoggingConfig config_;
  std::shared_ptr<Clock> clock_;
  // The lowest level that reaches the sink; Off (above every record's level) when none does.
  LogLevel threshold_ = LogLevel::Off;
};

}  // namespace llmm::observe
