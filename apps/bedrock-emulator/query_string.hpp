#pragma once
// A request's query string as the emulator reads it, for routing and for the signature check:
// "a=1&b=%2F" -> {{"a","1"},{"b","/"}}, in received order. Percent-escapes are decoded, '+' is
// left alone (SigV4 canonicalises the decoded values); a bad escape stays literal, so the
// signature check decides. Thread-safe: a plain function.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bedrock_emulator {

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

QueryParameters parse_query(std::string_view raw);

}  // namespace bedrock_emulator
