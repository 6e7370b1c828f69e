// The event-stream decoder against the wire doc's hex examples (§4.6, produced by
// @smithy/eventstream-codec), fed whole, in 7-byte and 1-byte slices, and against hand-built
// corrupt frames, each of which must fail with its own StreamCorruption and emit nothing.

#include "protocol/eventstream/event_stream_decoder.hpp"
#include "protocol/eventstream/event_stream_encoder.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::eventstream {
namespace {

constexpr std::string_view kMessageStartHex =
    "000000760000005296d5fade0b3a6576656e742d7479706507000c6d65737361676553746172740d3a636f6e74"
    "656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d7479706507000565"
    "76656e747b22726f6c65223a22617373697374616e74227d6fa8c599";

constexpr std::string_view kThrottlingHex =
    "00000090000000618e91a9b70f3a657863657074696f6e2d747970650700137468726f74746c696e6745786365"
    "7074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d65737361"
    "67652d74797065070009657863657074696f6e7b226d657373616765223a22546f6f206d616e79207265717565"
    "737473227de67f8005";

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

void put_be32(std::string& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[offset + i] = static_cast<char>((value >> (8U * (3 - i))) & 0xFFU);
  }
}

// Recomputes both CRCs, so a test can corrupt a length or a header and reach the later checks.
std::string reseal(std::string bytes) {
  put_be32(bytes, 8, crc32(std::string_view(bytes).substr(0, 8)));
  put_be32(bytes, bytes.size() - 4, crc32(std::string_view(bytes).substr(0, bytes.size() - 4)));
  return bytes;
}

// A frame from a raw headers block and payload, with correct lengths and CRCs.
std::string frame(const std::string& headers, const std::string& payload) {
  std::string bytes(12, '\0');
  bytes += headers;
  bytes += payload;
  bytes += std::string(4, '\0');
  put_be32(bytes, 0, static_cast<std::uint32_t>(bytes.size()));
  put_be32(bytes, 4, static_cast<std::uint32_t>(headers.size()));
  return reseal(std::move(bytes));
}

struct Decoded {
  std::vector<Message> messages;
  Result<void> result;
  bool mid_message = false;
};

// Feeds `bytes` in slices of `slice` bytes (0: all at once), stopping at the first error.
Decoded decode(std::string_view bytes, std::size_t slice = 0,
               EventStreamDecoder::Limits limits = {}) {
  EventStreamDecoder decoder(limits);
  Decoded out;
  const auto collect = [&](Message&& m) { out.messages.push_back(std::move(m)); };
  const std::size_t step = slice == 0 ? bytes.size() : slice;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    out.result = decoder.feed(bytes.substr(at, step), collect);
    if (!out.result) return out;
  }
  out.mid_message = decoder.mid_message();
  out.result = decoder.finish();
  return out;
}

Message message_start() { return make_event("messageStart", R"({"role":"assistant"})"); }
Message throttling() {
  return make_exception("throttlingException", R"({"message":"Too many requests"})");
}

void expect_reason(const Decoded& decoded, StreamCorruption reason) {
  ASSERT_FALSE(decoded.result.has_value()) << "expected " << to_string(reason);
  const Error& error = decoded.result.error();
  EXPECT_EQ(error.code, ErrorCode::StreamCorrupt);
  EXPECT_TRUE(error.aws_error_type.empty());
  EXPECT_EQ(stream_corruption_of(error), reason) << error.message;
  EXPECT_EQ(error.message.rfind(std::string(to_string(reason)) + ": ", 0), 0U) << error.message;
}

TEST(EventStreamDecoder, DecodesTheMessageStartGoldenVector) {
  const auto decoded = decode(from_hex(kMessageStartHex));
  ASSERT_TRUE(decoded.result.has_value()) << decoded.result.error().message;
  ASSERT_EQ(decoded.messages.size(), 1U);
  EXPECT_EQ(decoded.messages[0], message_start());
  EXPECT_FALSE(decoded.mid_message);
}

