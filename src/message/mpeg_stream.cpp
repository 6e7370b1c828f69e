// mpeg and mpg (the same thing under two names; the extension picks one): an MPEG program stream
// pack header (00 00 01 BA, MPEG-1 or MPEG-2 by its marker bits) or an MPEG video elementary
// stream's sequence header (00 00 01 B3).
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

namespace llmm::message {

std::optional<ContentMatch> inspect_mpeg(std::string_view bytes) {
  const std::vector<FileFormat> family{FileFormat::Mpeg, FileFormat::Mpg};
  if (bytes.size() < 5) {
    return ContentMatch{FileFormat::Mpeg, 0.6, "MPEG start code " + hex_prefix(bytes, 4), family};
  }
  const std::uint8_t next = byte_at(bytes, 4);
  if (byte_at(bytes, 3) == 0xBA) {
    if ((next & 0xC4u) == 0x44u) {
      return ContentMatch{FileFormat::Mpeg, 0.9, "MPEG-2 program stream pack header", family};
    }
    if ((next & 0xF1u) == 0x21u) {
      return ContentMatch{FileFormat::Mpeg, 0.9, "MPEG-1 program stream pack header", family};
    }
    return ContentMatch{FileFormat::Mpeg, 0.6, "MPEG pack start code with unexpected marker bits",
                        family};
  }
  return ContentMatch{FileFormat::Mpeg, 0.85, "MPEG video sequence header", family};
}

}  // namespace llmm::message
