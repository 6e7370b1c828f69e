// The message rules (message_rules.hpp) and validate_message.
#include "message/message_rules.hpp"

#include <llmm/exceptions.hpp>
#include <llmm/file_type.hpp>
#include <llmm/message_builder.hpp>

#include "core/overloaded.hpp"
#include "message/content_match.hpp"

#include <algorithm>
#include <type_traits>

namespace llmm::message {
namespace {

using core::Overloaded;

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

void check_format(std::string_view subject, std::string_view format, Modality modality,
                  std::string_view kind, std::string_view allowed) {
  const auto parsed = file_format_from_string(format);
  if (!parsed || modality_of(*parsed) != modality) {
    const bool vowel = !kind.empty() && kind.front() == 'i';
    fail(subject, "'" + std::string(format) + "' is not " + (vowel ? "an " : "a ") +
                      std::string(kind) + " format Bedrock takes (" + std::string(allowed) + ")");
  }
}

std::string size_rule(std::size_t size, std::size_t limit, std::string_view what,
                      std::string_view field) {
  return std::to_string(size) + " bytes is over the " + std::to_string(limit) + "-byte limit for " +
         std::string(what) + lift_hint(field);
}

constexpr std::string_view kImageFormats = "png, jpeg, gif, webp";
constexpr std::string_view kDocumentFormats = "pdf, csv, doc, docx, xls, xlsx, html, txt, md";
constexpr std::string_view kVideoFormats = "mkv, mov, mp4, webm, flv, mpeg, mpg, wmv, three_gp";

struct Counts {
  std::size_t images = 0;
  std::size_t documents = 0;
  std::size_t top_level_documents = 0;
  bool has_text = false;
};

void check_tool_result(std::string_view subject, const ToolResultBlock& result,
                       const MessageLimits& limits, Counts& counts) {
  check_tool_identifier(subject, "toolUseId", result.tool_use_id);
  if (result.content.empty()) fail(subject, "a tool result needs at least one content block");
  if (result.status && *result.status != "success" && *result.status != "error") {
    fail(subject, "tool result status '" + *result.status + "' is neither success nor error");
  }
  std::size_t index = 0;
  for (const ToolResultContentBlock& part : result.content) {
    ++index;
    const std::string part_subject = std::string(subject) + ", content " + std::to_string(index);
    std::visit(Overloaded{
                   [&](const JsonValue&) {},
                   [&](const TextBlock& text) { check_text(part_subject, "text", text.text); },
                   [&](const ImageBlock& image) {
                     ++counts.images;
                     check_image(part_subject + " (image " + image.format + ")", image, limits);
                   },
                   [&](const DocumentBlock& document) {
                     ++counts.documents;
                     check_document(
                         part_subject + " (document " + document.format.value_or("") + ")",
                         document, limits);
                   },
                   [&](const VideoBlock& video) {
                     check_video(part_subject + " (video " + video.format + ")", video, limits);
                   },
                   [&](const SearchResultBlock&) {},
               },
               part);
  }
}

void check_block(std::string_view subject, const ContentBlock& block, Role role,
                 const MessageLimits& limits, Counts& counts) {
  const bool user = role == Role::User;
  std::visit(
      Overloaded{
          [&](const TextBlock& text) {
            check_text(subject, "text", text.text);
            counts.has_text = true;
          },
          [&](const ImageBlock& image) {
            if (!user) fail(subject, "images belong in user messages only");
            ++counts.images;
            check_image(subject, image, limits);
          },
          [&](const DocumentBlock& document) {
            if (!user) fail(subject, "documents belong in user messages only");
            ++counts.documents;
            ++counts.top_level_documents;
            check_document(subject, document, limits);
          },
          [&](const VideoBlock& video) { check_video(subject, video, limits); },
          [&](const AudioBlock& audio) {
            if (audio.format.empty()) fail(subject, "an audio block needs a format");
            if (const auto* s3 = std::get_if<S3Location>(&audio.source))
              check_s3_location(subject, *s3);
          },
          [&](const ToolUseBlock& tool_use) {
            if (user) fail(subject, "tool use belongs in assistant messages only");
            check_tool_identifier(subject, "toolUseId", tool_use.tool_use_id);
            check_tool_identifier(subject, "tool name", tool_use.name);
            if (!tool_use.input.is_object()) fail(subject, "tool use input must be a JSON object");
          },
          [&](const ToolResultBlock& result) {
            if (!user) fail(subject, "tool results belong in user messages only");
            check_tool_result(subject, result, limits, counts);
          },
          [&](const GuardContentBlock& guard) {
            std::visit(Overloaded{
                           [&](const GuardContentText& text) {
                             check_text(subject, "guard content text", text.text);
                             for (const std::string& qualifier : text.qualifiers) {
                               if (qualifier != "grounding_source" && qualifier != "query" &&
                                   qualifier != "guard_content") {
                                 fail(subject, "guard content qualifier '" + qualifier +
                                                   "' is not grounding_source, query or "
                                                   "guard_content");
                               }
                             }
                           },
                           [&](const GuardContentImage& image) {
                             if (image.format != "png" && image.format != "jpeg") {
                               fail(subject, "a guard content image must be png or jpeg, not '" +
                                                 image.format + "'");
                             }
                             if (image.bytes.empty()) fail(subject, "the image has no bytes");
                             if (image.bytes.size() > limits.max_image_bytes) {
                               fail(subject, size_rule(image.bytes.size(), limits.max_image_bytes,
                                                       "images", "max_image_bytes"));
                             }
                           },
                       },
                       guard.content);
          },
          [&](const CachePointBlock& cache_point) { check_cache_point(subject, cache_point); },
          [&](const ReasoningContentBlock& reasoning) {
            if (user) fail(subject, "reasoning content belongs in assistant messages only");
            std::visit(Overloaded{
                           [&](const ReasoningTextBlock& text) {
                             if (text.text.empty()) fail(subject, "reasoning text is empty");
                             check_text(subject, "reasoning text", text.text);
                             if (text.signature && !is_valid_utf8(*text.signature)) {
                               fail(subject, "the reasoning signature is not valid UTF-8");
                             }
                           },
                           [&](const RedactedReasoning& redacted) {
                             if (redacted.bytes.empty()) {
                               fail(subject, "redacted reasoning content is empty");
                             }
                           },
                       },
                       reasoning.content);
          },
          [&](const CitationsContentBlock& citations) {
            if (user) fail(subject, "citations content belongs in assistant messages only");
            for (const std::string& text : citations.content) {
              if (!is_valid_utf8(text)) fail(subject, "citations content text is not valid UTF-8");
            }
          },
          [&](const SearchResultBlock&) {},
          [&](const UnknownBlock&) {},
      },
      block);
}

}  // namespace

void fail(std::string_view subject, std::string_view rule) {
  throw RequestValidationError(std::string(subject) + ": " + std::string(rule));
}

std::string lift_hint(std::string_view field) {
  return " (MessageLimits::" + std::string(field) +
         "; raise it to lift the limit for a model that takes more)";
}

std::string describe_block(const ContentBlock& block) {
  return std::visit(
      Overloaded{
          [](const TextBlock&) { return std::string("text"); },
          [](const ImageBlock& b) { return "image " + b.format; },
          [](const DocumentBlock& b) { return "document " + b.format.value_or("(no format)"); },
          [](const VideoBlock& b) { return "video " + b.format; },
          [](const AudioBlock& b) { return "audio " + b.format; },
          [](const ToolUseBlock&) { return std::string("tool use"); },
          [](const ToolResultBlock&) { return std::string("tool result"); },
          [](const GuardContentBlock&) { return std::string("guard content"); },
          [](const CachePointBlock&) { return std::string("cache point"); },
          [](const ReasoningContentBlock&) { return std::string("reasoning content"); },
          [](const CitationsContentBlock&) { return std::string("citations content"); },
          [](const SearchResultBlock&) { return std::string("search result"); },
          [](const UnknownBlock& b) { return "unknown block " + b.key; },
      },
      block);
}

void check_text(std::string_view subject, std::string_view what, std::string_view text) {
  if (is_blank(text)) fail(subject, std::string(what) + " is empty or blank");
  if (!is_valid_utf8(text)) fail(subject, std::string(what) + " is not valid UTF-8");
}

void check_s3_location(std::string_view subject, const S3Location& location) {
  constexpr std::string_view kScheme = "s3://";
  const std::string_view uri = location.uri;
  if (uri.substr(0, kScheme.size()) != kScheme) {
    fail(subject, "S3 URI '" + location.uri + "' must start with s3://");
  }
  const std::string_view rest = uri.substr(kScheme.size());
  const auto slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 >= rest.size()) {
    fail(subject, "S3 URI '" + location.uri + "' must be s3://bucket/key");
  }
  if (location.bucket_owner) {
    const std::string& owner = *location.bucket_owner;
    if (owner.size() != 12 ||
        !std::all_of(owner.begin(), owner.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      fail(subject, "bucket owner '" + owner + "' is not a 12-digit AWS account id");
    }
  }
}

void check_image(std::string_view subject, const ImageBlock& image, const MessageLimits& limits) {
  check_format(subject, image.format, Modality::Image, "image", kImageFormats);
  if (const auto* bytes = std::get_if<std::string>(&image.source)) {
    if (bytes->empty()) fail(subject, "the image has no bytes");
    if (bytes->size() > limits.max_image_bytes) {
      fail(subject, size_rule(bytes->size(), limits.max_image_bytes, "images", "max_image_bytes"));
    }
  } else {
    check_s3_location(subject, std::get<S3Location>(image.source));
  }
}

void check_document(std::string_view subject, const DocumentBlock& document,
                    const MessageLimits& limits) {
  if (document.format) {
    check_format(subject, *document.format, Modality::Document, "document", kDocumentFormats);
  }
  if (document.name.empty()) fail(subject, "a document needs a name");
  if (document.name.size() > limits.max_document_name_chars) {
    fail(subject, "document name of " + std::to_string(document.name.size()) +
                      " characters is over the " + std::to_string(limits.max_document_name_chars) +
                      "-character limit" + lift_hint("max_document_name_chars"));
  }
  if (sanitize_document_name(document.name, limits.max_document_name_chars) != document.name) {
    fail(subject, "document name '" + document.name +
                      "' may hold only letters, digits, single spaces, hyphens, parentheses and "
                      "square brackets (sanitize_document_name gives '" +
                      sanitize_document_name(document.name, limits.max_document_name_chars) + "')");
  }
  if (document.context) check_text(subject, "document context", *document.context);
  std::visit(
      Overloaded{
          [&](const std::string& bytes) {
            if (!document.format) fail(subject, "a document sent as bytes needs a format");
            if (bytes.empty()) fail(subject, "the document has no bytes");
            if (bytes.size() > limits.max_document_bytes) {
              fail(subject, size_rule(bytes.size(), limits.max_document_bytes, "documents",
                                      "max_document_bytes"));
            }
          },
          [&](const S3Location& s3) {
            if (!document.format) fail(subject, "a document in S3 needs a format");
            check_s3_location(subject, s3);
          },
          [&](const DocumentTextSource& text) { check_text(subject, "document text", text.text); },
          [&](const DocumentContentSource& content) {
            if (content.text_blocks.empty()) fail(subject, "document content is empty");
            for (const std::string& text : content.text_blocks) {
              check_text(subject, "document content text", text);
            }
          },
      },
      document.source);
}

void check_video(std::string_view subject, const VideoBlock& video, const MessageLimits& limits) {
  check_format(subject, video.format, Modality::Video, "video", kVideoFormats);
  if (const auto* bytes = std::get_if<std::string>(&video.source)) {
    if (bytes->empty()) fail(subject, "the video has no bytes");
    const std::size_t encoded = base64_size(bytes->size());
    if (encoded >= limits.max_inline_video_base64_bytes) {
      fail(subject, std::to_string(bytes->size()) + " bytes (" + std::to_string(encoded) +
                        " once base64-encoded) is not under the " +
                        std::to_string(limits.max_inline_video_base64_bytes) +
                        "-byte limit for inline video; upload it to S3 and use add_video_s3 "
                        "(up to 1 GB)" +
                        lift_hint("max_inline_video_base64_bytes"));
    }
  } else {
    check_s3_location(subject, std::get<S3Location>(video.source));
  }
}

void check_cache_point(std::string_view subject, const CachePointBlock& cache_point) {
  if (cache_point.type != "default") {
    fail(subject, "cache point type '" + cache_point.type + "' is not 'default'");
  }
  if (cache_point.ttl && *cache_point.ttl != "5m" && *cache_point.ttl != "1h") {
    fail(subject, "cache point TTL '" + *cache_point.ttl + "' is not 5m or 1h");
  }
}

void check_tool_identifier(std::string_view subject, std::string_view what, std::string_view id) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (!ok) {
    fail(subject, std::string(what) + " '" + std::string(id) +
                      "' must be 1-64 letters, digits, underscores or hyphens");
  }
}