TEST(EventStreamDecoder, DecodesTheThrottlingExceptionGoldenVector) {
  const auto decoded = decode(from_hex(kThrottlingHex));
  ASSERT_TRUE(decoded.result.has_value()) << decoded.result.error().message;
  ASSERT_EQ(decoded.messages.size(), 1U);
  EXPECT_EQ(decoded.messages[0], throttling());
  const auto& headers = decoded.messages[0].headers;
  ASSERT_EQ(headers.size(), 3U);
  EXPECT_EQ(headers[0].name, ":exception-type");
  EXPECT_EQ(std::get<std::string>(headers[0].value), "throttlingException");
}

TEST(EventStreamDecoder, SevenByteAndOneByteSlicesGiveTheSameMessages) {
  const std::string stream =
      from_hex(kMessageStartHex) + from_hex(kThrottlingHex) + from_hex(kMessageStartHex);
  const std::vector<Message> expected = {message_start(), throttling(), message_start()};
  for (const std::size_t slice : {7U, 1U, 12U, 13U, 118U, 119U}) {
    const auto decoded = decode(stream, slice);
    ASSERT_TRUE(decoded.result.has_value()) << "slice " << slice;
    EXPECT_EQ(decoded.messages, expected) << "slice " << slice;
  }
}

TEST(EventStreamDecoder, ManyMessagesInOneChunkComeOutInOrder) {
  std::string stream;
  std::vector<Message> expected;
  for (int i = 0; i < 20; ++i) {
    Message m = make_event("contentBlockDelta", "{\"i\":" + std::to_string(i) + "}");
    m.headers.push_back({"n", std::int32_t{i}});
    stream += encode(m);
    expected.push_back(std::move(m));
  }
  const auto decoded = decode(stream);
  ASSERT_TRUE(decoded.result.has_value());
  EXPECT_EQ(decoded.messages, expected);
}

TEST(EventStreamDecoder, DecodesEveryHeaderTypeAndAnEmptyMessage) {
  Message m;
  m.headers = {{"t", true},
               {"f", false},
               {"b", std::int8_t{-128}},
               {"s", std::int16_t{-2}},
               {"i", std::int32_t{2147483647}},
               {"l", std::int64_t{-9223372036854775807LL - 1}},
               {"a", ByteArray{std::string("\0\xff", 2)}},
               {"", std::string("empty name is legal")},
               {"ts", Timestamp{1700000000123}},
               {"u", Uuid{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}}};
  m.payload = std::string("\0binary\xff", 8);
  const auto decoded = decode(encode(m) + encode(Message{}), 1);
  ASSERT_TRUE(decoded.result.has_value()) << decoded.result.error().message;
  ASSERT_EQ(decoded.messages.size(), 2U);
  EXPECT_EQ(decoded.messages[0], m);
  EXPECT_EQ(decoded.messages[1], Message{});
}

TEST(EventStreamDecoder, PreludeCrcMismatchIsReportedBeforeAnyLength) {
  std::string bytes = from_hex(kMessageStartHex);
  bytes[0] = '\x7f';  // an absurd total length: the prelude CRC must catch it first
  const auto decoded = decode(bytes);
  expect_reason(decoded, StreamCorruption::PreludeCrcMismatch);
  EXPECT_NE(decoded.result.error().message.find("0x96d5fade"), std::string::npos)
      << decoded.result.error().message;
  EXPECT_TRUE(decoded.messages.empty());
}

TEST(EventStreamDecoder, MessageCrcMismatchEmitsNothing) {
  std::string bytes = from_hex(kMessageStartHex);
  bytes[100] ^= 0x01;  // inside the payload
  for (const std::size_t slice : {0U, 7U, 1U}) {
    const auto decoded = decode(bytes, slice);
    expect_reason(decoded, StreamCorruption::MessageCrcMismatch);
    EXPECT_TRUE(decoded.messages.empty());
  }
}

TEST(EventStreamDecoder, GoodMessagesBeforeACorruptOneAreDelivered) {
  std::string bad = from_hex(kThrottlingHex);
  bad[bad.size() - 1] ^= 0x40;
  const auto decoded = decode(from_hex(kMessageStartHex) + bad + from_hex(kMessageStartHex));
  expect_reason(decoded, StreamCorruption::MessageCrcMismatch);
  ASSERT_EQ(decoded.messages.size(), 1U);
  EXPECT_EQ(decoded.messages[0], message_start());
  EXPECT_NE(decoded.result.error().message.find("stream offset 118"), std::string::npos)
      << decoded.result.error().message;
}

