#include "protocol/eventstream/event_stream_encoder.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace llmm::eventstream {
namespace {

// Reflected IEEE polynomial, the one zlib and the AWS codecs use.
constexpr std::uint32_t kCrcPolynomial = 0xEDB88320U;

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) ? (c >> 1U) ^ kCrcPolynomial : c >> 1U;
    table[i] = c;
  }
  return table;
}

constexpr auto kCrcTable = make_crc_table();
static_assert(kCrcTable[1] == 0x77073096U && kCrcTable[255] == 0x2D02EF8DU);

// Fixed framing sizes (wire doc §4.2).
constexpr std::size_t kPreludeLength = 8;  // total length + headers length
constexpr std::size_t kChecksumLength = 4;
constexpr std::size_t kFramingLength = kPreludeLength + 2 * kChecksumLength;

using Tag = HeaderTypeTag;

void append_u8(std::string& out, std::uint8_t value) { out.push_back(static_cast<char>(value)); }

// Big-endian, `width` bytes; signed values arrive already converted to their two's complement.
void append_be(std::string& out, std::uint64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((value >> (8U * static_cast<unsigned>(i))) & 0xFFU));
  }
}

void append_tag(std::string& out, Tag tag) { append_u8(out, static_cast<std::uint8_t>(tag)); }

[[noreturn]] void limit_exceeded(const char* what, const char* limit, std::size_t max,
                                 std::size_t actual) {
  throw std::invalid_argument(std::string("event-stream ") + what + " exceeds " + limit + " (" +
                              std::to_string(max) + " bytes): " + std::to_string(actual));
}

void append_length_prefixed(std::string& out, Tag tag, const std::string& bytes,
                            const std::string& header_name) {
  if (bytes.size() > kMaxHeaderValueLength) {
    limit_exceeded(("value of header \"" + header_name + "\"").c_str(), "kMaxHeaderValueLength",
                   kMaxHeaderValueLength, bytes.size());
  }
  append_tag(out, tag);
  append_be(out, bytes.size(), 2);
  out += bytes;
}

void append_header(std::string& out, const Header& header) {
  if (header.name.size() > kMaxHeaderNameLength) {
    limit_exceeded("header name", "kMaxHeaderNameLength", kMaxHeaderNameLength, header.name.size());
  }
  append_u8(out, static_cast<std::uint8_t>(header.name.size()));
  out += header.name;
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) {
          append_tag(out, value ? Tag::bool_true : Tag::bool_false);  // the tag is the value
        } else if constexpr (std::is_same_v<T, std::int8_t>) {
          append_tag(out, Tag::byte);
          append_be(out, static_cast<std::uint8_t>(value), 1);
        } else if constexpr (std::is_same_v<T, std::int16_t>) {
          append_tag(out, Tag::short_int);
          append_be(out, static_cast<std::uint16_t>(value), 2);
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          append_tag(out, Tag::integer);
          append_be(out, static_cast<std::uint32_t>(value), 4);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          append_tag(out, Tag::long_int);
          append_be(out, static_cast<std::uint64_t>(value), 8);
        } else if constexpr (std::is_same_v<T, ByteArray>) {
          append_length_prefixed(out, Tag::byte_array, value.bytes, header.name);
        } else if constexpr (std::is_same_v<T, std::string>) {
          append_length_prefixed(out, Tag::string, value, header.name);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          append_tag(out, Tag::timestamp);
          append_be(out, static_cast<std::uint64_t>(value.milliseconds_since_epoch), 8);
        } else {
          static_assert(std::is_same_v<T, Uuid>);
          append_tag(out, Tag::uuid);
          for (const std::uint8_t byte : value.bytes) append_u8(out, byte);
        }
      },
      header.value);
}

Message make_typed_message(std::string type_header, std::string type, std::string message_type,
                           std::string json_payload) {
  Message message;
  message.headers.reserve(3);
  message.headers.push_back(Header{std::move(type_header), std::move(type)});
  message.headers.push_back(Header{":content-type", std::string("application/json")});
  message.headers.push_back(Header{":message-type", std::move(message_type)});
  message.payload = std::move(json_payload);
  return message;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  // zlib convention: the running value is stored post-inverted, so chaining calls just works.
  std::uint32_t c = crc ^ 0xFFFFFFFFU;
  for (const char ch : bytes) {
    c = kCrcTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8U);
  }
  return c ^ 0xFFFFFFFFU;
}

std::string encode(const Message& message) {
  std::string headers;
  for (const Header& header : message.headers) append_header(headers, header);
  if (headers.size() > kMaxHeadersLength) {
    limit_exceeded("headers block", "kMaxHeadersLength", kMaxHeadersLength, headers.size());
  }
  if (message.payload.size() > kMaxPayloadLength) {
    limit_exceeded("payload", "kMaxPayloadLength", kMaxPayloadLength, message.payload.size());
  }
  // Both caps keep the total far below 4 GiB, so the uint32 length field cannot overflow.
  const std::size_t total = kFramingLength + headers.size() + message.payload.size();

  std::string out;
  out.reserve(total);
  append_be(out, total, 4);
  append_be(out, headers.size(), 4);
  append_be(out, crc32(out), 4);
  out += headers;
  out += message.payload;
  append_be(out, crc32(out), 4);
  return out;
}

Message make_event(std::string event_type, std::string json_payload) {
  return make_typed_message(":event-type", std::move(event_type), "event", std::move(json_payload));
}

Message make_exception(std::string exception_type, std::string json_payload) {
  return make_typed_message(":exception-type", std::move(exception_type), "exception",
                            std::move(json_payload));
}

}  // namespace llmm::eventstream
