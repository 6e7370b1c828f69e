#pragma once
// Decodes a byte stream of event-stream messages (wire doc §4.2) fed in arbitrary chunks, as
// aws-c-event-stream's streaming decoder does. Pure: no I/O, no libcurl; the HTTP layer only
// forwards the bytes it reads.

#include "protocol/eventstream/event_stream_message.hpp"

#include <llmm/error.hpp>
#include <llmm/result.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::eventstream {

// Framing sizes (wire doc §4.2): total length, headers length, prelude CRC, then the message CRC.
inline constexpr std::size_t kPreludeWithCrcLength = 12;  // both lengths and the prelude CRC
inline constexpr std::size_t kMessageCrcLength = 4;
// The smallest message: a prelude and a message CRC, no headers, no payload (smithy's
// MINIMUM_MESSAGE_LENGTH, aws-c-event-stream's AWS_EVENT_STREAM_PRELUDE_LENGTH + CRC).
inline constexpr std::size_t kMinMessageLength = kPreludeWithCrcLength + kMessageCrcLength;
// The largest message our encoder can produce: full headers block and a 16 MiB payload
// (aws-c-event-stream caps the payload at 16 MiB and the headers at 128 KiB).
inline constexpr std::size_t kMaxMessageLength =
    kMinMessageLength + kMaxHeadersLength + kMaxPayloadLength;

// Why a stream does not decode. The Error's message starts with the name (to_string) and a colon.
enum class StreamCorruption {
  PreludeCrcMismatch,        // the first 8 bytes do not match their CRC: no length is trusted
  MessageCrcMismatch,        // the whole message does not match its trailing CRC
  Truncated,                 // the stream ended inside a message (finish())
  MessageTooShort,           // total length below kMinMessageLength
  MessageTooLong,            // total length above the limit
  HeadersTooLong,            // headers length above the limit or beyond the message
  PayloadTooLong,            // payload length above the limit
  UnknownHeaderType,         // a header value type tag above 9
  HeaderOverrun,             // a header runs past the end of the headers block
  InvalidHeaderValueLength,  // a byte array or string longer than kMaxHeaderValueLength
};

std::string_view to_string(StreamCorruption reason) noexcept;

// The reason inside an Error returned by EventStreamDecoder: parsed from the message prefix, so it
// survives copies of the Error. nullopt for any other error.
std::optional<StreamCorruption> stream_corruption_of(const Error& error) noexcept;

// Caps checked right after the prelude CRC, before anything is buffered. Defaults are the
// framing limits above; tests and callers may tighten them.
struct DecoderLimits {
  std::size_t max_message_length = kMaxMessageLength;
  std::size_t max_headers_length = kMaxHeadersLength;
  std::size_t max_payload_length = kMaxPayloadLength;
};

class EventStreamDecoder {
 public:
  using Limits = DecoderLimits;

  explicit EventStreamDecoder(Limits limits = {});

  // Consumes all of `bytes`, calling `on_message` once per complete, verified message, in order.
  // On the first corruption it returns ErrorCode::StreamCorrupt (messages completed earlier in
  // the same chunk have been delivered, the corrupt one never is) and stays failed: every later
  // feed() returns the same error. If on_message throws, the decoder fails (Internal) and the
  // exception propagates. Not reentrant: do not feed() from inside on_message.
  Result<void> feed(std::string_view bytes, const std::function<void(Message&&)>& on_message);

  // True when bytes of an unfinished message are buffered; false after a failure.
  [[nodiscard]] bool mid_message() const noexcept;

  // At end of stream: StreamCorrupt (Truncated) when mid_message(), the stored error after a
  // failure, success otherwise.
  [[nodiscard]] Result<void> finish() const;

 private:
  enum class State {
    ReadingPrelude,  // collecting the 12 prelude bytes
    ReadingMessage,  // prelude verified, collecting the rest of total_length
    Failed,          // an error was returned; it is returned again
  };

  Result<void> fail(Error error);
  // Verifies the 12 prelude bytes and sets total_length_; the error on corruption.
  Result<void> accept_prelude(std::string_view prelude);
  // Verifies and emits the complete message `bytes` (total_length_ bytes).
  Result<void> emit(std::string_view bytes, const std::function<void(Message&&)>& on_message);

  Limits limits_;
  State state_ = State::ReadingPrelude;
  std::string buffer_;                // bytes of the current message so far
  std::size_t total_length_ = 0;      // of the current message, once its prelude is verified
  std::uint64_t message_offset_ = 0;  // stream offset of the current message, for messages
  Error error_;                       // valid in State::Failed
};

}  // namespace llmm::eventstream
