#pragma once
// Reading an attachment from disk, with errors that name the file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace llmm::message {

struct FileBytes {
  std::string bytes;        // the whole file, or its first `max_bytes` when larger
  std::uintmax_t size = 0;  // the file's size
  [[nodiscard]] bool complete() const noexcept { return bytes.size() == size; }
};

// Throws RequestValidationError "<path>: no such file", "<path>: not a regular file" or
// "<path>: cannot be read (<reason>)".
FileBytes read_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace llmm::message
