// libFuzzer target for the AWS shared-file parser. Built by CMake with -DLLMM_FUZZ=ON (clang only);
// scripts/fuzz configures build-fuzz, builds, and runs it on corpus/aws_shared_file_fuzz:
//
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLLMM_FUZZ=ON
//   cmake --build build-fuzz --target aws_shared_file_fuzz
//   build-fuzz/tests/fuzz/aws_shared_file_fuzz -max_len=4096 -max_total_time=60 [corpus_dir]
//
// The only exception the parser may throw is llmm::ConfigurationError, and its message must never
// echo a value: every value in the input is the marker below when the input is well formed, so a
// marker in a message of a second, marked parse would be a leak.

#include "auth/aws_shared_file.hpp"

#include <llmm/exceptions.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using llmm::auth::AwsSharedFile;
using llmm::auth::SharedFileKind;

constexpr std::string_view marker = "VALUE-MARKER-42";

// Every text after the first '=' of a line becomes the marker (keeps line structure intact).
std::string mark_values(std::string_view text) {
  std::string out;
  bool in_value = false;
  for (char c : text) {
    if (c == '\n') {
      in_value = false;
      out += c;
    } else if (in_value) {
      continue;
    } else {
      out += c;
      if (c == '=') {
        out += marker;
        in_value = true;
      }
    }
  }
  return out;
}

void parse_checked(std::string_view text, SharedFileKind kind, bool check_leak) {
  try {
    AwsSharedFile::parse(text, kind, "/fuzz/file");
  } catch (const llmm::ConfigurationError& error) {
    // Keys are named in messages, so only check inputs whose keys cannot contain the marker.
    if (check_leak && std::string_view(error.what()).find(marker) != std::string_view::npos) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool input_has_marker = text.find(marker) != std::string_view::npos;
  for (auto kind : {SharedFileKind::Config, SharedFileKind::Credentials}) {
    parse_checked(text, kind, false);
    if (!input_has_marker) parse_checked(mark_values(text), kind, true);
  }
  return 0;
}
