#pragma once
// What the block factories and the builder share: detection of a media file for an expected
// kind, with the errors that name the file, the detected format and the rule.

#include <llmm/content_block.hpp>
#include <llmm/file_type.hpp>
#include <llmm/message_limits.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::message {

// Detects `bytes` and insists on `expected`: throws when the format is unknown, of another kind,
// or (without an explicit format) only suggested by the extension of a format with a signature.
FileTypeDetection detect_media(std::string_view bytes, std::string_view filename,
                               std::optional<FileFormat> explicit_format, Modality expected,
                               std::string_view subject, std::vector<std::string>* warnings);

// "image", "document", "video"
std::string_view kind_name(Modality modality);
// "an image", "a document", "a video"
std::string with_article(std::string_view kind);

// The most bytes a file of `modality` may have inline under `limits`.
std::size_t inline_limit(Modality modality, const MessageLimits& limits);

// How much of a file to read to tell its format.
constexpr std::size_t kDetectionPrefixBytes = 1 << 20;

}  // namespace llmm::message
