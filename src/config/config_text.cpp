#include "config/config_text.hpp"

#include <llmm/exceptions.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace llmm::config {
namespace {

[[noreturn]] void fail(const ValueSource& source, std::string_view text, std::string_view why) {
  throw ConfigurationError(std::string(source.field) + " from " + std::string(source.origin) +
                           ": " + quote_for_error(text) + " " + std::string(why));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The largest duration accepted from text: about 24.8 days, which any socket API can take.
constexpr double kMaxMilliseconds = static_cast<double>(std::numeric_limits<int>::max());

}  // namespace

std::string quote_for_error(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

std::chrono::milliseconds parse_duration(std::string_view text, const ValueSource& source) {
  // Number part: digits with at most one '.', at least one digit, no sign, no exponent.
  std::size_t i = 0;
  bool seen_digit = false;
  bool seen_dot = false;
  while (i < text.size() && (is_digit(text[i]) || (text[i] == '.' && !seen_dot))) {
    seen_digit = seen_digit || is_digit(text[i]);
    seen_dot = seen_dot || text[i] == '.';
    ++i;
  }
  if (!seen_digit) {
    if (!text.empty() && text[0] == '-')
      fail(source, text, "is negative; a duration must be positive");
    fail(source, text, "is not a duration (expected e.g. 600, 1.5s, 300ms, 2m)");
  }
  const std::string_view number = text.substr(0, i);
  const std::string_view unit = text.substr(i);
  double scale = 0;
  if (unit.empty() || unit == "s")
    scale = 1000.0;
  else if (unit == "ms")
    scale = 1.0;
  else if (unit == "m" || unit == "min")
    scale = 60'000.0;
  else if (unit == "h")
    scale = 3'600'000.0;
  else
    fail(source, text, "has an unknown unit (use ms, s, m or h)");

  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec == std::errc::result_out_of_range) fail(source, text, "is out of range");
  if (ec != std::errc() || end != number.data() + number.size()) {
    fail(source, text, "is not a duration (expected e.g. 600, 1.5s, 300ms, 2m)");
  }
  const double millis = value * scale;
  if (!std::isfinite(millis) || millis > kMaxMilliseconds) {
    fail(source, text,
         "is out of range (at most " + std::to_string(static_cast<long long>(kMaxMilliseconds)) +
             " ms)");
  }
  const auto rounded = static_cast<long long>(std::llround(millis));
  if (rounded <= 0) fail(source, text, "must be at least 1 ms");
  return std::chrono::milliseconds(rounded);
}

std::chrono::milliseconds duration_from_seconds(double seconds, std::string_view text,
                                                const ValueSource& source) {
  if (!std::isfinite(seconds)) fail(source, text, "is not a finite number");
  if (seconds <= 0) fail(source, text, "must be positive");
  const double millis = seconds * 1000.0;
  if (millis > kMaxMilliseconds) fail(source, text, "is out of range");
  const auto rounded = static_cast<long long>(std::llround(millis));
  if (rounded <= 0) fail(source, text, "must be at least 1 ms");
  return std::chrono::milliseconds(rounded);
}

int parse_count(std::string_view text, const ValueSource& source) {
  if (text.empty()) fail(source, text, "is empty; expected a whole number");
  if (text[0] == '-') fail(source, text, "is negative; expected a whole number >= 0");
  for (char c : text) {
    if (!is_digit(c)) fail(source, text, "is not a whole number");
  }
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) fail(source, text, "is out of range (too large)");
  if (ec != std::errc() || end != text.data() + text.size())
    fail(source, text, "is not a whole number");
  return value;
}

}  // namespace llmm::config
