#pragma once
// Encodes event-stream messages byte for byte as @smithy/eventstream-codec does. No libcurl.

#include "protocol/eventstream/event_stream_message.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace llmm::eventstream {

// The IEEE/zlib CRC-32; `crc` continues a previous value (start at 0).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

// Throws std::invalid_argument naming the limit when a header name, a value or the payload
// exceeds the limits in event_stream_message.hpp.
std::string encode(const Message& message);

// The three string headers Bedrock puts on an event, in the codec's order:
// :event-type, :content-type application/json, :message-type event.
Message make_event(std::string event_type, std::string json_payload);
// An exception message: :exception-type (lowerCamel member name), :content-type, :message-type.
Message make_exception(std::string exception_type, std::string json_payload);

}  // namespace llmm::eventstream
