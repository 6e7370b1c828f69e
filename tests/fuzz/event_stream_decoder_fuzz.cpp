/* libFuzzer target for the event-stream decoder. Built by CMake with -DLLMM_FUZZ=ON (clang only);
   scripts/fuzz configures build-fuzz, builds, and runs it on corpus/event_stream_decoder_fuzz:

   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLLMM_FUZZ=ON
   cmake --build build-fuzz --target event_stream_decoder_fuzz
   build-fuzz/tests/fuzz/event_stream_decoder_fuzz -max_len=16384 -max_total_time=60 [corpus_dir]
*/
// The first input byte picks a chunk size (0 = the whole rest at once); the rest is the stream.
// Checked on every input:
//   - the outcome (messages and error message) does not depend on the chunking;
//   - an error is StreamCorrupt with a StreamCorruption reason;
//   - every emitted message is canonical: re-encoding the emitted messages gives exactly the
//     bytes they came from, a prefix of the stream (the whole stream on success).
// Random bytes rarely pass the prelude CRC, so with an even second byte the input is instead
// re-framed: lengths and both CRCs are made valid around the fuzzer's bytes, which lets it reach
// the header parser.

#include "protocol/eventstream/event_stream_decoder.hpp"
#include "protocol/eventstream/event_stream_encoder.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace es = llmm::eventstream;

struct Outcome {
  std::vector<es::Message> messages;
  bool ok = true;
  std::string error;
};

Outcome decode(std::string_view stream, std::size_t chunk) {
  es::EventStreamDecoder decoder;
  Outcome out;
  const auto collect = [&](es::Message&& m) { out.messages.push_back(std::move(m)); };
  const std::size_t step = chunk == 0 ? stream.size() + 1 : chunk;
  for (std::size_t at = 0; at < stream.size(); at += step) {
    const auto result = decoder.feed(stream.substr(at, step), collect);
    if (!result) {
      out.ok = false;
      out.error = result.error().message;
      if (result.error().code != llmm::ErrorCode::StreamCorrupt) std::abort();
      if (!es::stream_corruption_of(result.error())) std::abort();
      return out;
    }
  }
  const auto finished = decoder.finish();
  if (!finished) {
    out.ok = false;
    out.error = finished.error().message;
    if (es::stream_corruption_of(finished.error()) != es::StreamCorruption::Truncated) std::abort();
  }
  return out;
}

void put_be32(std::string& bytes, std::size_t offset, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) {
    bytes[offset + i] = static_cast<char>((value >> (8U * (3 - i))) & 0xFFU);
  }
}

// One message framed around `body`: its first byte (mod the size) splits headers from payload.
std::string reframe(std::string_view body) {
  const std::size_t headers = body.empty() ? 0 : static_cast<unsigned char>(body[0]) % body.size();
  std::string bytes(12, '\0');
  bytes += body;
  bytes += std::string(4, '\0');
  put_be32(bytes, 0, static_cast<std::uint32_t>(bytes.size()));
  put_be32(bytes, 4, static_cast<std::uint32_t>(headers));
  put_be32(bytes, 8, es::crc32(std::string_view(bytes).substr(0, 8)));
  put_be32(bytes, bytes.size() - 4, es::crc32(std::string_view(bytes).substr(0, bytes.size() - 4)));
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t chunk = data[0];
  const bool reframed = (data[1] & 1U) == 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  const std::string stream = reframed ? reframe(rest) : std::string(rest);

  const Outcome chunked = decode(stream, chunk);
  const Outcome whole = decode(stream, 0);
  const Outcome bytewise = decode(stream, 1);
  if (chunked.ok != whole.ok || chunked.error != whole.error || chunked.messages != whole.messages)
    std::abort();
  if (bytewise.ok != whole.ok || bytewise.error != whole.error ||
      bytewise.messages != whole.messages)
    std::abort();

  std::string reencoded;
  for (const es::Message& m : whole.messages) reencoded += es::encode(m);
  if (std::string_view(stream).substr(0, reencoded.size()) != reencoded) std::abort();
  if (whole.ok && reencoded.size() != stream.size()) std::abort();
  return 0;
}
