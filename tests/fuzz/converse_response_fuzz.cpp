/* libFuzzer target for the Converse body codecs. Not part of the CMake build; from the repo root
   (clang++ works too; on Debian/Ubuntu the fuzzer runtime is in libclang-rt-14-dev or clang-14):

   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
     tests/fuzz/converse_response_fuzz.cpp src/protocol/converse_json.cpp \
     src/protocol/converse_response_json.cpp src/protocol/content_block_json.cpp \
     src/protocol/content_block.cpp src/protocol/converse_output.cpp src/protocol/json_wire.cpp \
     src/protocol/json_value.cpp src/protocol/base64.cpp src/core/error.cpp \
     -o /tmp/converse_response_fuzz
   /tmp/converse_response_fuzz -max_len=65536 -max_total_time=300 [corpus_dir]
*/
// Any input is a candidate response body and a candidate request body. Checked on every input:
//   - neither decoder throws or crashes (libFuzzer reports an escaping exception as a crash);
//   - a failure is an Internal error (response) / InvalidArgument error (request) starting with
//     "malformed Converse response: " / "malformed Converse request: ";
//   - what decodes re-encodes to a body that decodes to the same value, and encoding that value
//     again gives the same bytes (the codec is a fixed point after one round);
//   - the accessors of a decoded output do not crash.

#include "protocol/converse_json.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

void check_response(std::string_view body) {
  using namespace llmm::protocol;
  const auto output = decode_converse_response(body);
  if (!output) {
    if (output.error().code != llmm::ErrorCode::Internal) std::abort();
    if (!starts_with(output.error().message, "malformed Converse response: ")) std::abort();
    return;
  }
  (void)output->text();
  (void)output->tool_uses();
  (void)output->reasoning();
  (void)output->citations();
  (void)output->guardrail_trace();
  const std::string encoded = encode_converse_output(*output);
  const auto again = decode_converse_response(encoded);
  if (!again || !(*again == *output)) std::abort();
  if (encode_converse_output(*again) != encoded) std::abort();
}

void check_request(std::string_view body) {
  using namespace llmm::protocol;
  const auto request = decode_converse_request(body);
  if (!request) {
    if (request.error().code != llmm::ErrorCode::InvalidArgument) std::abort();
    if (!starts_with(request.error().message, "malformed Converse request: ")) std::abort();
    return;
  }
  const std::string encoded = encode_converse_request(*request);
  const auto again = decode_converse_request(encoded);
  if (!again || !(*again == *request)) std::abort();
  if (encode_converse_request(*again) != encoded) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_response(body);
  check_request(body);
  return 0;
}
