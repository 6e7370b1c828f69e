#pragma once
// Locale-independent ASCII text helpers shared by the parsers (HTTP headers, SigV4, INI files).

#include <string>
#include <string_view>

namespace llmm::core {

std::string to_lower_ascii(std::string_view text);
bool iequals_ascii(std::string_view a, std::string_view b) noexcept;
// Without leading and trailing spaces and tabs.
std::string_view trim_blanks(std::string_view text) noexcept;

}  // namespace llmm::core
