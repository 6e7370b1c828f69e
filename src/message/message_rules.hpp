#pragma once
// The rules a message is checked against (validate_message and the builder share them). Each
// check throws RequestValidationError "<subject>: <rule>", where the subject names the file or
// block and its format ("photo.jpg (image png)", "block 3 (document pdf)").

#include <llmm/content_block.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/message_limits.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::message {

[[noreturn]] void fail(std::string_view subject, std::string_view rule);

// "; raise MessageLimits::<field> to lift it for a model that takes more"
std::string lift_hint(std::string_view field);

// Size of `n` bytes once base64-encoded with padding.
constexpr std::size_t base64_size(std::size_t n) noexcept { return (n + 2) / 3 * 4; }

// "image png", "document pdf", "video mp4", "text", "cache point", ...
std::string describe_block(const ContentBlock& block);

void check_text(std::string_view subject, std::string_view what, std::string_view text);
void check_s3_location(std::string_view subject, const S3Location& location);
void check_image(std::string_view subject, const ImageBlock& image, const MessageLimits& limits);
void check_document(std::string_view subject, const DocumentBlock& document,
                    const MessageLimits& limits);
void check_video(std::string_view subject, const VideoBlock& video, const MessageLimits& limits);
void check_cache_point(std::string_view subject, const CachePointBlock& cache_point);
// [a-zA-Z0-9_-]{1,64}
void check_tool_identifier(std::string_view subject, std::string_view what, std::string_view id);

// The whole message; `subjects[i]` (when non-empty) names where block i came from.
void validate(const Message& message, const MessageLimits& limits,
              const std::vector<std::string>& subjects);

}  // namespace llmm::message
