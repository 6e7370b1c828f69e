// doc and xls: an OLE compound file (CFB) whose directory holds a "WordDocument" stream (Word) or
// a "Workbook"/"Book" stream (Excel 97+/5). Directory entries are 128-byte records aligned within
// sectors, so they are found by scanning the aligned offsets after the header for a stream entry
// with one of those names (no FAT chain to follow, so a file cut short still tells what it is).
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

#include <array>

namespace llmm::message {
namespace {

constexpr std::size_t kEntrySize = 128;
constexpr std::uint8_t kStreamObject = 2;

// The entry at `at` is a stream named `name` (UTF-16LE, NUL-terminated, length in bytes at +64).
bool is_stream_named(std::string_view bytes, std::size_t at, std::string_view name) {
  const auto length = read_u16le(bytes, at + 64);
  if (!length || *length != (name.size() + 1) * 2) return false;
  if (at + 66 >= bytes.size() || byte_at(bytes, at + 66) != kStreamObject) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (bytes[at + 2 * i] != name[i] || bytes[at + 2 * i + 1] != '\0') return false;
  }
  return true;
}

}  // namespace

std::optional<ContentMatch> inspect_ole(std::string_view bytes) {
  const auto shift = read_u16le(bytes, 0x1E);
  std::size_t sector_size = 512;
  if (shift && (*shift == 9 || *shift == 12)) sector_size = std::size_t{1} << *shift;

  struct Known {
    std::string_view stream;
    FileFormat format;
    bool supported;
  };
  constexpr std::array<Known, 4> kStreams{{
      {"WordDocument", FileFormat::Doc, true},
      {"Workbook", FileFormat::Xls, true},
      {"Book", FileFormat::Xls, true},
      {"PowerPoint Document", FileFormat::Unknown, false},
  }};
  for (std::size_t at = sector_size; at + kEntrySize <= bytes.size(); at += kEntrySize) {
    for (const Known& known : kStreams) {
      if (!is_stream_named(bytes, at, known.stream)) continue;
      const std::string evidence =
          "OLE compound file with a '" + std::string(known.stream) + "' stream";
      if (!known.supported)
        return ContentMatch{FileFormat::Unknown, 0.0, evidence + " (ppt)", {}, true};
      return ContentMatch{known.format, 0.9, evidence, {known.format}};
    }
  }
  // An OLE file whose directory was not in the bytes given: Word or Excel, as the extension says.
  return ContentMatch{FileFormat::Doc,
                      0.6,
                      "OLE compound file signature D0 CF 11 E0 A1 B1 1A E1 (no Word or Excel "
                      "stream found)",
                      {FileFormat::Doc, FileFormat::Xls}};
}

}  // namespace llmm::message
