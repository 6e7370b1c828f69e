#pragma once
// Private bridge between llmm::JsonValue (canonical text) and nlohmann::json, for the codecs.

#include <llmm/json_value.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string_view>

namespace llmm::protocol {

// The deepest nesting of arrays and objects any decoder here accepts: keeps recursion in the
// JSON library and in our codecs bounded on hostile input.
inline constexpr std::size_t kMaxJsonDepth = 512;

// True when `text` nests arrays/objects no deeper than `max_depth` (a linear scan that skips
// string contents; it does not validate the text).
[[nodiscard]] bool json_depth_within(std::string_view text, std::size_t max_depth) noexcept;

// The canonical form of an already parsed value (invalid UTF-8 in strings becomes U+FFFD).
[[nodiscard]] JsonValue json_value_from(const nlohmann::json& value);
[[nodiscard]] nlohmann::json to_json(const JsonValue& value);
// Keys come out sorted, as in the canonical text.
[[nodiscard]] nlohmann::ordered_json to_ordered_json(const JsonValue& value);

}  // namespace llmm::protocol
