#pragma once
// Private helpers the Converse codecs share to read members of a parsed JSON body. Every reader
// names the member's path ("messages[0].content[2].image.format") in the WireError it throws;
// the public decode functions catch it and return an Error, so nothing escapes them.

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::protocol::wire {

class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using nlohmann::json;
using nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& path, std::string_view what);

std::string member_path(const std::string& path, std::string_view key);
std::string index_path(const std::string& path, std::size_t index);

// `value` itself, checked.
const json& as_object(const json& value, const std::string& path);
const json& as_array(const json& value, const std::string& path);
std::string as_string(const json& value, const std::string& path);
// A base64 string member, decoded to raw bytes.
std::string as_bytes(const json& value, const std::string& path);

// Members of `object` (already checked to be an object). find() gives nullptr when absent.
const json* find(const json& object, std::string_view key);
const json& required(const json& object, std::string_view key, const std::string& path);
std::string required_string(const json& object, std::string_view key, const std::string& path);
std::optional<std::string> optional_string(const json& object, std::string_view key,
                                           const std::string& path);
std::optional<int> optional_int(const json& object, std::string_view key, const std::string& path);
long long required_long(const json& object, std::string_view key, const std::string& path);
std::optional<long long> optional_long(const json& object, std::string_view key,
                                       const std::string& path);
std::optional<double> optional_double(const json& object, std::string_view key,
                                      const std::string& path);
bool required_bool(const json& object, std::string_view key, const std::string& path);
std::optional<bool> optional_bool(const json& object, std::string_view key,
                                  const std::string& path);
std::vector<std::string> string_list(const json& object, std::string_view key,
                                     const std::string& path);

// A union value: an object with exactly one member; gives its key and value.
std::pair<std::string, const json*> union_member(const json& value, const std::string& path);
// A list of unions whose only member is "text": [{"text": "a"}, ...].
std::vector<std::string> text_union_list(const json& object, std::string_view key,
                                         const std::string& path);
ordered_json encode_text_union_list(const std::vector<std::string>& texts);

}  // namespace llmm::protocol::wire

namespace llmm::protocol::wire {

// Parses a whole body, refusing nesting deeper than kMaxJsonDepth; WireError when it is not JSON.
json parse_body(std::string_view body);
// Compact text; invalid UTF-8 in strings becomes U+FFFD, so this never throws.
std::string dump(const ordered_json& value);

}  // namespace llmm::protocol::wire
