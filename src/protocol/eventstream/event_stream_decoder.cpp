#include "protocol/eventstream/event_stream_decoder.hpp"

#include "protocol/eventstream/event_stream_encoder.hpp"  // crc32

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace llmm::eventstream {
namespace {

constexpr std::array<std::string_view, 10> kReasonNames = {
    "PreludeCrcMismatch", "MessageCrcMismatch",      "Truncated",      "MessageTooShort",
    "MessageTooLong",     "HeadersTooLong",          "PayloadTooLong", "UnknownHeaderType",
    "HeaderOverrun",      "InvalidHeaderValueLength"};

using Tag = HeaderTypeTag;
constexpr std::uint8_t kLastTag = static_cast<std::uint8_t>(Tag::uuid);

std::uint64_t read_be(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value = (value << 8U) | static_cast<unsigned char>(bytes[offset + i]);
  }
  return value;
}

std::uint32_t read_be32(std::string_view bytes, std::size_t offset) {
  return static_cast<std::uint32_t>(read_be(bytes, offset, 4));
}

std::string hex32(std::uint32_t value) {
  std::array<char, 11> text{};
  std::snprintf(text.data(), text.size(), "0x%08x", value);
  return text.data();
}

Error corruption(StreamCorruption reason, const std::string& detail, std::uint64_t offset) {
  Error error;
  error.code = ErrorCode::StreamCorrupt;
  error.message = std::string(to_string(reason)) + ": " + detail + " (message at stream offset " +
                  std::to_string(offset) + ")";
  return error;
}

// Reads one headers block; `offset` is the stream offset of the message, for error messages.
// Every read is bounds-checked against the block, never against the declared lengths alone.
class HeaderReader {
 public:
  HeaderReader(std::string_view block, std::uint64_t offset) : block_(block), offset_(offset) {}

  Result<std::vector<Header>> read_all() {
    std::vector<Header> headers;
    while (pos_ < block_.size()) {
      const std::size_t start = pos_;
      Header header;
      const std::size_t name_length = take_u8();
      if (!fits(name_length)) return overrun(start, "name");
      header.name.assign(block_.substr(pos_, name_length));
      pos_ += name_length;
      if (!fits(1)) return overrun(start, "type");
      const std::uint8_t tag = take_u8();
      if (tag > kLastTag) {
        return corruption(StreamCorruption::UnknownHeaderType,
                          "header \"" + header.name + "\" has value type " + std::to_string(tag) +
                              " (known: 0-9)",
                          offset_);
      }
      if (auto error = read_value(static_cast<Tag>(tag), start, header)) return *error;
      headers.push_back(std::move(header));
    }
    return headers;
  }

 private:
  bool fits(std::size_t n) const { return n <= block_.size() - pos_; }
  std::uint8_t take_u8() { return static_cast<std::uint8_t>(block_[pos_++]); }
  std::uint64_t take_be(std::size_t width) {
    const std::uint64_t value = read_be(block_, pos_, width);
    pos_ += width;
    return value;
  }

  Error overrun(std::size_t start, const char* part) const {
    return corruption(StreamCorruption::HeaderOverrun,
                      std::string("the ") + part + " of the header at byte " +
                          std::to_string(start) + " runs past the " +
                          std::to_string(block_.size()) + "-byte headers block",
                      offset_);
  }

  // Fixed-size values: `width` bytes, two's complement for the signed ones.
  std::optional<Error> read_fixed(std::size_t width, std::size_t start, const Header& header,
                                  std::uint64_t& out) {
    if (!fits(width)) return overrun(start, ("value of \"" + header.name + "\"").c_str());
    out = take_be(width);
    return std::nullopt;
  }

  std::optional<Error> read_value(Tag tag, std::size_t start, Header& header) {
    std::uint64_t raw = 0;
    switch (tag) {
      case Tag::bool_true:
      case Tag::bool_false:
        header.value = tag == Tag::bool_true;  // the tag is the value
        return std::nullopt;
      case Tag::byte:
        if (auto e = read_fixed(1, start, header, raw)) return e;
        header.value = static_cast<std::int8_t>(static_cast<std::uint8_t>(raw));
        return std::nullopt;
      case Tag::short_int:
        if (auto e = read_fixed(2, start, header, raw)) return e;
        header.value = static_cast<std::int16_t>(static_cast<std::uint16_t>(raw));
        return std::nullopt;
      case Tag::integer:
        if (auto e = read_fixed(4, start, header, raw)) return e;
        header.value = static_cast<std::int32_t>(static_cast<std::uint32_t>(raw));
        return std::nullopt;
      case Tag::long_int:
        if (auto e = read_fixed(8, start, header, raw)) return e;
        header.value = static_cast<std::int64_t>(raw);
        return std::nullopt;
      case Tag::timestamp:
        if (auto e = read_fixed(8, start, header, raw)) return e;
        header.value = Timestamp{static_cast<std::int64_t>(raw)};
        return std::nullopt;
      case Tag::uuid: {
        if (!fits(16)) return overrun(start, ("value of \"" + header.name + "\"").c_str());
        Uuid uuid;
        for (auto& byte : uuid.bytes) byte = take_u8();
        header.value = uuid;
        return std::nullopt;
      }
      case Tag::byte_array:
      case Tag::string: {
        if (auto e = read_fixed(2, start, header, raw)) return e;
        if (raw > kMaxHeaderValueLength) {
          return corruption(StreamCorruption::InvalidHeaderValueLength,
                            "header \"" + header.name + "\" declares a " + std::to_string(raw) +
                                "-byte value (limit kMaxHeaderValueLength " +
                                std::to_string(kMaxHeaderValueLength) + ")",
                            offset_);
        }
        const auto length = static_cast<std::size_t>(raw);
        if (!fits(length)) return overrun(start, ("value of \"" + header.name + "\"").c_str());
        std::string bytes(block_.substr(pos_, length));
        pos_ += length;
        if (tag == Tag::string) {
          header.value = std::move(bytes);
        } else {
          header.value = ByteArray{std::move(bytes)};
        }
        return std::nullopt;
      }
    }
    return std::nullopt;  // unreachable: tag was range-checked
  }

  std::string_view block_;
  std::uint64_t offset_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view to_string(StreamCorruption reason) noexcept {
  return kReasonNames[static_cast<std::size_t>(reason)];
}

std::optional<StreamCorruption> stream_corruption_of(const Error& error) noexcept {
  if (error.code != ErrorCode::StreamCorrupt) return std::nullopt;
  const std::string_view message = error.message;
  const std::size_t colon = message.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view name = message.substr(0, colon);
  for (std::size_t i = 0; i < kReasonNames.size(); ++i) {
    if (kReasonNames[i] == name) return static_cast<StreamCorruption>(i);
  }
  return std::nullopt;
}

EventStreamDecoder::EventStreamDecoder(Limits limits) : limits_(limits) {}

Result<void> EventStreamDecoder::fail(Error error) {
  state_ = State::Failed;
  buffer_.clear();
  buffer_.shrink_to_fit();
  error_ = std::move(error);
  return error_;
}

Result<void> EventStreamDecoder::accept_prelude(std::string_view prelude) {
  const std::uint32_t declared_crc = read_be32(prelude, 8);
  const std::uint32_t computed_crc = crc32(prelude.substr(0, 8));
  if (declared_crc != computed_crc) {
    return corruption(StreamCorruption::PreludeCrcMismatch,
                      "prelude CRC " + hex32(declared_crc) + " != computed " + hex32(computed_crc),
                      message_offset_);
  }
  // Only now are the lengths trusted enough to check against the limits.
  const std::size_t total = read_be32(prelude, 0);
  const std::size_t headers = read_be32(prelude, 4);
  if (total < kMinMessageLength) {
    return corruption(
        StreamCorruption::MessageTooShort,
        "total length " + std::to_string(total) + " < minimum " + std::to_string(kMinMessageLength),
        message_offset_);
  }
  if (total > limits_.max_message_length) {
    return corruption(StreamCorruption::MessageTooLong,
                      "total length " + std::to_string(total) + " > limit " +
                          std::to_string(limits_.max_message_length),
                      message_offset_);
  }
  if (headers > limits_.max_headers_length || headers > total - kMinMessageLength) {
    return corruption(
        StreamCorruption::HeadersTooLong,
        "headers length " + std::to_string(headers) + " exceeds " +
            (headers > limits_.max_headers_length
                 ? "limit " + std::to_string(limits_.max_headers_length)
                 : "the " + std::to_string(total - kMinMessageLength) + " bytes the total length " +
                       std::to_string(total) + " leaves"),
        message_offset_);
  }
  const std::size_t payload = total - kMinMessageLength - headers;
  if (payload > limits_.max_payload_length) {
    return corruption(StreamCorruption::PayloadTooLong,
                      "payload length " + std::to_string(payload) + " > limit " +
                          std::to_string(limits_.max_payload_length),
                      message_offset_);
  }
  total_length_ = total;
  return {};
}

Result<void> EventStreamDecoder::emit(std::string_view bytes,
                                      const std::function<void(Message&&)>& on_message) {
  const std::size_t crc_at = bytes.size() - kMessageCrcLength;
  const std::uint32_t declared_crc = read_be32(bytes, crc_at);
  const std::uint32_t computed_crc = crc32(bytes.substr(0, crc_at));
  if (declared_crc != computed_crc) {
    return corruption(StreamCorruption::MessageCrcMismatch,
                      "message CRC " + hex32(declared_crc) + " != computed " + hex32(computed_crc),
                      message_offset_);
  }
  const std::size_t headers_length = read_be32(bytes, 4);
  auto headers =
      HeaderReader(bytes.substr(kPreludeWithCrcLength, headers_length), message_offset_).read_all();
  if (!headers) return headers.error();
  Message message;
  message.headers = std::move(*headers);
  message.payload.assign(bytes.substr(kPreludeWithCrcLength + headers_length,
                                      crc_at - kPreludeWithCrcLength - headers_length));

  // Reset before the callback, so the decoder is consistent whatever the callback does.
  message_offset_ += bytes.size();
  state_ = State::ReadingPrelude;
  total_length_ = 0;
  try {
    on_message(std::move(message));
  } catch (...) {
    Error error;
    error.code = ErrorCode::Internal;
    error.message = "event-stream message callback threw; the stream is abandoned";
    (void)fail(std::move(error));
    throw;
  }
  return {};
}

Result<void> EventStreamDecoder::feed(std::string_view bytes,
                                      const std::function<void(Message&&)>& on_message) {
  while (true) {
    switch (state_) {
      case State::Failed: return error_;

      case State::ReadingPrelude: {
        if (bytes.empty()) return {};
        std::string_view prelude;
        if (buffer_.empty() && bytes.size() >= kPreludeWithCrcLength) {
          prelude = bytes.substr(0, kPreludeWithCrcLength);  // no copy for the common case
        } else {
          const std::size_t take = std::min(kPreludeWithCrcLength - buffer_.size(), bytes.size());
          buffer_.append(bytes.substr(0, take));
          bytes.remove_prefix(take);
          if (buffer_.size() < kPreludeWithCrcLength) return {};
          prelude = buffer_;
        }
        if (auto accepted = accept_prelude(prelude); !accepted) return fail(accepted.error());
        state_ = State::ReadingMessage;
        break;
      }

      case State::ReadingMessage: {
        // A whole message in the chunk and nothing buffered: decode it in place.
        if (buffer_.empty() && bytes.size() >= total_length_) {
          const std::string_view whole = bytes.substr(0, total_length_);
          bytes.remove_prefix(total_length_);
          if (auto emitted = emit(whole, on_message); !emitted) return fail(emitted.error());
          break;
        }
        if (buffer_.empty()) {
          buffer_.reserve(total_length_);
          buffer_.append(bytes.substr(0, kPreludeWithCrcLength));
          bytes.remove_prefix(kPreludeWithCrcLength);
        }
        const std::size_t take = std::min(total_length_ - buffer_.size(), bytes.size());
        buffer_.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (buffer_.size() < total_length_) return {};
        const std::string whole = std::move(buffer_);
        buffer_.clear();
        if (auto emitted = emit(whole, on_message); !emitted) return fail(emitted.error());
        break;
      }
    }
  }
}

bool EventStreamDecoder::mid_message() const noexcept {
  return state_ == State::ReadingMessage || (state_ == State::ReadingPrelude && !buffer_.empty());
}

Result<void> EventStreamDecoder::finish() const {
  if (state_ == State::Failed) return error_;
  if (!mid_message()) return {};
  const std::size_t have =
      state_ == State::ReadingMessage && buffer_.empty() ? kPreludeWithCrcLength : buffer_.size();
  const std::size_t want = state_ == State::ReadingPrelude ? kPreludeWithCrcLength : total_length_;
  return corruption(StreamCorruption::Truncated,
                    std::string("the stream ended inside a message ") +
                        (state_ == State::ReadingPrelude ? "prelude" : "body") + " (" +
                        std::to_string(have) + " of " + std::to_string(want) + " bytes)",
                    message_offset_);
}

}  // namespace llmm::eventstream