void validate(const Message& message, const MessageLimits& limits,
              const std::vector<std::string>& subjects) {
  const std::string role = message.role == Role::User ? "user" : "assistant";
  if (message.content.empty())
    fail(role + " message", "a message needs at least one content block");
  if (message.content.size() > limits.max_blocks_per_message) {
    fail(role + " message", std::to_string(message.content.size()) + " blocks is over the " +
                                std::to_string(limits.max_blocks_per_message) +
                                "-block limit per message" + lift_hint("max_blocks_per_message"));
  }
  if (std::holds_alternative<CachePointBlock>(message.content.front())) {
    fail("block 1 (cache point)", "a cache point cannot be the first block of a message");
  }
  Counts counts;
  for (std::size_t i = 0; i < message.content.size(); ++i) {
    const ContentBlock& block = message.content[i];
    std::string subject = "block " + std::to_string(i + 1) + " (" + describe_block(block) + ")";
    if (i < subjects.size() && !subjects[i].empty()) subject = subjects[i];
    check_block(subject, block, message.role, limits, counts);
  }
  if (counts.images > limits.max_images_per_message) {
    fail(role + " message", std::to_string(counts.images) + " images is over the " +
                                std::to_string(limits.max_images_per_message) +
                                "-image limit per message" + lift_hint("max_images_per_message"));
  }
  if (counts.documents > limits.max_documents_per_message) {
    fail(role + " message", std::to_string(counts.documents) + " documents is over the " +
                                std::to_string(limits.max_documents_per_message) +
                                "-document limit per message" +
                                lift_hint("max_documents_per_message"));
  }
  if (limits.require_text_with_documents && counts.top_level_documents > 0 && !counts.has_text) {
    fail(role + " message", "a message with documents needs a text block beside them" +
                                lift_hint("require_text_with_documents"));
  }
}

}  // namespace llmm::message

namespace llmm {

void validate_message(const Message& message, const MessageLimits& limits) {
  message::validate(message, limits, {});
}

}  // namespace llmm
