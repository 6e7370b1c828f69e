#include "http/http_message.hpp"

#include "core/ascii.hpp"

namespace llmm::http {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (core::iequals_ascii(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace llmm::http
