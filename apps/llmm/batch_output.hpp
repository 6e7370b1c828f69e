#pragma once
// Where `llmm batch` writes its records, crash-safe: one record a line, each written whole with
// a single write(2) on a descriptor opened O_APPEND, as its answer arrives, so a process killed
// at any moment (kill -9 included) leaves only whole lines behind, and what a line says is on
// disk before the next request is taken. --resume reads the ids already written back.
// Not synchronized: one thread writes.

#include "id_digest_set.hpp"

#include <cstddef>
#include <map>
#include <string>

namespace llmm::cli {

class BatchOutput {
 public:
  enum class Mode {
    Fresh,      // a new or empty file; an existing non-empty one is refused
    Append,     // --resume: keep what is there
    Overwrite,  // --overwrite: truncate
  };
  // `path` "-" is standard output (Fresh only). Throws std::invalid_argument naming the path
  // for an existing non-empty file in Fresh mode, std::system_error when it cannot be opened.
  BatchOutput(const std::string& path, Mode mode);
  ~BatchOutput();
  BatchOutput(const BatchOutput&) = delete;
  BatchOutput& operator=(const BatchOutput&) = delete;

  // Writes `record` and a '\n' in one write(2). Throws std::system_error (disk full, a closed
  // pipe) naming the path.
  void write_line(const std::string& record);
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool owned_ = false;
  std::string line_;  // reused: record + '\n'
};

// What --resume finds in an existing output file.
struct ResumeScan {
  std::size_t records = 0;         // each one's id added to the set as IdDigestSet::Origin::Written
  std::size_t unreadable = 0;      // whole lines that are not a record with an id (left in place)
  bool torn_tail_removed = false;  // a last line without '\n' (a write cut short) was cut off
};
// Reads `path` (a missing file is an empty scan), adding the ids of its records to `ids`. A last
// line without its '\n' is truncated away, so new records start on a line of their own. Throws
// std::system_error when the file cannot be read or truncated.
[[nodiscard]] ResumeScan scan_for_resume(const std::string& path, IdDigestSet& ids);

// Records in the order --ordered asks for: each record carries the sequence number its line
// was given, and goes out once every earlier one has (a skipped number is one that will never
// be written, e.g. a request cancelled by a signal, left for --resume). Unordered, each record
// goes out at once. What waits is held as text: at most the records finished behind the oldest
// one still in flight.
class RecordWriter {
 public:
  RecordWriter(BatchOutput& output, bool ordered) : output_(output), ordered_(ordered) {}
  void put(std::size_t sequence, std::string record);
  void skip(std::size_t sequence);
  [[nodiscard]] std::size_t written() const noexcept { return written_; }
  [[nodiscard]] std::size_t waiting() const noexcept { return waiting_.size(); }

 private:
  void drain();

  BatchOutput& output_;
  bool ordered_;
  std::size_t next_ = 0;
  std::size_t written_ = 0;
  std::map<std::size_t, std::string> waiting_;  // an empty string: skipped
};

}  // namespace llmm::cli
