#include "message/file_reading.hpp"

#include "message/message_rules.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace llmm::message {

FileBytes read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  const std::string subject = path.string();
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) fail(subject, "no such file");
  if (error) fail(subject, "cannot be read (" + error.message() + ")");
  if (!std::filesystem::is_regular_file(status)) fail(subject, "not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) fail(subject, "cannot be read (" + error.message() + ")");

  std::ifstream in(path, std::ios::binary);
  if (!in) fail(subject, std::string("cannot be read (") + std::strerror(errno) + ")");
  FileBytes out;
  out.size = size;
  out.bytes.resize(static_cast<std::size_t>(std::min<std::uintmax_t>(size, max_bytes)));
  in.read(out.bytes.data(), static_cast<std::streamsize>(out.bytes.size()));
  if (static_cast<std::size_t>(in.gcount()) != out.bytes.size()) {
    fail(subject, "cannot be read (it ended after " + std::to_string(in.gcount()) + " of " +
                      std::to_string(size) + " bytes)");
  }
  return out;
}

}  // namespace llmm::message
