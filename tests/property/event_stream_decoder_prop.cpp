// Properties of the event-stream decoder: decode(encode(m)) == m over any split of the stream, and
// any bytes in any chunking give messages or a StreamCorrupt error, never a crash or exception.
// The encoder is ours too, so the round trip shows consistency; the golden vectors in
// tests/unit/eventstream and the smithy conformance test carry correctness.

#include "protocol/eventstream/event_stream_decoder.hpp"
#include "protocol/eventstream/event_stream_encoder.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::eventstream {
namespace {

rc::Gen<std::string> bytes_up_to(std::size_t max) {
  return rc::gen::resize(static_cast<int>(max),
                         rc::gen::container<std::string>(rc::gen::arbitrary<char>()));
}

rc::Gen<HeaderValue> header_value() {
  return rc::gen::oneOf(
      rc::gen::cast<HeaderValue>(rc::gen::arbitrary<bool>()),
      rc::gen::cast<HeaderValue>(rc::gen::arbitrary<std::int8_t>()),
      rc::gen::cast<HeaderValue>(rc::gen::arbitrary<std::int16_t>()),
      rc::gen::cast<HeaderValue>(rc::gen::arbitrary<std::int32_t>()),
      rc::gen::cast<HeaderValue>(rc::gen::arbitrary<std::int64_t>()),
      rc::gen::map(bytes_up_to(300), [](std::string b) { return HeaderValue{ByteArray{b}}; }),
      rc::gen::map(bytes_up_to(300), [](std::string s) { return HeaderValue{s}; }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(),
                   [](std::int64_t ms) { return HeaderValue{Timestamp{ms}}; }),
      rc::gen::map(rc::gen::arbitrary<std::array<std::uint8_t, 16>>(),
                   [](std::array<std::uint8_t, 16> b) { return HeaderValue{Uuid{b}}; }));
}

rc::Gen<Header> header() {
  return rc::gen::map(rc::gen::pair(bytes_up_to(kMaxHeaderNameLength), header_value()),
                      [](std::pair<std::string, HeaderValue> p) {
                        return Header{std::move(p.first), std::move(p.second)};
                      });
}

rc::Gen<Message> message() {
  return rc::gen::map(
      rc::gen::pair(rc::gen::resize(12, rc::gen::container<std::vector<Header>>(header())),
                    bytes_up_to(2000)),
      [](std::pair<std::vector<Header>, std::string> p) {
        return Message{std::move(p.first), std::move(p.second)};
      });
}

struct Outcome {
  std::vector<Message> messages;
  Result<void> result;
};

// Feeds `stream` cut into pieces of the given sizes (cycled; 0 is an empty feed), then finish().
Outcome decode_in_pieces(std::string_view stream, const std::vector<std::size_t>& sizes) {
  EventStreamDecoder decoder;
  Outcome out;
  const auto collect = [&](Message&& m) { out.messages.push_back(std::move(m)); };
  std::size_t at = 0;
  for (std::size_t i = 0; at < stream.size(); ++i) {
    std::size_t size = sizes.empty() ? stream.size() : sizes[i % sizes.size()];
    if (size == 0) {
      // An empty read must be harmless; then move on by one byte so the loop ends.
      out.result = decoder.feed({}, collect);
      if (!out.result) return out;
      size = 1;
    }
    out.result = decoder.feed(stream.substr(at, size), collect);
    at += size;
    if (!out.result) return out;
  }
  out.result = decoder.finish();
  return out;
}

rc::Gen<std::vector<std::size_t>> piece_sizes() {
  return rc::gen::container<std::vector<std::size_t>>(rc::gen::oneOf(
      rc::gen::inRange<std::size_t>(0, 14), rc::gen::inRange<std::size_t>(14, 5000)));
}

RC_GTEST_PROP(EventStreamDecoderProp, DecodeOfEncodeIsIdentityOverAnySplit, ()) {
  const auto messages = *rc::gen::resize(8, rc::gen::container<std::vector<Message>>(message()));
  const auto sizes = *piece_sizes();
  std::string stream;
  for (const Message& m : messages) stream += encode(m);
  const Outcome out = decode_in_pieces(stream, sizes);
  RC_ASSERT(out.result.has_value());
  RC_ASSERT(out.messages == messages);
}

// Every accepted message is canonical: re-encoding it gives back exactly the bytes it came from,
// so whatever the decoder emits is a prefix of the input.
void check_canonical_prefix(std::string_view stream, const Outcome& out) {
  std::string reencoded;
  for (const Message& m : out.messages) reencoded += encode(m);
  RC_ASSERT(stream.substr(0, reencoded.size()) == reencoded);
  if (!out.result) {
    RC_ASSERT(out.result.error().code == ErrorCode::StreamCorrupt);
    RC_ASSERT(stream_corruption_of(out.result.error()).has_value());
  } else {
    RC_ASSERT(reencoded.size() == stream.size());
  }
}

RC_GTEST_PROP(EventStreamDecoderProp, AnyBytesInAnyChunkingGiveMessagesOrStreamCorrupt, ()) {
  const auto stream = *bytes_up_to(400);
  const auto sizes = *piece_sizes();
  const Outcome out = decode_in_pieces(stream, sizes);
  check_canonical_prefix(stream, out);
}

// Random bytes almost never pass the prelude CRC; corrupting one byte of a valid stream reaches
// the later checks (lengths, headers, message CRC) too.
RC_GTEST_PROP(EventStreamDecoderProp, ACorruptedValidStreamFailsCleanlyAtAnySplit, ()) {
  const auto messages = *rc::gen::resize(4, rc::gen::container<std::vector<Message>>(message()));
  std::string stream;
  for (const Message& m : messages) stream += encode(m);
  RC_PRE(!stream.empty());
  const auto at = *rc::gen::inRange<std::size_t>(0, stream.size());
  const auto flip = *rc::gen::inRange(1, 256);
  stream[at] = static_cast<char>(static_cast<unsigned char>(stream[at]) ^ flip);
  const bool reseal = *rc::gen::arbitrary<bool>();
  if (reseal && at >= 12) {
    // Recompute the CRC of the message holding `at`, so header and length checks are reached.
    std::size_t start = 0;
    for (const Message& m : messages) {
      const std::size_t length = encode(m).size();
      if (at < start + length) {
        const std::uint32_t crc = crc32(std::string_view(stream).substr(start, length - 4));
        for (std::size_t i = 0; i < 4; ++i) {
          stream[start + length - 4 + i] = static_cast<char>((crc >> (8U * (3 - i))) & 0xFFU);
        }
        break;
      }
      start += length;
    }
  }
  const Outcome out = decode_in_pieces(stream, *piece_sizes());
  check_canonical_prefix(stream, out);
}

TEST(EventStreamDecoderProp, ChunkingDoesNotChangeTheOutcome) {
  // Same stream, every chunk size from 1 to 40: identical messages and identical error.
  Message m = make_event("contentBlockDelta", R"({"delta":{"text":"hi"}})");
  std::string stream = encode(m) + encode(m);
  stream[stream.size() - 3] ^= 0x10;
  const Outcome whole = decode_in_pieces(stream, {});
  ASSERT_FALSE(whole.result.has_value());
  for (std::size_t size = 1; size <= 40; ++size) {
    const Outcome out = decode_in_pieces(stream, {size});
    ASSERT_FALSE(out.result.has_value());
    EXPECT_EQ(out.result.error().message, whole.result.error().message) << size;
    EXPECT_EQ(out.messages, whole.messages) << size;
  }
}

}  // namespace
}  // namespace llmm::eventstream
