#pragma once
// JsonValue: an arbitrary JSON document (tool input, tool schemas, additionalModelRequestFields,
// traces, blocks this library does not model) carried as canonical compact text, so the public
// API includes no JSON library. Canonical: compact, object keys sorted, numbers as the parser
// read them; two values are equal when their canonical texts are.

#include <string>
#include <string_view>
#include <utility>

namespace llmm {

namespace detail {
struct JsonValueAccess;
}

// A value type: immutable canonical text, so const members are safe from any thread;
// assignment is not synchronized.
class JsonValue {
 public:
  JsonValue() = default;  // null

  // Throws RequestValidationError saying where the text stops being JSON, or that it nests too
  // deeply (more than 512 levels).
  static JsonValue parse(std::string_view text);
  static JsonValue object();  // {}

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] bool is_null() const noexcept { return text_ == "null"; }
  [[nodiscard]] bool is_object() const noexcept { return !text_.empty() && text_.front() == '{'; }
  [[nodiscard]] bool is_array() const noexcept { return !text_.empty() && text_.front() == '['; }

  friend bool operator==(const JsonValue&, const JsonValue&) = default;

 private:
  friend struct detail::JsonValueAccess;
  explicit JsonValue(std::string canonical) : text_(std::move(canonical)) {}
  std::string text_ = "null";
};

}  // namespace llmm
