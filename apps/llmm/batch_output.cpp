#include "batch_output.hpp"

#include "line_reader.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace llmm::cli {
namespace {

// Resume reads back a file it wrote; lines are bounded by what a record can hold.
constexpr std::size_t kMaxRecordBytes = 256 * 1024 * 1024;

}  // namespace

BatchOutput::BatchOutput(const std::string& path, Mode mode) : path_(path) {
  if (path == "-") {
    if (mode != Mode::Fresh) {
      throw std::invalid_argument("--resume and --overwrite need an output file (-o FILE)");
    }
    fd_ = STDOUT_FILENO;
    return;
  }
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  if (mode == Mode::Overwrite) flags |= O_TRUNC;
  fd_ = ::open(path.c_str(), flags, 0644);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "opening " + path);
  owned_ = true;
  struct stat info {};
  if (mode == Mode::Fresh && ::fstat(fd_, &info) == 0 && info.st_size > 0) {
    ::close(fd_);
    fd_ = -1;
    throw std::invalid_argument("the output " + path +
                                " exists and is not empty: --resume continues it, --overwrite "
                                "replaces it");
  }
}

BatchOutput::~BatchOutput() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

void BatchOutput::write_line(const std::string& record) {
  line_.assign(record);
  line_.push_back('\n');
  std::size_t done = 0;
  // A regular file takes the whole line in one write; a pipe may take it in pieces, and then
  // the pieces follow each other (only this thread writes).
  while (done < line_.size()) {
    const ssize_t written = ::write(fd_, line_.data() + done, line_.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(),
                              "writing " + (path_ == "-" ? std::string("standard output") : path_));
    }
    done += static_cast<std::size_t>(written);
  }
}

ResumeScan scan_for_resume(const std::string& path, IdDigestSet& ids) {
  ResumeScan scan;
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return scan;
    throw std::system_error(errno, std::generic_category(), "opening " + path + " to resume");
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};

  // Where the last whole line ends: anything after it is a torn write.
  struct stat info {};
  if (::fstat(fd, &info) != 0) throw std::system_error(errno, std::generic_category(), path);
  off_t whole_end = info.st_size;
  while (whole_end > 0) {
    char byte = 0;
    if (::pread(fd, &byte, 1, whole_end - 1) != 1) {
      throw std::system_error(errno, std::generic_category(), "reading " + path);
    }
    if (byte == '\n') break;
    --whole_end;
  }
  if (whole_end != info.st_size) {
    if (::ftruncate(fd, whole_end) != 0) {
      throw std::system_error(errno, std::generic_category(), "truncating " + path);
    }
    scan.torn_tail_removed = true;
  }

  LineReader reader(fd, -1, kMaxRecordBytes);
  while (std::optional<LineReader::Line> line = reader.next()) {
    if (line->text.empty()) continue;
    const nlohmann::json record = nlohmann::json::parse(line->text, nullptr, false);
    const auto id = record.is_object() ? record.find("id") : record.end();
    if (record.is_object() && id != record.end() && id->is_string()) {
      ids.insert(id->get_ref<const std::string&>(), IdDigestSet::Origin::Written);
      ++scan.records;
    } else {
      ++scan.unreadable;
    }
  }
  return scan;
}

void RecordWriter::put(std::size_t sequence, std::string record) {
  if (!ordered_) {
    output_.write_line(record);
    ++written_;
    return;
  }
  waiting_.emplace(sequence, std::move(record));
  drain();
}

void RecordWriter::skip(std::size_t sequence) {
  if (!ordered_) return;
  waiting_.emplace(sequence, std::string());
  drain();
}

void RecordWriter::drain() {
  while (!waiting_.empty() && waiting_.begin()->first == next_) {
    auto first = waiting_.begin();
    if (!first->second.empty()) {
      output_.write_line(first->second);
      ++written_;
    }
    waiting_.erase(first);
    ++next_;
  }
}

}  // namespace llmm::cli
