// wmv: an ASF file (header object GUID 75B22630-668E-11CF-A6D9-00AA0062CE6C) whose header holds a
// stream of the video media type (GUID BC19EFC0-5B4D-11CF-A8FD-00805F5CF61F). An ASF file with
// only audio streams is WMA, which Bedrock does not take as video.
#include "message/byte_view.hpp"
#include "message/content_match.hpp"

namespace llmm::message {
namespace {

using namespace std::string_view_literals;

// GUIDs as stored on disk (the first three fields little-endian).
constexpr std::string_view kVideoMedia =
    "\xC0\xEF\x19\xBC\x4D\x5B\xCF\x11\xA8\xFD\x00\x80\x5F\x5C\xF6\x1F"sv;
constexpr std::string_view kAudioMedia =
    "\x40\x9E\x69\xF8\x4D\x5B\xCF\x11\xA8\xFD\x00\x80\x5F\x5C\x44\x2B"sv;
constexpr std::size_t kHeaderObjectSizeAt = 16;

}  // namespace

std::optional<ContentMatch> inspect_asf(std::string_view bytes) {
  const auto header_size = read_u64le(bytes, kHeaderObjectSizeAt);
  std::string_view header = bytes;
  if (header_size && *header_size < bytes.size()) header = bytes.substr(0, *header_size);
  if (header.find(kVideoMedia) != std::string_view::npos) {
    return ContentMatch{FileFormat::Wmv, 0.95, "ASF header with a video stream", {FileFormat::Wmv}};
  }
  if (header.find(kAudioMedia) != std::string_view::npos) {
    return ContentMatch{
        FileFormat::Unknown, 0.0, "ASF header with only audio streams (WMA, not video)", {}, true};
  }
  return ContentMatch{FileFormat::Wmv,
                      0.75,
                      "ASF header object GUID (no stream properties seen)",
                      {FileFormat::Wmv}};
}

}  // namespace llmm::message
