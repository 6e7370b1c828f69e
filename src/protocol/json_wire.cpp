#include "protocol/json_wire.hpp"

#include "protocol/base64.hpp"
#include "protocol/json_value_nlohmann.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace llmm::protocol::wire {

void fail(const std::string& path, std::string_view what) {
  throw WireError((path.empty() ? std::string("the body") : "\"" + path + "\"") + " " +
                  std::string(what));
}

std::string member_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string index_path(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

const json& as_object(const json& value, const std::string& path) {
  if (!value.is_object()) fail(path, "is not an object");
  return value;
}

const json& as_array(const json& value, const std::string& path) {
  if (!value.is_array()) fail(path, "is not an array");
  return value;
}

std::string as_string(const json& value, const std::string& path) {
  if (!value.is_string()) fail(path, "is not a string");
  return value.get<std::string>();
}

std::string as_bytes(const json& value, const std::string& path) {
  auto bytes = base64_decode(as_string(value, path));
  if (!bytes) fail(path, "is not valid base64");
  return std::move(*bytes);
}

const json* find(const json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

const json& required(const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) fail(member_path(path, key), "is missing");
  return *value;
}

std::string required_string(const json& object, std::string_view key, const std::string& path) {
  return as_string(required(object, key, path), member_path(path, key));
}

std::optional<std::string> optional_string(const json& object, std::string_view key,
                                           const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  return as_string(*value, member_path(path, key));
}

namespace {

long long integer_in(const json& value, const std::string& path, long long low, long long high) {
  if (!value.is_number_integer()) fail(path, "is not an integer");
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<unsigned long long>();
    if (unsigned_value > static_cast<unsigned long long>(high)) fail(path, "is out of range");
    return static_cast<long long>(unsigned_value);
  }
  const auto signed_value = value.get<long long>();
  if (signed_value < low || signed_value > high) fail(path, "is out of range");
  return signed_value;
}

}  // namespace

std::optional<int> optional_int(const json& object, std::string_view key, const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  return static_cast<int>(integer_in(*value, member_path(path, key),
                                     std::numeric_limits<int>::min(),
                                     std::numeric_limits<int>::max()));
}

long long required_long(const json& object, std::string_view key, const std::string& path) {
  return integer_in(required(object, key, path), member_path(path, key),
                    std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max());
}

std::optional<long long> optional_long(const json& object, std::string_view key,
                                       const std::string& path) {
  if (find(object, key) == nullptr) return std::nullopt;
  return required_long(object, key, path);
}

std::optional<double> optional_double(const json& object, std::string_view key,
                                      const std::string& path) {
  const json* value = find(object, key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number()) fail(member_path(path, key), "is not a number");
  const auto number = value->get<double>();
  if (!std::isfinite(number)) fail(member_path(path, key), "is not a finite number");
  return number;
}

bool required_bool(const json& object, std::string_view key, const std::string& path) {
  const json& value = required(object, key, path);
  if (!value.is_boolean()) fail(member_path(path, key), "is not a boolean");
  return value.get<bool>();
}

std::optional<bool> optional_bool(const json& object, std::string_view key,
                                  const std::string& path) {
  if (find(object, key) == nullptr) return std::nullopt;
  return required_bool(object, key, path);
}

std::vector<std::string> string_list(const json& object, std::string_view key,
                                     const std::string& path) {
  std::vector<std::string> strings;
  const json* value = find(object, key);
  if (value == nullptr) return strings;
  const std::string list_path = member_path(path, key);
  for (std::size_t i = 0; i < as_array(*value, list_path).size(); ++i) {
    strings.push_back(as_string((*value)[i], index_path(list_path, i)));
  }
  return strings;
}

std::pair<std::string, const json*> union_member(const json& value, const std::string& path) {
  as_object(value, path);
  if (value.size() != 1) {
    fail(path, "must have exactly one member (has " + std::to_string(value.size()) + ")");
  }
  const auto it = value.begin();
  return {it.key(), &it.value()};
}

std::vector<std::string> text_union_list(const json& object, std::string_view key,
                                         const std::string& path) {
  std::vector<std::string> texts;
  const json* value = find(object, key);
  if (value == nullptr) return texts;
  const std::string list_path = member_path(path, key);
  for (std::size_t i = 0; i < as_array(*value, list_path).size(); ++i) {
    const std::string at = index_path(list_path, i);
    const auto [member, text] = union_member((*value)[i], at);
    if (member != "text") fail(at, "has an unknown member \"" + member + "\"");
    texts.push_back(as_string(*text, member_path(at, "text")));
  }
  return texts;
}

ordered_json encode_text_union_list(const std::vector<std::string>& texts) {
  ordered_json list = ordered_json::array();
  for (const auto& text : texts) list.push_back(ordered_json{{"text", text}});
  return list;
}

}  // namespace llmm::protocol::wire

namespace llmm::protocol::wire {

json parse_body(std::string_view body) {
  if (!json_depth_within(body, kMaxJsonDepth)) {
    fail("", "nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  try {
    return json::parse(body);
  } catch (const json::exception& error) {
    fail("", std::string("is not JSON: ") + error.what());
  }
}

std::string dump(const ordered_json& value) {
  return value.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace llmm::protocol::wire
