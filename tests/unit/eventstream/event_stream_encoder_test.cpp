// The event-stream encoder against the wire doc's hex examples (§4.6, produced by
// @smithy/eventstream-codec) and against known answers computed independently with Python zlib.

#include "protocol/eventstream/event_stream_encoder.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace llmm::eventstream {
namespace {

std::string to_hex(std::string_view bytes) {
  constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(digits[byte >> 4U]);
    out.push_back(digits[byte & 0xFU]);
  }
  return out;
}

std::uint32_t read_be32(std::string_view bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8U) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

// The framing invariants every encoded message must satisfy, whatever its content.
void expect_valid_framing(const std::string& encoded, std::size_t headers_length,
                          std::size_t payload_length) {
  ASSERT_GE(encoded.size(), 16U);
  EXPECT_EQ(encoded.size(), 16 + headers_length + payload_length);
  EXPECT_EQ(read_be32(encoded, 0), encoded.size());
  EXPECT_EQ(read_be32(encoded, 4), headers_length);
  EXPECT_EQ(read_be32(encoded, 8), crc32(std::string_view(encoded).substr(0, 8)));
  EXPECT_EQ(read_be32(encoded, encoded.size() - 4),
            crc32(std::string_view(encoded).substr(0, encoded.size() - 4)));
}

// Bytes of the headers block of a message holding only `header`.
std::string encoded_header(Header header) {
  Message message;
  message.headers.push_back(std::move(header));
  const std::string encoded = encode(message);
  return encoded.substr(12, read_be32(encoded, 4));
}

TEST(EventStreamCrc32, KnownAnswers) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(crc32(""), 0U);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339U);
  EXPECT_EQ(crc32(std::string_view("\0\0\0\x76\0\0\0\x52", 8)), 0x96D5FADEU);  // §4.6 prelude
}

TEST(EventStreamCrc32, ContinuesAPreviousValue) {
  EXPECT_EQ(crc32("6789", crc32("12345")), 0xCBF43926U);
  EXPECT_EQ(crc32("", crc32("123456789")), 0xCBF43926U);
}

TEST(EventStreamEncoder, MessageStartEventMatchesTheDocExample) {
  const Message event = make_event("messageStart", R"({"role":"assistant"})");
  EXPECT_EQ(to_hex(encode(event)),
            "000000760000005296d5fade0b3a6576656e742d7479706507000c6d6573736167655374617274"
            "0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d657373"
            "6167652d747970650700056576656e747b22726f6c65223a22617373697374616e74227d6fa8c599");
}

TEST(EventStreamEncoder, ThrottlingExceptionMatchesTheDocExample) {
  const Message exception =
      make_exception("throttlingException", R"({"message":"Too many requests"})");
  EXPECT_EQ(to_hex(encode(exception)),
            "00000090000000618e91a9b70f3a657863657074696f6e2d747970650700137468726f74746c696e"
            "67457863657074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a"
            "736f6e0d3a6d6573736167652d74797065070009657863657074696f6e7b226d657373616765223a"
            "22546f6f206d616e79207265717565737473227de67f8005");
}

TEST(EventStreamEncoder, EventAndExceptionHeadersComeInTheCodecsOrder) {
  const Message event = make_event("contentBlockStop", "{}");
  ASSERT_EQ(event.headers.size(), 3U);
  EXPECT_EQ(event.headers[0], (Header{":event-type", std::string("contentBlockStop")}));
  EXPECT_EQ(event.headers[1], (Header{":content-type", std::string("application/json")}));
  EXPECT_EQ(event.headers[2], (Header{":message-type", std::string("event")}));
  EXPECT_EQ(event.payload, "{}");

  const Message exception = make_exception("validationException", R"({"message":"x"})");
  ASSERT_EQ(exception.headers.size(), 3U);
  EXPECT_EQ(exception.headers[0], (Header{":exception-type", std::string("validationException")}));
  EXPECT_EQ(exception.headers[1], (Header{":content-type", std::string("application/json")}));
  EXPECT_EQ(exception.headers[2], (Header{":message-type", std::string("exception")}));
}

TEST(EventStreamEncoder, EmptyMessageIsSixteenBytes) {
  EXPECT_EQ(to_hex(encode(Message{})), "000000100000000005c248eb7d98c8ff");
}

TEST(EventStreamEncoder, EmptyPayloadWithHeaders) {
  const Message event = make_event("messageStop", "");
  const std::string encoded = encode(event);
  expect_valid_framing(encoded, 27 + 33 + 22 - 1, 0);  // ":event-type" value one byte shorter
}

TEST(EventStreamEncoder, EveryHeaderTypeMatchesZlibKnownAnswer) {
  Uuid uuid;
  for (std::size_t i = 0; i < uuid.bytes.size(); ++i) {
    uuid.bytes[i] = static_cast<std::uint8_t>(i * 0x11U);
  }
  Message message;
  message.headers = {
      {"t", true},
      {"f", false},
      {"b", std::int8_t{-128}},
      {"h", std::int16_t{-2}},
      {"i", std::int32_t{0x12345678}},
      {"l", std::numeric_limits<std::int64_t>::min()},
      {"a", ByteArray{std::string("\x00\xff", 2)}},
      {"s", std::string("\xc3\xa9")},  // "é"
      {"d", Timestamp{-1}},
      {"u", uuid},
  };
  message.payload = std::string("\0payload\xff", 9);
  // Computed with Python struct + zlib.crc32, independently of this encoder.
  EXPECT_EQ(to_hex(encode(message)),
            "000000660000004d7b3d60a901740001660101620280016803fffe01690412345678016c05800000"
            "0000000000016106000200ff0173070002c3a9016408ffffffffffffffff01750900112233445566"
            "778899aabbccddeeff007061796c6f6164ff02f0bd04");
}

