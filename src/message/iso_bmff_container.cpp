// mp4, mov and three_gp: an ISO base media file (or QuickTime) starting with an ftyp box whose
// major brand, or failing that a compatible brand, says which: "qt  " is QuickTime, "3g*" 3GPP,
// isom/mp41/mp42/avc1/M4V/dash/... MPEG-4. Image and audio brands (heic, avif, M4A) are
// recognised as formats Bedrock does not take as video.
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

#include <array>

namespace llmm::message {
namespace {

enum class Brand { Other, Mov, ThreeGp, Mp4, Unsupported };

Brand classify(std::string_view brand) {
  constexpr std::array<std::string_view, 17> kMp4{"mp41", "mp42", "mp71", "avc1", "M4V ", "M4VH",
                                                  "M4VP", "dash", "mmp4", "MSNV", "f4v ", "F4V ",
                                                  "XAVC", "CAEP", "mp4v", "nvr1", "MP4 "};
  constexpr std::array<std::string_view, 12> kUnsupported{"heic", "heix", "heim", "heis",
                                                          "mif1", "msf1", "avif", "avis",
                                                          "M4A ", "M4B ", "M4P ", "jp2 "};
  if (brand == "qt  ") return Brand::Mov;
  if (brand.substr(0, 2) == "3g") return Brand::ThreeGp;
  if (brand.substr(0, 3) == "iso") return Brand::Mp4;
  for (const auto known : kMp4) {
    if (brand == known) return Brand::Mp4;
  }
  for (const auto known : kUnsupported) {
    if (brand == known) return Brand::Unsupported;
  }
  return Brand::Other;
}

std::optional<ContentMatch> match_brand(std::string_view brand, double confidence,
                                        const std::string& evidence) {
  switch (classify(brand)) {
    case Brand::Mov: return ContentMatch{FileFormat::Mov, confidence, evidence, {FileFormat::Mov}};
    case Brand::ThreeGp:
      return ContentMatch{FileFormat::ThreeGp, confidence, evidence, {FileFormat::ThreeGp}};
    case Brand::Mp4: return ContentMatch{FileFormat::Mp4, confidence, evidence, {FileFormat::Mp4}};
    case Brand::Unsupported:
      return ContentMatch{
          FileFormat::Unknown, 0.0, evidence + " (not a video format Bedrock takes)", {}, true};
    case Brand::Other: break;
  }
  return std::nullopt;
}

std::string printable(std::string_view brand) {
  std::string out;
  for (const char c : brand) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

}  // namespace

std::optional<ContentMatch> inspect_iso_bmff(std::string_view bytes) {
  if (bytes.size() < 12) {
    return ContentMatch{FileFormat::Mp4,
                        0.5,
                        "ftyp box cut short before its brand",
                        {FileFormat::Mp4, FileFormat::Mov, FileFormat::ThreeGp}};
  }
  const std::string_view major = bytes.substr(8, 4);
  if (auto match = match_brand(major, 0.95, "ftyp major brand '" + printable(major) + "'")) {
    return match;
  }
  const auto box_size = read_u32be(bytes, 0).value_or(0);
  const std::size_t end = std::min<std::size_t>(bytes.size(), box_size);
  for (std::size_t at = 16; at + 4 <= end; at += 4) {
    const std::string_view brand = bytes.substr(at, 4);
    if (auto match = match_brand(brand, 0.85,
                                 "ftyp compatible brand '" + printable(brand) + "' (major '" +
                                     printable(major) + "')")) {
      return match;
    }
  }
  return ContentMatch{FileFormat::Mp4,
                      0.5,
                      "ftyp box with unrecognised brand '" + printable(major) + "'",
                      {FileFormat::Mp4, FileFormat::Mov, FileFormat::ThreeGp}};
}

}  // namespace llmm::message
