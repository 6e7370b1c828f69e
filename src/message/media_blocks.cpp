// image_block, document_block, video_block and their *_from_file forms.
#include <llmm/message_builder.hpp>

#include "message/file_reading.hpp"
#include "message/media_blocks.hpp"
#include "message/message_rules.hpp"

namespace llmm {
namespace message {

std::string_view kind_name(Modality modality) {
  switch (modality) {
    case Modality::Image: return "image";
    case Modality::Document: return "document";
    case Modality::Video: return "video";
    case Modality::Audio: return "audio";
    case Modality::Text: break;
  }
  return "text";
}

std::string with_article(std::string_view kind) {
  const bool vowel =
      !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(kind);
}

std::size_t inline_limit(Modality modality, const MessageLimits& limits) {
  switch (modality) {
    case Modality::Image: return limits.max_image_bytes;
    case Modality::Document: return limits.max_document_bytes;
    case Modality::Video:
      // The largest n whose base64 size (4 * ceil(n / 3)) is under the limit, plus one so an
      // oversized file is read far enough to be refused by the same rule as bytes.
      return limits.max_inline_video_base64_bytes / 4 * 3 + 3;
    default: break;
  }
  return 0;
}

FileTypeDetection detect_media(std::string_view bytes, std::string_view filename,
                               std::optional<FileFormat> explicit_format, Modality expected,
                               std::string_view subject, std::vector<std::string>* warnings) {
  const std::string kind(kind_name(expected));
  if (explicit_format) {
    const auto modality = modality_of(*explicit_format);
    if (!modality || *modality != expected) {
      fail(subject, "the format given, " + std::string(to_string(*explicit_format)) + ", is not " +
                        with_article(kind) + " format");
    }
  }
  FileTypeDetection detection = detect_file_type(bytes, filename, explicit_format);
  if (detection.warning && warnings != nullptr) warnings->push_back(*detection.warning);
  if (!detection.known()) {
    fail(subject, "not a supported " + kind +
                      ": the format could not be told from the content or "
                      "the extension (" +
                      detection.evidence +
                      "); name it with the format option if "
                      "it is one");
  }
  const std::string format(to_string(detection.format));
  const Modality found = modality_of(detection.format).value_or(Modality::Text);
  if (found != expected) {
    fail(std::string(subject) + " (detected " + format + ")",
         "is " + with_article(kind_name(found)) + ", not " + with_article(kind) + " (" +
             detection.evidence + ")");
  }
  if (!detection.content_confirmed && detection.method != DetectionMethod::Explicit) {
    fail(std::string(subject) + " (" + format + " by extension)",
         "the content carries no " + format + " signature (" + detection.evidence +
             "); give the format explicitly to send it anyway");
  }
  return detection;
}

}  // namespace message

namespace {

std::string subject_for(const std::string& filename, std::string_view kind) {
  return filename.empty() ? std::string(kind) + " bytes" : filename;
}

std::string with_format(const std::string& subject, std::string_view kind, FileFormat format) {
  return subject + " (" + std::string(kind) + " " + std::string(to_string(format)) + ")";
}

// Reads a file to send inline; one too large is refused before all of it is read, the error
// naming the format detected from what was read.
std::string read_whole(const std::filesystem::path& path, Modality modality,
                       const MessageLimits& limits) {
  const std::size_t limit = message::inline_limit(modality, limits);
  auto file = message::read_file(path, limit + 1);
  if (file.complete() && file.size <= limit) return std::move(file.bytes);
  const FileTypeDetection detection = detect_file_type(file.bytes, path.string());
  const std::string kind(message::kind_name(modality));
  const std::string subject =
      path.string() + " (" + kind + " " + std::string(to_string(detection.format)) + ")";
  if (modality == Modality::Video) {
    message::fail(subject, std::to_string(file.size) +
                               " bytes is too large to send inline (under " +
                               std::to_string(limits.max_inline_video_base64_bytes) +
                               " bytes once base64-encoded); upload it to S3 and use add_video_s3 "
                               "(up to 1 GB)" +
                               message::lift_hint("max_inline_video_base64_bytes"));
  }
  const std::string field = modality == Modality::Image ? "max_image_bytes" : "max_document_bytes";
  message::fail(subject, std::to_string(file.size) + " bytes is over the " + std::to_string(limit) +
                             "-byte limit for " + kind + "s" + message::lift_hint(field));
}

}  // namespace

ImageBlock image_block(std::string bytes, const MediaOptions& options, const MessageLimits& limits,
                       std::vector<std::string>* warnings) {
  const std::string subject = subject_for(options.filename, "image");
  const FileTypeDetection detection = message::detect_media(bytes, options.filename, options.format,
                                                            Modality::Image, subject, warnings);
  ImageBlock block{std::string(to_string(detection.format)), std::move(bytes), std::nullopt};
  message::check_image(with_format(subject, "image", detection.format), block, limits);
  return block;
}

ImageBlock image_block_from_file(const std::filesystem::path& path, const MediaOptions& options,
                                 const MessageLimits& limits, std::vector<std::string>* warnings) {
  MediaOptions named = options;
  named.filename = path.string();
  return image_block(read_whole(path, Modality::Image, limits), named, limits, warnings);
}

DocumentBlock document_block(std::string bytes, const DocumentOptions& options,
                             const MessageLimits& limits, std::vector<std::string>* warnings) {
  const std::string subject = subject_for(options.filename, "document");
  const FileTypeDetection detection = message::detect_media(bytes, options.filename, options.format,
                                                            Modality::Document, subject, warnings);
  std::string raw_name = "document";
  if (options.name) {
    raw_name = *options.name;
  } else if (!options.filename.empty()) {
    raw_name = std::filesystem::path(options.filename).stem().string();
  }
  std::string name = sanitize_document_name(raw_name, limits.max_document_name_chars);
  if (options.name && name != *options.name && warnings != nullptr) {
    warnings->push_back(subject + ": document name '" + *options.name + "' sent as '" + name + "'");
  }
  DocumentBlock block;
  block.format = std::string(to_string(detection.format));
  block.name = std::move(name);
  block.source = std::move(bytes);
  block.context = options.context;
  if (options.citations) block.citations = CitationsConfig{true};
  message::check_document(with_format(subject, "document", detection.format), block, limits);
  return block;
}

DocumentBlock document_block_from_file(const std::filesystem::path& path,
                                       const DocumentOptions& options, const MessageLimits& limits,
                                       std::vector<std::string>* warnings) {
  DocumentOptions named = options;
  named.filename = path.string();
  return document_block(read_whole(path, Modality::Document, limits), named, limits, warnings);
}

VideoBlock video_block(std::string bytes, const MediaOptions& options, const MessageLimits& limits,
                       std::vector<std::string>* warnings) {
  const std::string subject = subject_for(options.filename, "video");
  const FileTypeDetection detection = message::detect_media(bytes, options.filename, options.format,
                                                            Modality::Video, subject, warnings);
  VideoBlock block{std::string(to_string(detection.format)), std::move(bytes)};
  message::check_video(with_format(subject, "video", detection.format), block, limits);
  return block;
}

VideoBlock video_block_from_file(const std::filesystem::path& path, const MediaOptions& options,
                                 const MessageLimits& limits, std::vector<std::string>* warnings) {
  MediaOptions named = options;
  named.filename = path.string();
  return video_block(read_whole(path, Modality::Video, limits), named, limits, warnings);
}

}  // namespace llmm
