#include "line_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace llmm::cli {
namespace {

constexpr std::size_t kReadSize = 64 * 1024;

}  // namespace

LineReader::LineReader(int fd, int interrupt_fd, std::size_t max_line_bytes)
    : fd_(fd), interrupt_fd_(interrupt_fd), max_line_bytes_(max_line_bytes) {}

bool LineReader::fill() {
  if (eof_ || interrupted_) return false;
  // Compact first, so the buffer holds at most one line in progress plus one read.
  buffer_.erase(0, start_);
  start_ = 0;
  while (true) {
    std::array<pollfd, 2> waits{{{fd_, POLLIN, 0}, {interrupt_fd_, POLLIN, 0}}};
    const int ready = ::poll(waits.data(), interrupt_fd_ >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "waiting for input");
    }
    if (interrupt_fd_ >= 0 && (waits[1].revents & POLLIN) != 0) {
      interrupted_ = true;
      return false;
    }
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + kReadSize);
    const ssize_t got = ::read(fd_, buffer_.data() + old_size, kReadSize);
    if (got < 0) {
      buffer_.resize(old_size);
      if (errno == EINTR || errno == EAGAIN) continue;
      throw std::system_error(errno, std::generic_category(), "reading the input");
    }
    buffer_.resize(old_size + static_cast<std::size_t>(got));
    if (got == 0) eof_ = true;
    return got > 0;
  }
}

std::optional<LineReader::Line> LineReader::next() {
  bool too_long = false;
  std::size_t scanned = start_;  // buffer_[start_, scanned) holds no '\n'
  while (true) {
    const std::size_t newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      Line line{++number_, {}, too_long};
      if (!too_long) {
        std::string_view text(buffer_.data() + start_, newline - start_);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        line.too_long = text.size() > max_line_bytes_;
        if (!line.too_long) line.text.assign(text);
      }
      start_ = newline + 1;
      return line;
    }
    // One byte more than the bound may be a '\r' whose '\n' has not been read yet, and the bound
    // is on the text without it: dropping at the bound itself made a line of exactly the bound
    // ending "\r\n" too long or not depending on where a read ended.
    if (buffer_.size() - start_ > max_line_bytes_ + 1) {
      // Drop what is held of the line, remembering that it was too long.
      too_long = true;
      start_ = buffer_.size();
    }
    const std::size_t pending = buffer_.size() - start_;  // fill() moves these to the front
    if (!fill()) {
      if (interrupted_) return std::nullopt;
      if (start_ == buffer_.size() && !too_long) return std::nullopt;
      Line line{++number_, {}, too_long};
      if (!too_long) {
        std::string_view text(buffer_.data() + start_, buffer_.size() - start_);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        line.too_long = text.size() > max_line_bytes_;  // held: up to the bound plus one byte
        if (!line.too_long) line.text.assign(text);
      }
      start_ = buffer_.size();
      return line;
    }
    scanned = pending;
  }
}

std::optional<std::size_t> count_lines(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  std::array<char, kReadSize> chunk{};
  std::size_t lines = 0;
  char last = '\n';
  while (true) {
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ::close(fd);
      if (got < 0) return std::nullopt;
      return lines + (last != '\n' ? 1 : 0);
    }
    for (ssize_t i = 0; i < got; ++i) lines += chunk[static_cast<std::size_t>(i)] == '\n' ? 1 : 0;
    last = chunk[static_cast<std::size_t>(got - 1)];
  }
}

}  // namespace llmm::cli
