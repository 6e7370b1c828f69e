#pragma once
// Bounds-checked reads from a byte string: every reader answers nullopt/false past the end, so the
// signature inspectors cannot read outside what they were given.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::message {

inline std::uint8_t byte_at(std::string_view bytes, std::size_t at) noexcept {
  return static_cast<std::uint8_t>(bytes[at]);
}

// True when `bytes` holds `magic` at `offset` (false when too short).
inline bool has_at(std::string_view bytes, std::size_t offset, std::string_view magic) noexcept {
  return offset <= bytes.size() && bytes.size() - offset >= magic.size() &&
         bytes.compare(offset, magic.size(), magic) == 0;
}

inline std::optional<std::uint16_t> read_u16le(std::string_view bytes, std::size_t at) noexcept {
  if (at > bytes.size() || bytes.size() - at < 2) return std::nullopt;
  return static_cast<std::uint16_t>(byte_at(bytes, at) | (byte_at(bytes, at + 1) << 8));
}

inline std::optional<std::uint32_t> read_u32le(std::string_view bytes, std::size_t at) noexcept {
  if (at > bytes.size() || bytes.size() - at < 4) return std::nullopt;
  return static_cast<std::uint32_t>(byte_at(bytes, at)) |
         (static_cast<std::uint32_t>(byte_at(bytes, at + 1)) << 8) |
         (static_cast<std::uint32_t>(byte_at(bytes, at + 2)) << 16) |
         (static_cast<std::uint32_t>(byte_at(bytes, at + 3)) << 24);
}

inline std::optional<std::uint32_t> read_u32be(std::string_view bytes, std::size_t at) noexcept {
  if (at > bytes.size() || bytes.size() - at < 4) return std::nullopt;
  return (static_cast<std::uint32_t>(byte_at(bytes, at)) << 24) |
         (static_cast<std::uint32_t>(byte_at(bytes, at + 1)) << 16) |
         (static_cast<std::uint32_t>(byte_at(bytes, at + 2)) << 8) |
         static_cast<std::uint32_t>(byte_at(bytes, at + 3));
}

inline std::optional<std::uint64_t> read_u64le(std::string_view bytes, std::size_t at) noexcept {
  const auto low = read_u32le(bytes, at);
  const auto high = read_u32le(bytes, at + 4);
  if (!low || !high) return std::nullopt;
  return (static_cast<std::uint64_t>(*high) << 32) | *low;
}

// "89 50 4E 47" for the first `count` bytes (for evidence and error messages).
std::string hex_prefix(std::string_view bytes, std::size_t count);

}  // namespace llmm::message