TEST(EventStreamDecoder, StaysFailedAfterAnError) {
  std::string bad = from_hex(kMessageStartHex);
  bad[9] ^= 0x01;
  EventStreamDecoder decoder;
  int emitted = 0;
  const auto count = [&](Message&&) { ++emitted; };
  const auto first = decoder.feed(bad, count);
  ASSERT_FALSE(first.has_value());
  const auto again = decoder.feed(from_hex(kMessageStartHex), count);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message, first.error().message);
  EXPECT_EQ(emitted, 0);
  EXPECT_FALSE(decoder.mid_message());
  ASSERT_FALSE(decoder.finish().has_value());
  EXPECT_EQ(decoder.finish().error().message, first.error().message);
}

TEST(EventStreamDecoder, TruncatedPreludeIsReportedByFinish) {
  const std::string bytes = from_hex(kMessageStartHex).substr(0, 5);
  const auto decoded = decode(bytes);
  EXPECT_TRUE(decoded.mid_message);
  expect_reason(decoded, StreamCorruption::Truncated);
  EXPECT_NE(decoded.result.error().message.find("5 of 12"), std::string::npos)
      << decoded.result.error().message;
}

TEST(EventStreamDecoder, TruncatedBodyIsReportedByFinish) {
  const std::string whole = from_hex(kMessageStartHex);
  for (const std::size_t cut : {12U, 13U, 117U}) {
    for (const std::size_t slice : {0U, 7U}) {
      const auto decoded = decode(whole.substr(0, cut), slice);
      EXPECT_TRUE(decoded.mid_message) << cut;
      expect_reason(decoded, StreamCorruption::Truncated);
      EXPECT_NE(decoded.result.error().message.find(std::to_string(cut) + " of 118"),
                std::string::npos)
          << decoded.result.error().message;
      EXPECT_TRUE(decoded.messages.empty());
    }
  }
}

TEST(EventStreamDecoder, AnEmptyStreamAndAStreamEndingBetweenMessagesFinishCleanly) {
  EXPECT_TRUE(decode("").result.has_value());
  EventStreamDecoder decoder;
  EXPECT_TRUE(decoder.feed("", [](Message&&) {}).has_value());
  EXPECT_FALSE(decoder.mid_message());
  EXPECT_TRUE(decoder.finish().has_value());
}

TEST(EventStreamDecoder, TotalLengthBelowSixteenIsTooShort) {
  std::string bytes(16, '\0');
  put_be32(bytes, 0, 15);
  expect_reason(decode(reseal(bytes)), StreamCorruption::MessageTooShort);
}

TEST(EventStreamDecoder, TotalLengthBeyondTheLimitIsTooLong) {
  std::string bytes(16, '\0');
  put_be32(bytes, 0, static_cast<std::uint32_t>(kMaxMessageLength + 1));
  const auto decoded = decode(reseal(bytes));
  expect_reason(decoded, StreamCorruption::MessageTooLong);
  // Rejected from the prelude alone: nothing of the claimed 16 MiB is waited for.
  EXPECT_EQ(decode(from_hex(kMessageStartHex), 0, {.max_message_length = 117}).result.error().code,
            ErrorCode::StreamCorrupt);
}

TEST(EventStreamDecoder, TheLargestEncodableMessageDecodes) {
  Message m;
  m.headers.push_back({"a", ByteArray{std::string(kMaxHeaderValueLength, 'a')}});
  m.payload.assign(kMaxPayloadLength, 'p');
  const auto decoded = decode(encode(m), 1 << 20);
  ASSERT_TRUE(decoded.result.has_value()) << decoded.result.error().message;
  ASSERT_EQ(decoded.messages.size(), 1U);
  EXPECT_EQ(decoded.messages[0], m);
}