TEST(EventStreamEncoder, EachHeaderTypeOnItsOwn) {
  EXPECT_EQ(to_hex(encoded_header({"x", true})), "017800");
  EXPECT_EQ(to_hex(encoded_header({"x", false})), "017801");
  EXPECT_EQ(to_hex(encoded_header({"x", std::int8_t{127}})), "0178027f");
  EXPECT_EQ(to_hex(encoded_header({"x", std::int8_t{-1}})), "017802ff");
  EXPECT_EQ(to_hex(encoded_header({"x", std::numeric_limits<std::int16_t>::max()})), "0178037fff");
  EXPECT_EQ(to_hex(encoded_header({"x", std::numeric_limits<std::int16_t>::min()})), "0178038000");
  EXPECT_EQ(to_hex(encoded_header({"x", std::numeric_limits<std::int32_t>::max()})),
            "0178047fffffff");
  EXPECT_EQ(to_hex(encoded_header({"x", std::numeric_limits<std::int32_t>::min()})),
            "01780480000000");
  EXPECT_EQ(to_hex(encoded_header({"x", std::numeric_limits<std::int64_t>::max()})),
            "0178057fffffffffffffff");
  EXPECT_EQ(to_hex(encoded_header({"x", std::int64_t{1}})), "0178050000000000000001");
  EXPECT_EQ(to_hex(encoded_header({"x", ByteArray{}})), "0178060000");
  EXPECT_EQ(to_hex(encoded_header({"x", std::string()})), "0178070000");
  EXPECT_EQ(to_hex(encoded_header({"x", std::string("\xe6\x97\xa5")})),  // "日"
            "0178070003e697a5");
  EXPECT_EQ(to_hex(encoded_header({"x", Timestamp{1700000000123}})), "0178080000018bcfe5687b");
  EXPECT_EQ(to_hex(encoded_header({"x", Uuid{}})), "01780900000000000000000000000000000000");
  EXPECT_EQ(to_hex(encoded_header({"", true})), "0000");  // an empty name is representable
}

TEST(EventStreamEncoder, FramingHoldsForMixedContent) {
  Message message;
  message.headers = {{":event-type", std::string("contentBlockDelta")},
                     {"n", std::int32_t{-7}},
                     {"blob", ByteArray{std::string(300, '\0')}}};
  message.payload = std::string(70'000, 'p');
  expect_valid_framing(encode(message),
                       (1 + 11 + 1 + 2 + 17) + (1 + 1 + 1 + 4) + (1 + 4 + 1 + 2 + 300), 70'000);
}

TEST(EventStreamEncoder, LimitsAreInclusive) {
  Message message;
  message.headers = {{std::string(kMaxHeaderNameLength, 'n'), true},
                     {"s", std::string(kMaxHeaderValueLength, 's')},
                     {"a", ByteArray{std::string(kMaxHeaderValueLength, 'a')}}};
  message.payload = std::string(kMaxPayloadLength, 'p');
  EXPECT_NO_THROW(expect_valid_framing(
      encode(message), (1 + kMaxHeaderNameLength + 1) + 2 * (1 + 1 + 1 + 2 + kMaxHeaderValueLength),
      kMaxPayloadLength));
}

// The exception text must name the limit, so a caller can tell which one it hit.
void expect_limit_error(const Message& message, const std::string& limit_name) {
  try {
    (void)encode(message);
    ADD_FAILURE() << "no exception; expected one naming " << limit_name;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(limit_name), std::string::npos) << error.what();
  }
}

TEST(EventStreamEncoder, HeaderNameTooLong) {
  Message message;
  message.headers = {{std::string(kMaxHeaderNameLength + 1, 'n'), true}};
  expect_limit_error(message, "kMaxHeaderNameLength");
}

TEST(EventStreamEncoder, StringValueTooLong) {
  Message message;
  message.headers = {{"s", std::string(kMaxHeaderValueLength + 1, 's')}};
  expect_limit_error(message, "kMaxHeaderValueLength");
}

TEST(EventStreamEncoder, ByteArrayValueTooLong) {
  Message message;
  message.headers = {{"a", ByteArray{std::string(kMaxHeaderValueLength + 1, 'a')}}};
  expect_limit_error(message, "kMaxHeaderValueLength");
}

TEST(EventStreamEncoder, PayloadTooLong) {
  Message message;
  message.payload = std::string(kMaxPayloadLength + 1, 'p');
  expect_limit_error(message, "kMaxPayloadLength");
}

TEST(EventStreamEncoder, HeadersBlockTooLong) {
  // Each value is within its own limit; four of them together exceed the block's 128 KiB.
  Message message;
  for (const char* name : {"a", "b", "c", "d"}) {
    message.headers.push_back({name, std::string(kMaxHeaderValueLength, 'v')});
  }
  expect_limit_error(message, "kMaxHeadersLength");
  message.headers.pop_back();
  EXPECT_NO_THROW((void)encode(message));
}

}  // namespace
}  // namespace llmm::eventstream
