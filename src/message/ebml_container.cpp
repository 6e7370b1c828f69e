// mkv and webm: an EBML header (1A 45 DF A3) whose DocType element (ID 0x4282) says "matroska" or
// "webm". The header's child elements are walked with their variable-length sizes, bounded by the
// header and by the bytes given.
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

namespace llmm::message {
namespace {

constexpr std::uint32_t kDocTypeId = 0x4282;

struct VarInt {
  std::uint64_t value = 0;
  std::size_t length = 0;
  bool all_ones = false;  // "unknown size"
};

// An EBML variable-length integer at `at`; `keep_marker` for element IDs.
std::optional<VarInt> read_varint(std::string_view bytes, std::size_t at, bool keep_marker) {
  if (at >= bytes.size()) return std::nullopt;
  const std::uint8_t first = byte_at(bytes, at);
  std::size_t length = 1;
  while (length <= 8 && (first & (0x80u >> (length - 1))) == 0) ++length;
  if (length > 8 || bytes.size() - at < length) return std::nullopt;
  VarInt out;
  out.length = length;
  const std::uint8_t marker = static_cast<std::uint8_t>(0x80u >> (length - 1));
  std::uint64_t value = keep_marker ? first : static_cast<std::uint64_t>(first & (marker - 1u));
  bool ones = (first & (marker - 1u)) == static_cast<std::uint8_t>(marker - 1u);
  for (std::size_t i = 1; i < length; ++i) {
    value = (value << 8) | byte_at(bytes, at + i);
    ones = ones && byte_at(bytes, at + i) == 0xFF;
  }
  out.value = value;
  out.all_ones = ones;
  return out;
}

}  // namespace

std::optional<ContentMatch> inspect_ebml(std::string_view bytes) {
  const auto header_size = read_varint(bytes, 4, false);
  ContentMatch fallback{FileFormat::Mkv,
                        0.7,
                        "EBML header without a DocType (Matroska's default is matroska)",
                        {FileFormat::Mkv, FileFormat::Webm}};
  if (!header_size) {
    fallback.evidence = "EBML signature 1A 45 DF A3 (header cut short)";
    return fallback;
  }
  std::size_t at = 4 + header_size->length;
  std::size_t end = bytes.size();
  if (!header_size->all_ones && header_size->value < end - at) end = at + header_size->value;
  const std::string_view header = bytes.substr(0, end);
  while (at < header.size()) {
    const auto id = read_varint(header, at, true);
    if (!id) break;
    const auto size = read_varint(header, at + id->length, false);
    if (!size || size->all_ones) break;
    const std::size_t data_at = at + id->length + size->length;
    if (data_at > header.size() || size->value > header.size() - data_at) break;
    if (id->value == kDocTypeId) {
      std::string doc_type(header.substr(data_at, size->value));
      while (!doc_type.empty() && doc_type.back() == '\0') doc_type.pop_back();
      const std::string evidence = "EBML DocType '" + doc_type + "'";
      if (doc_type == "webm")
        return ContentMatch{FileFormat::Webm, 0.95, evidence, {FileFormat::Webm}};
      if (doc_type == "matroska")
        return ContentMatch{FileFormat::Mkv, 0.95, evidence, {FileFormat::Mkv}};
      return ContentMatch{
          FileFormat::Unknown, 0.0, evidence + ", neither matroska nor webm", {}, true};
    }
    at = data_at + size->value;
  }
  return fallback;
}

}  // namespace llmm::message
