#include <llmm/exceptions.hpp>
#include <llmm/json_value.hpp>

#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace llmm {
namespace detail {

struct JsonValueAccess {
  static JsonValue make(std::string canonical) { return JsonValue(std::move(canonical)); }
};

}  // namespace detail

namespace {

std::string canonical_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

JsonValue JsonValue::parse(std::string_view text) {
  if (!protocol::json_depth_within(text, protocol::kMaxJsonDepth)) {
    throw RequestValidationError("invalid JSON: nested deeper than " +
                                 std::to_string(protocol::kMaxJsonDepth) + " levels");
  }
  try {
    return JsonValue(canonical_text(nlohmann::json::parse(text)));
  } catch (const nlohmann::json::exception& error) {
    throw RequestValidationError(std::string("invalid JSON: ") + error.what());
  }
}

JsonValue JsonValue::object() { return JsonValue(std::string("{}")); }

namespace protocol {

bool json_depth_within(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

JsonValue json_value_from(const nlohmann::json& value) {
  return detail::JsonValueAccess::make(canonical_text(value));
}

nlohmann::json to_json(const JsonValue& value) {
  return nlohmann::json::parse(value.text(), nullptr, /*allow_exceptions=*/false);
}

nlohmann::ordered_json to_ordered_json(const JsonValue& value) {
  return nlohmann::ordered_json::parse(value.text(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace protocol
}  // namespace llmm
