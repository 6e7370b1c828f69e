/* libFuzzer target for `llmm batch`'s input: the line reader (apps/llmm/line_reader) and the JSONL
   line parser (apps/llmm/batch_line). Built by CMake with -DLLMM_FUZZ=ON (clang only); scripts/fuzz
   configures build-fuzz, builds, and runs it on corpus/batch_line_fuzz:

   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DLLMM_FUZZ=ON
   cmake --build build-fuzz --target batch_line_fuzz
   build-fuzz/tests/fuzz/batch_line_fuzz -max_len=16384 -max_total_time=60 [corpus_dir]
*/
// The first input byte is the reader's line bound (0 = 1 MiB, else 1-255 bytes, so that the
// too-long path is reached), the second the size of the chunks the input reaches the reader in
// through a pipe (its low 7 bits; 0 or the top bit set = all at once, which needs no writer thread
// and so keeps half the runs fast); the rest is the input. Checked on every input:
//   - the reader gives exactly the lines of the input split at '\n' (a last unterminated piece
//     is a line when not empty), numbered from 1, each without its '\n' and one '\r' before it,
//     flagged too long with empty text exactly when what is left is longer than the bound; so
//     how the input is chunked does not matter;
//   - parse_batch_line never throws or crashes, and gives nullopt for a blank line only;
//   - a refused line has no request and an error starting "line <N>: " with its own number;
//   - every line (accepted or refused) keeps its number and has a non-empty id;
//   - an accepted request re-serialises (ConverseRequest::to_json) to a body that parses back to
//     an equal request, and serialising that again gives the same bytes.

#include "batch_line.hpp"
#include "line_reader.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using llmm::cli::LineReader;

struct ExpectedLine {
  std::string text;
  bool too_long = false;
};

// The model of the reader: a plain split of the whole input.
std::vector<ExpectedLine> split_lines(std::string_view input, std::size_t max_line_bytes) {
  std::vector<ExpectedLine> lines;
  while (!input.empty()) {
    const std::size_t newline = input.find('\n');
    std::string_view text = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    ExpectedLine line;
    line.too_long = text.size() > max_line_bytes;
    if (!line.too_long) line.text.assign(text);
    lines.push_back(std::move(line));
  }
  return lines;
}

// Writes `input` into `fd` `chunk` bytes at a time (0 = at once), each only once the reader has
// taken all of the previous one, so every read() the reader makes returns exactly one chunk; then
// closes it.
void write_chunks(int fd, std::string_view input, std::size_t chunk) {
  while (!input.empty()) {
    const std::size_t size = chunk == 0 ? input.size() : std::min(chunk, input.size());
    std::string_view piece = input.substr(0, size);
    while (!piece.empty()) {
      const ssize_t wrote = ::write(fd, piece.data(), piece.size());
      if (wrote < 0) std::abort();
      piece.remove_prefix(static_cast<std::size_t>(wrote));
    }
    input.remove_prefix(size);
    if (input.empty()) break;  // the last chunk: nothing to keep apart from it
    int unread = 1;
    while (unread > 0) {
      if (::ioctl(fd, FIONREAD, &unread) != 0) std::abort();
      if (unread > 0) std::this_thread::yield();
    }
  }
  ::close(fd);
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

void check_line(const std::string& text, std::size_t number) {
  const std::optional<llmm::cli::BatchLine> line = llmm::cli::parse_batch_line(text, number);
  if (!line) {
    if (text.find_first_not_of(" \t\r") != std::string::npos) std::abort();
    return;
  }
  if (line->number != number || line->id.empty()) std::abort();
  if (!line->request) {
    if (!starts_with(line->error, "line " + std::to_string(number) + ": ")) std::abort();
    return;
  }
  if (!line->error.empty()) std::abort();
  const std::string encoded = line->request->to_json();
  const auto again = llmm::ConverseRequest::from_json(encoded);
  if (!again || !(*again == *line->request)) std::abort();
  if (again->to_json() != encoded) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::signal(SIGPIPE, SIG_IGN);  // a failing reader must show as an abort, not a signal
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t max_line_bytes = data[0] == 0 ? std::size_t{1} << 20 : data[0];
  const std::size_t chunk = (data[1] & 0x80U) != 0 ? 0 : data[1] & 0x7FU;
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);

  int fds[2];
  if (::pipe(fds) != 0) std::abort();
  // All at once fits the pipe (64 KiB; -max_len is below that), so it is written up front.
  std::thread writer;
  if (chunk == 0 && input.size() <= 65536) {
    write_chunks(fds[1], input, 0);
  } else {
    writer = std::thread(write_chunks, fds[1], input, chunk);
  }
  LineReader reader(fds[0], -1, max_line_bytes);
  std::vector<LineReader::Line> lines;
  while (std::optional<LineReader::Line> line = reader.next()) lines.push_back(std::move(*line));
  if (writer.joinable()) writer.join();
  ::close(fds[0]);

  const std::vector<ExpectedLine> expected = split_lines(input, max_line_bytes);
  if (lines.size() != expected.size() || reader.lines() != lines.size()) std::abort();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LineReader::Line& line = lines[i];
    if (line.number != i + 1 || line.too_long != expected[i].too_long) std::abort();
    if (line.text != expected[i].text) std::abort();
    if (!line.too_long) check_line(line.text, line.number);
  }
  return 0;
}