TEST(EventStreamDecoder, HeadersLengthBeyondTheLimitOrTheMessage) {
  std::string beyond_message = from_hex(kMessageStartHex);
  put_be32(beyond_message, 4, 118 - 16 + 1);
  expect_reason(decode(reseal(beyond_message)), StreamCorruption::HeadersTooLong);

  std::string beyond_limit(16, '\0');
  put_be32(beyond_limit, 0, static_cast<std::uint32_t>(kMaxHeadersLength + 1 + 16));
  put_be32(beyond_limit, 4, static_cast<std::uint32_t>(kMaxHeadersLength + 1));
  expect_reason(decode(reseal(beyond_limit)), StreamCorruption::HeadersTooLong);
}

TEST(EventStreamDecoder, PayloadBeyondTheLimit) {
  expect_reason(decode(from_hex(kMessageStartHex), 0, {.max_payload_length = 19}),
                StreamCorruption::PayloadTooLong);
  EXPECT_TRUE(decode(from_hex(kMessageStartHex), 0, {.max_payload_length = 20}).result);
}

TEST(EventStreamDecoder, UnknownHeaderTypeTen) {
  const auto decoded = decode(frame(std::string("\x01x\x0a", 3), "payload"));
  expect_reason(decoded, StreamCorruption::UnknownHeaderType);
  EXPECT_TRUE(decoded.messages.empty());
  expect_reason(decode(frame(std::string("\x01x\xff", 3), "")),
                StreamCorruption::UnknownHeaderType);
}

TEST(EventStreamDecoder, HeaderRunningPastTheHeadersBlockIsAnOverrun) {
  // Each block is well framed (CRCs valid) but a header inside claims more than the block holds;
  // the bytes after the block (the payload) must not be read as header bytes.
  const std::vector<std::string> blocks = {
      std::string("\x05"
                  "ab",
                  3),  // name longer than the block
      std::string("\x02"
                  "ab",
                  3),                       // no type byte
      std::string("\x01x\x04\x00\x00", 5),  // int32 cut short
      std::string("\x01x\x09"
                  "0123456789",
                  13),                  // uuid cut short
      std::string("\x01x\x07\x00", 4),  // string length cut short
      std::string("\x01x\x07\x00\x05"
                  "abc",
                  8),  // string value past the block
      std::string("\x01x\x06\x00\x02"
                  "a",
                  6),  // byte array past the block
  };
  for (const std::string& block : blocks) {
    const auto decoded = decode(frame(block, "payload bytes that follow"));
    expect_reason(decoded, StreamCorruption::HeaderOverrun);
    EXPECT_TRUE(decoded.messages.empty());
  }
}

TEST(EventStreamDecoder, StringOrByteArrayLongerThanTheCodecLimitIsInvalid) {
  for (const char tag : {'\x06', '\x07'}) {
    std::string block = std::string("\x01x", 2) + tag + std::string("\x80\x00", 2);
    block += std::string(0x8000, 'v');  // the value is all there: only its length is illegal
    expect_reason(decode(frame(block, "")), StreamCorruption::InvalidHeaderValueLength);
  }
}

Error stream_error(std::string message) {
  Error error;
  error.code = ErrorCode::StreamCorrupt;
  error.message = std::move(message);
  return error;
}

TEST(EventStreamDecoder, ReasonsRoundTripThroughTheirNames) {
  for (int i = 0; i <= static_cast<int>(StreamCorruption::InvalidHeaderValueLength); ++i) {
    const auto reason = static_cast<StreamCorruption>(i);
    Error error = stream_error(std::string(to_string(reason)) + ": detail");
    EXPECT_EQ(stream_corruption_of(error), reason);
    error.code = ErrorCode::Internal;
    EXPECT_EQ(stream_corruption_of(error), std::nullopt);
  }
  EXPECT_EQ(stream_corruption_of(stream_error("Other: x")), std::nullopt);
  EXPECT_EQ(stream_corruption_of(stream_error("no colon")), std::nullopt);
}

TEST(EventStreamDecoder, ACallbackThatThrowsFailsTheDecoder) {
  EventStreamDecoder decoder;
  const std::string bytes = from_hex(kMessageStartHex) + from_hex(kMessageStartHex);
  EXPECT_THROW((void)decoder.feed(bytes, [](Message&&) { throw std::runtime_error("boom"); }),
               std::runtime_error);
  const auto after = decoder.feed(bytes, [](Message&&) {});
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, ErrorCode::Internal);
}

}  // namespace
}  // namespace llmm::eventstream
