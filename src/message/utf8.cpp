// UTF-8 validity (RFC 3629) for text documents and for the strings a message sends as JSON.
#include "message/content_match.hpp"

#include <cstdint>

namespace llmm::message {
namespace {

// Visits each code point of `bytes`; false at the first invalid sequence or when `accept` says no.
template <typename Accept>
bool each_code_point(std::string_view bytes, Accept accept) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<std::uint8_t>(bytes[i]);
    std::uint32_t cp = 0;
    std::size_t length = 0;
    if (lead < 0x80) {
      cp = lead;
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      cp = lead & 0x1Fu;
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      cp = lead & 0x0Fu;
      length = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      cp = lead & 0x07u;
      length = 4;
    } else {
      return false;
    }
    if (bytes.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(bytes[i + k]);
      if ((next & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    if ((length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    if (!accept(cp)) return false;
    i += length;
  }
  return true;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) noexcept {
  return each_code_point(bytes, [](std::uint32_t) { return true; });
}

bool is_utf8_text(std::string_view bytes) noexcept {
  return each_code_point(bytes, [](std::uint32_t cp) {
    return cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f';
  });
}

}  // namespace llmm::message
