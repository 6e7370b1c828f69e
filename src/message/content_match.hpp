#pragma once
// What one signature inspector found in a byte string.

#include <llmm/file_type.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::message {

struct ContentMatch {
  FileFormat format = FileFormat::Unknown;
  double confidence = 0.0;
  std::string evidence;
  // Formats the bytes cannot tell apart (mpeg/mpg, doc/xls in an OLE file without a Word or
  // Excel stream, ...), `format` among them: the extension chooses among these without a
  // disagreement warning.
  std::vector<FileFormat> family;
  // True when the bytes identify a container whose content is not a supported format (a pptx,
  // an audio-only ASF, a HEIF image): the answer is Unknown even if the extension says otherwise.
  bool unsupported = false;
};

using Inspector = std::function<std::optional<ContentMatch>(std::string_view bytes)>;

// One entry of the signature table: the magic bytes at an offset, and the inspector that confirms
// them and reads the container's structure where one is needed.
struct Signature {
  std::string_view name;   // "PNG", "ZIP local file header", ...
  std::string_view magic;  // empty: the inspector looks for itself (HTML markup)
  std::size_t offset = 0;
  Inspector inspect;
};

// The table, in the order tried (docs/UserGuide.md "Building messages" lists it).
const std::vector<Signature>& signature_table();

// The first inspector that recognises `bytes`; nullopt when none does.
std::optional<ContentMatch> match_content(std::string_view bytes);

// Inspectors with structure to read, one per file.
std::optional<ContentMatch> inspect_zip(std::string_view bytes);       // docx, xlsx
std::optional<ContentMatch> inspect_ole(std::string_view bytes);       // doc, xls
std::optional<ContentMatch> inspect_ebml(std::string_view bytes);      // mkv, webm
std::optional<ContentMatch> inspect_iso_bmff(std::string_view bytes);  // mp4, mov, three_gp
std::optional<ContentMatch> inspect_asf(std::string_view bytes);       // wmv
std::optional<ContentMatch> inspect_mpeg(std::string_view bytes);      // mpeg, mpg
std::optional<ContentMatch> sniff_html(std::string_view bytes);        // html

// Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF) with no NUL and no C0
// control other than tab, newline, carriage return and form feed: what a text document holds.
bool is_utf8_text(std::string_view bytes) noexcept;
// Valid UTF-8, any code points (for strings sent in JSON).
bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace llmm::message
