#pragma once
// Strict parsing of configuration values written as text (JSON strings, environment variables,
// command-line flags). Every failure throws llmm::ConfigurationError naming the field, where it
// came from and the offending text.

#include <chrono>
#include <string_view>

namespace llmm::config {

// Where a value came from, for error messages: e.g. "environment variable LLMM_READ_TIMEOUT".
struct ValueSource {
  std::string_view field;  // "read_timeout"
  std::string_view
      origin;  // "JSON", "environment variable LLMM_READ_TIMEOUT", "flag --read-timeout"
};

// A duration: a decimal number with an optional unit (ms, s, m, h); a bare number is seconds,
// as botocore's timeouts are. "600", "1.5s", "300ms", "2m". Rejects signs, junk, overflow, and
// values that are not a whole number of milliseconds only when they round to zero.
std::chrono::milliseconds parse_duration(std::string_view text, const ValueSource& source);

// A duration from a JSON number of seconds (already parsed by the JSON reader).
std::chrono::milliseconds duration_from_seconds(double seconds, std::string_view text,
                                                const ValueSource& source);

// A non-negative decimal integer that fits in int: "10". Rejects signs, junk, overflow.
int parse_count(std::string_view text, const ValueSource& source);

// Text quoted for an error message: printable ASCII kept, the rest escaped, long text cut.
std::string quote_for_error(std::string_view text);

}  // namespace llmm::config
