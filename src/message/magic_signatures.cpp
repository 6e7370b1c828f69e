// The signature table: magic bytes at an offset, each with the inspector that confirms it.
// Simple signatures (images, PDF, FLV) are checked here; containers with structure to read have
// their own file (zip_container, ole_container, ebml_container, iso_bmff_container,
// asf_container, mpeg_stream, html_sniffer).
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

#include <cstdio>

namespace llmm::message {
namespace {

using namespace std::string_view_literals;

ContentMatch found(FileFormat format, double confidence, std::string evidence) {
  return ContentMatch{format, confidence, std::move(evidence), {format}, false};
}

std::optional<ContentMatch> inspect_png(std::string_view bytes) {
  std::string evidence = "PNG signature 89 50 4E 47 0D 0A 1A 0A";
  if (has_at(bytes, 12, "IHDR")) evidence += " with IHDR chunk";
  return found(FileFormat::Png, 0.95, std::move(evidence));
}

std::optional<ContentMatch> inspect_jpeg(std::string_view bytes) {
  // FF D8 (start of image) then a marker: FF and a marker code (APPn, DQT, DHT, SOFn, COM, ...).
  if (bytes.size() < 4 || byte_at(bytes, 3) < 0xC0) return std::nullopt;
  std::string evidence = "JPEG start of image FF D8 FF " + hex_prefix(bytes.substr(3), 1);
  if (has_at(bytes, 6, "JFIF"sv)) evidence += " (JFIF)";
  if (has_at(bytes, 6, "Exif"sv)) evidence += " (Exif)";
  return found(FileFormat::Jpeg, 0.95, std::move(evidence));
}

std::optional<ContentMatch> inspect_gif(std::string_view bytes) {
  if (!has_at(bytes, 0, "GIF87a") && !has_at(bytes, 0, "GIF89a")) return std::nullopt;
  return found(FileFormat::Gif, 0.95, "GIF signature " + std::string(bytes.substr(0, 6)));
}

std::optional<ContentMatch> inspect_webp(std::string_view bytes) {
  if (!has_at(bytes, 8, "WEBP")) return std::nullopt;
  std::string evidence = "RIFF container of form WEBP";
  if (has_at(bytes, 12, "VP8")) evidence += " with " + std::string(bytes.substr(12, 4)) + " chunk";
  return found(FileFormat::Webp, 0.95, std::move(evidence));
}

std::optional<ContentMatch> inspect_pdf(std::string_view bytes) {
  std::string evidence = "PDF header %PDF-";
  if (bytes.size() >= 8) evidence += std::string(bytes.substr(5, 3));
  return found(FileFormat::Pdf, 0.95, std::move(evidence));
}

// Readers accept a PDF header within the first 1024 bytes (after junk such as a mail header).
std::optional<ContentMatch> inspect_late_pdf(std::string_view bytes) {
  const std::size_t at = bytes.substr(0, 1024).find("%PDF-");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  return found(FileFormat::Pdf, 0.85, "PDF header %PDF- at offset " + std::to_string(at));
}

std::optional<ContentMatch> inspect_flv(std::string_view bytes) {
  // "FLV", version 1, then flags (audio 0x04 / video 0x01) and a header size of 9.
  std::string evidence = "FLV header version 1";
  if (bytes.size() >= 9 && (byte_at(bytes, 4) & 0x01) != 0) evidence += " with video";
  return found(FileFormat::Flv, 0.95, std::move(evidence));
}

std::optional<ContentMatch> inspect_quicktime_atom(std::string_view bytes) {
  // A QuickTime file from before ftyp: the first atom is moov, mdat, wide, free, skip or pnot.
  const auto size = read_u32be(bytes, 0);
  if (!size || (*size != 1 && *size < 8)) return std::nullopt;
  ContentMatch match =
      found(FileFormat::Mov, 0.6,
            "QuickTime atom '" + std::string(bytes.substr(4, 4)) + "' without ftyp");
  match.family = {FileFormat::Mov, FileFormat::Mp4, FileFormat::ThreeGp};
  return match;
}

std::vector<Signature> make_table() {
  return {
      {"PNG", "\x89PNG\r\n\x1A\n"sv, 0, inspect_png},
      {"JPEG", "\xFF\xD8\xFF"sv, 0, inspect_jpeg},
      {"GIF", "GIF8"sv, 0, inspect_gif},
      {"WEBP", "RIFF"sv, 0, inspect_webp},
      {"PDF", "%PDF-"sv, 0, inspect_pdf},
      {"ZIP local file header", "PK\x03\x04"sv, 0, inspect_zip},
      {"OLE compound file", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, 0, inspect_ole},
      {"EBML", "\x1A\x45\xDF\xA3"sv, 0, inspect_ebml},
      {"ISO BMFF ftyp box", "ftyp"sv, 4, inspect_iso_bmff},
      {"QuickTime moov atom", "moov"sv, 4, inspect_quicktime_atom},
      {"QuickTime mdat atom", "mdat"sv, 4, inspect_quicktime_atom},
      {"QuickTime wide atom", "wide"sv, 4, inspect_quicktime_atom},
      {"QuickTime pnot atom", "pnot"sv, 4, inspect_quicktime_atom},
      {"FLV", "FLV\x01"sv, 0, inspect_flv},
      {"ASF header object", "\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9\x00\xAA\x00\x62\xCE\x6C"sv, 0,
       inspect_asf},
      {"MPEG program stream pack header", "\x00\x00\x01\xBA"sv, 0, inspect_mpeg},
      {"MPEG video sequence header", "\x00\x00\x01\xB3"sv, 0, inspect_mpeg},
      {"HTML markup", ""sv, 0, sniff_html},
      {"PDF header after leading bytes", ""sv, 0, inspect_late_pdf},
  };
}

}  // namespace

std::string hex_prefix(std::string_view bytes, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < count; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned>(byte_at(bytes, i)));
    if (!out.empty()) out += ' ';
    out += hex;
  }
  return out;
}

const std::vector<Signature>& signature_table() {
  static const std::vector<Signature> table = make_table();
  return table;
}

std::optional<ContentMatch> match_content(std::string_view bytes) {
  for (const Signature& signature : signature_table()) {
    if (!signature.magic.empty() && !has_at(bytes, signature.offset, signature.magic)) continue;
    if (auto match = signature.inspect(bytes)) return match;
  }
  return std::nullopt;
}

}  // namespace llmm::message
