#pragma once
// One message of the AWS event-stream framing (wire doc §4.2): typed headers and a payload.

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace llmm::eventstream {

struct ByteArray {
  std::string bytes;
  friend bool operator==(const ByteArray&, const ByteArray&) = default;
};
struct Timestamp {
  std::int64_t milliseconds_since_epoch = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// The type tag of a header value on the wire (wire doc §4.2 table).
enum class HeaderTypeTag : std::uint8_t {
  bool_true = 0,
  bool_false = 1,
  byte = 2,
  short_int = 3,
  integer = 4,
  long_int = 5,
  byte_array = 6,
  string = 7,
  timestamp = 8,
  uuid = 9,
};

// Header value types 0/1 (bool), 2 (int8), 3 (int16), 4 (int32), 5 (int64), 6 (byte array),
// 7 (string), 8 (timestamp), 9 (uuid).
using HeaderValue = std::variant<bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t,
                                 ByteArray, std::string, Timestamp, Uuid>;

struct Header {
  std::string name;
  HeaderValue value;
  friend bool operator==(const Header&, const Header&) = default;
};

struct Message {
  std::vector<Header> headers;
  std::string payload;  // raw bytes
  friend bool operator==(const Message&, const Message&) = default;
};

// Limits from the framing itself: names fit a uint8 length, byte arrays and strings a uint16
// length capped at 32767 as the AWS codecs do, total length a uint32. The payload cap follows
// aws-c-event-stream (16 MiB).
inline constexpr std::size_t kMaxHeaderNameLength = 255;
inline constexpr std::size_t kMaxHeaderValueLength = 32'767;
inline constexpr std::size_t kMaxPayloadLength = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxHeadersLength = 128 * 1024;

}  // namespace llmm::eventstream
