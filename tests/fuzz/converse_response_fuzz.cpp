/* libFuzzer target for the Converse body codecs. Built by CMake with -DLLMM_FUZZ=ON (clang only);
   scripts/fuzz configures build-fuzz, builds, and runs it on corpus/converse_response_fuzz:

   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLLMM_FUZZ=ON
   cmake --build build-fuzz --target converse_response_fuzz
   build-fuzz/tests/fuzz/converse_response_fuzz -max_len=65536 -max_total_time=60 [corpus_dir]
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
