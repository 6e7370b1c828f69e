// docx and xlsx: a ZIP archive whose local file headers name the Office Open XML parts
// ([Content_Types].xml, word/..., xl/...). The headers are walked from the start (no central
// directory needed, so a truncated file still tells what it is).
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

namespace llmm::message {
namespace {

constexpr std::string_view kLocalHeader = "PK\x03\x04";
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kMaxEntries = 4096;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::optional<ContentMatch> inspect_zip(std::string_view bytes) {
  std::size_t at = 0;
  bool content_types = false;
  std::string first_entry;
  std::string word_entry;
  std::string excel_entry;
  std::string powerpoint_entry;
  for (std::size_t entries = 0; entries < kMaxEntries && has_at(bytes, at, kLocalHeader);
       ++entries) {
    const auto flags = read_u16le(bytes, at + 6);
    const auto compressed = read_u32le(bytes, at + 18);
    const auto name_length = read_u16le(bytes, at + 26);
    const auto extra_length = read_u16le(bytes, at + 28);
    if (!flags || !compressed || !name_length || !extra_length) break;
    const std::size_t name_at = at + kLocalHeaderSize;
    if (name_at + *name_length > bytes.size()) break;
    const std::string_view name = bytes.substr(name_at, *name_length);
    if (first_entry.empty()) first_entry = std::string(name);
    if (name == "[Content_Types].xml") content_types = true;
    if (word_entry.empty() && starts_with(name, "word/")) word_entry = std::string(name);
    if (excel_entry.empty() && starts_with(name, "xl/")) excel_entry = std::string(name);
    if (powerpoint_entry.empty() && starts_with(name, "ppt/")) powerpoint_entry = std::string(name);
    if (!word_entry.empty() || !excel_entry.empty()) break;

    const std::size_t data_at = name_at + *name_length + *extra_length;
    const bool sizes_follow = (*flags & 0x0008u) != 0 && *compressed == 0;
    if (sizes_follow || *compressed == 0xFFFFFFFFu) {
      // The size is in a data descriptor (or a ZIP64 field) after the data: find the next header.
      const std::size_t next = bytes.find(kLocalHeader, data_at);
      if (next == std::string_view::npos) break;
      at = next;
    } else {
      at = data_at + *compressed;
    }
  }

  if (!word_entry.empty()) {
    return ContentMatch{FileFormat::Docx, 0.95, "ZIP entry " + word_entry, {FileFormat::Docx}};
  }
  if (!excel_entry.empty()) {
    return ContentMatch{FileFormat::Xlsx, 0.95, "ZIP entry " + excel_entry, {FileFormat::Xlsx}};
  }
  if (!powerpoint_entry.empty()) {
    return ContentMatch{FileFormat::Unknown,
                        0.0,
                        "ZIP entry " + powerpoint_entry + ": a PowerPoint document (pptx)",
                        {},
                        true};
  }
  if (content_types) {
    // An Office Open XML package cut short before its word/ or xl/ parts.
    return ContentMatch{FileFormat::Docx,
                        0.6,
                        "ZIP entry [Content_Types].xml (Office Open XML; no word/ or xl/ entry "
                        "in the bytes given)",
                        {FileFormat::Docx, FileFormat::Xlsx}};
  }
  if (!first_entry.empty()) {
    return ContentMatch{
        FileFormat::Unknown,
        0.0,
        "ZIP archive (first entry '" + first_entry + "'), not an Office Open XML document",
        {},
        true};
  }
  return std::nullopt;
}

}  // namespace llmm::message
