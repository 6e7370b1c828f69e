#pragma once
// File formats Bedrock accepts in image, document and video blocks, and their detection from the
// bytes themselves (magic numbers, container structure), with the file name's extension as a
// fallback and a tie-breaker. Detection never throws and never reads past the bytes it is given:
// any byte string gives a format or FileFormat::Unknown.
//
//   const FileTypeDetection found = detect_file_type(bytes, "photo.jpg");
//   found.format       // FileFormat::Png when the bytes are a PNG
//   found.warning      // "photo.jpg: the content is png but the extension says jpeg; ..."

#include <llmm/content_block.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace llmm {

enum class FileFormat {
  Unknown,
  // images
  Png,
  Jpeg,
  Gif,
  Webp,
  // documents
  Pdf,
  Csv,
  Doc,
  Docx,
  Xls,
  Xlsx,
  Html,
  Txt,
  Md,
  // video
  Mkv,
  Mov,
  Mp4,
  Webm,
  Flv,
  Mpeg,
  Mpg,
  Wmv,
  ThreeGp,
};

// The wire name: "png", "jpeg", ..., "three_gp"; "unknown" for Unknown.
[[nodiscard]] std::string_view to_string(FileFormat format) noexcept;
// The inverse of to_string (exact, lower case); nullopt for anything else, "unknown" included.
[[nodiscard]] std::optional<FileFormat> file_format_from_string(std::string_view name) noexcept;
// Image, Document or Video; nullopt for Unknown.
[[nodiscard]] std::optional<Modality> modality_of(FileFormat format) noexcept;
// The format a file name's extension names (case-insensitive: .jpg/.jpeg, .htm/.html,
// .markdown/.md, .3gp, ...); Unknown when there is none or it names no supported format.
[[nodiscard]] FileFormat format_from_extension(std::string_view filename) noexcept;
// csv, txt and md: plain text that no signature tells apart (detected by extension, checked to be
// UTF-8 text).
[[nodiscard]] bool is_plain_text_format(FileFormat format) noexcept;

enum class DetectionMethod {
  None,       // nothing recognised: format is Unknown
  Content,    // the bytes alone
  Extension,  // the file name alone (the bytes said nothing either way)
  Combined,   // the bytes, with the extension agreeing or breaking a tie
  Explicit,   // the caller named the format
};
[[nodiscard]] std::string_view to_string(DetectionMethod method) noexcept;

// A value type: not synchronized. detect_file_type() keeps no state: safe from any thread.
struct FileTypeDetection {
  FileFormat format = FileFormat::Unknown;
  // 0 for Unknown; the signature's confidence (docs/UserGuide.md "Building messages" has the
  // table), combined with an agreeing extension as independent evidence (1 - (1-c)(1-e)), times
  // 0.9 when the extension disagrees, 1 for an explicit format.
  double confidence = 0.0;
  DetectionMethod method = DetectionMethod::None;
  // True when the bytes themselves confirm the format: a signature matched, or (csv, txt, md) the
  // bytes are UTF-8 text. False for an extension-only or explicit answer.
  bool content_confirmed = false;
  // What was seen: "PNG signature 89 50 4E 47 0D 0A 1A 0A", "ZIP entry word/document.xml", ...
  std::string evidence;
  // Set when the content and the extension disagree (the content wins), when only the extension
  // could be used, or when an explicit format contradicts the content.
  std::optional<std::string> warning;

  [[nodiscard]] bool known() const noexcept { return format != FileFormat::Unknown; }
  [[nodiscard]] bool high_confidence() const noexcept { return confidence >= 0.8; }
};

// Detects the format of `bytes`. `filename` (may be empty) gives the extension; `explicit_format`
// overrides detection (the content is still inspected, to warn when it disagrees).
[[nodiscard]] FileTypeDetection detect_file_type(
    std::string_view bytes, std::string_view filename = {},
    std::optional<FileFormat> explicit_format = std::nullopt);

}  // namespace llmm
