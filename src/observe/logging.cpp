#include <llmm/logging.hpp>

#include "core/ascii.hpp"

#include <unistd.h>
#include <array>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

namespace llmm {
namespace {

// A value needs quotes when it is empty or holds a space, a quote, `=` or a control character.
bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || c == '"' || c == '=' || byte == 0x7f) return true;
  }
  return false;
}

void append_value(std::string& line, std::string_view value) {
  if (!needs_quotes(value)) {
    line += value;
    return;
  }
  line += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': line += "\\\""; break;
      case '\\': line += "\\\\"; break;
      case '\n': line += "\\n"; break;
      case '\r': line += "\\r"; break;
      case '\t': line += "\\t"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          std::array<char, 8> hex{};
          std::snprintf(hex.data(), hex.size(), "\\x%02x", byte);
          line += hex.data();
        } else {
          line += c;
        }
    }
  }
  line += '"';
}

// 2026-12-04T12:00:00.123Z
void append_time(std::string& line, std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::array<char, 32> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  line.append(text.data(), n);
  std::snprintf(text.data(), text.size(), ".%03dZ", static_cast<int>(millis.count()));
  line += text.data();
}

}  // namespace

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Trace: return "trace";
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
    case LogLevel::Off: return "off";
  }
  return "off";
}

std::optional<LogLevel> log_level_from_string(std::string_view name) noexcept {
  const std::string lowered = core::to_lower_ascii(name);
  for (const LogLevel level : {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warning,
                               LogLevel::Error, LogLevel::Off}) {
    if (lowered == to_string(level)) return level;
  }
  if (lowered == "warn") return LogLevel::Warning;
  if (lowered == "critical" || lowered == "fatal") return LogLevel::Error;
  return std::nullopt;
}

std::string format_log_line(const LogRecord& record) {
  std::string line;
  line.reserve(160);
  append_time(line, record.time);
  line += ' ';
  line += to_string(record.level);
  line += ' ';
  line += record.message;
  for (const LogField& field : record.fields) {
    line += ' ';
    line += field.name;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

LogSink stderr_log_sink() {
  auto lock = std::make_shared<std::mutex>();
  return [lock](const LogRecord& record) {
    std::string line = format_log_line(record);
    line += '\n';
    const std::lock_guard guard(*lock);
    // One write per line, so lines of concurrent writers (and other processes) never interleave.
    std::size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
      if (n <= 0) return;
      written += static_cast<std::size_t>(n);
    }
  };
}

}  // namespace llmm
