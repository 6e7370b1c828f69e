#pragma once
// Logging: records with a level, a message and structured fields, handed to a sink the
// application provides (LoggingConfig). The library writes nothing unless a sink is set, and a
// level that is off costs the call path a comparison (no record is built).
//
// What is logged, by level:
//   Warning  each fallback or breaker the call recorded as a warning (with the call's fields);
//   Info     each call's end: call id, attempts, model, region, access method, outcome (the
//            error type when it failed), request id, duration;
//   Debug    each attempt's end: call id, attempt number, model, model id, region, access
//            method, decision, error type and message, request id, duration, waits before it;
//   Trace    the wire: each request's method, URL and headers, each reply's status and
//            headers. `Authorization`, `X-Amz-Security-Token` (and the other credential headers)
//            are always redacted; bodies only with LoggingConfig::log_bodies.
// Secrets (keys, session tokens, signatures, bearer tokens) never reach a record at any level.

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace llmm {

// In increasing severity; a sink gets the records at LoggingConfig::level and above. Off logs
// nothing.
enum class LogLevel { Trace, Debug, Info, Warning, Error, Off };

// "trace", "debug", "info", "warning", "error", "off"
std::string_view to_string(LogLevel level) noexcept;
// The names above in any case, "warn", and the Python logging names ("WARNING", "CRITICAL" is
// Error); nullopt for anything else.
std::optional<LogLevel> log_level_from_string(std::string_view name) noexcept;

// One structured field: a name from the list in this header ("call", "attempt", "model", ...)
// and its value as text.
struct LogField {
  std::string_view name;
  std::string_view value;
};

// A record, valid only during the sink's call (copy what you keep). Not synchronized.
struct LogRecord {
  LogLevel level = LogLevel::Info;
  std::chrono::system_clock::time_point time{};
  std::string_view message;  // "call ended", "attempt ended", "request", "reply", or a warning
  std::span<const LogField> fields;
};

// Called on the thread the record arises on, usually the event-loop thread, concurrently for
// records of different managers: it must be thread-safe and quick (it runs in the call path).
// What it throws is dropped.
using LogSink = std::function<void(const LogRecord&)>;

// A value type: not synchronized. The seed's `log_level` is `level`; its default, warnings and
// above, applies once a sink is given. No sink: nothing is logged at any level.
struct LoggingConfig {
  LogLevel level = LogLevel::Warning;
  LogSink sink;
  // At Trace: the request and reply bodies too (prompts and answers; still never credentials).
  bool log_bodies = false;

  [[nodiscard]] bool enabled(LogLevel at) const noexcept {
    return sink && level != LogLevel::Off && at >= level;
  }
};

// One line, logfmt style, no newline: `2026-12-04T12:00:00.123Z info call ended call=7
// model="Claude 3 Haiku" ...`; values with spaces, quotes or `=` quoted, control characters
// escaped.
std::string format_log_line(const LogRecord& record);

// A sink writing format_log_line() lines to stderr, one whole line per write, serialized across
// threads (the CLI's `-v`).
LogSink stderr_log_sink();

}  // namespace llmm
