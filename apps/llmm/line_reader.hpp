#pragma once
// Reads a batch input line by line from a file descriptor (a file, or stdin from a pipe or a
// terminal) without ever blocking past an interruption: while no input is ready it waits on the
// input and on `interrupt_fd` together, and gives up when the latter turns readable (a signal
// arrived; see signal_watch.hpp). A line longer than the bound is reported and skipped, never
// held whole. Not synchronized: one thread reads.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::cli {

class LineReader {
 public:
  struct Line {
    std::size_t number = 0;  // 1-based
    std::string text;        // without its '\n' (and a '\r' before it); empty when too long
    bool too_long = false;
  };

  // `fd` and `interrupt_fd` are not owned; `interrupt_fd` < 0: none.
  LineReader(int fd, int interrupt_fd, std::size_t max_line_bytes);

  // The next line; nullopt at the end of the input (a last line without '\n' is a line) or on
  // interruption. Throws std::system_error when reading fails.
  std::optional<Line> next();
  [[nodiscard]] bool interrupted() const noexcept { return interrupted_; }
  // Lines returned so far.
  [[nodiscard]] std::size_t lines() const noexcept { return number_; }

 private:
  // Fills the buffer; false at end of input or on interruption.
  bool fill();

  int fd_;
  int interrupt_fd_;
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t start_ = 0;  // unread bytes are buffer_[start_, end)
  std::size_t number_ = 0;
  bool eof_ = false;
  bool interrupted_ = false;
};

// The number of '\n'-ended lines of a regular file plus a last unterminated one, for a progress
// display; nullopt for anything else (a pipe, a terminal) or when it cannot be read.
[[nodiscard]] std::optional<std::size_t> count_lines(const std::string& path);

}  // namespace llmm::cli
