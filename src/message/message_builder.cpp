// MessageBuilder: each add_* checks what it can at once (kind, role, counts, sizes), build()
// checks the whole message (message_rules.cpp).
#include <llmm/message_builder.hpp>

#include "message/file_reading.hpp"
#include "message/media_blocks.hpp"
#include "message/message_rules.hpp"

#include <utility>

namespace llmm {
namespace {

struct MediaCounts {
  std::size_t images = 0;
  std::size_t documents = 0;
};

MediaCounts count_media(const std::vector<ContentBlock>& blocks) {
  MediaCounts counts;
  for (const ContentBlock& block : blocks) {
    if (std::holds_alternative<ImageBlock>(block)) ++counts.images;
    if (std::holds_alternative<DocumentBlock>(block)) ++counts.documents;
    if (const auto* result = std::get_if<ToolResultBlock>(&block)) {
      for (const ToolResultContentBlock& part : result->content) {
        if (std::holds_alternative<ImageBlock>(part)) ++counts.images;
        if (std::holds_alternative<DocumentBlock>(part)) ++counts.documents;
      }
    }
  }
  return counts;
}

std::string_view status_name(ToolResultStatus status) {
  return status == ToolResultStatus::Success ? "success" : "error";
}

std::string_view qualifier_name(GuardQualifier qualifier) {
  switch (qualifier) {
    case GuardQualifier::GroundingSource: return "grounding_source";
    case GuardQualifier::Query: return "query";
    case GuardQualifier::GuardContent: break;
  }
  return "guard_content";
}

std::string role_name(Role role) { return role == Role::User ? "user" : "assistant"; }

std::string labelled(const std::string& source, const ContentBlock& block) {
  return source.empty() ? std::string() : source + " (" + message::describe_block(block) + ")";
}

}  // namespace

MessageBuilder::MessageBuilder(Role role, MessageLimits limits) : role_(role), limits_(limits) {}

void MessageBuilder::check_room(std::string_view subject, std::string_view what) const {
  if (blocks_.size() >= limits_.max_blocks_per_message) {
    message::fail(subject, "cannot add " + std::string(what) + " as block " +
                               std::to_string(blocks_.size() + 1) + ": a message holds at most " +
                               std::to_string(limits_.max_blocks_per_message) + " blocks" +
                               message::lift_hint("max_blocks_per_message"));
  }
}

MessageBuilder& MessageBuilder::push(ContentBlock block, const std::string& subject) {
  check_room(subject.empty() ? message::describe_block(block) : subject,
             message::describe_block(block));
  subjects_.push_back(labelled(subject, block));
  blocks_.push_back(std::move(block));
  return *this;
}

MessageBuilder& MessageBuilder::add_text(std::string text) {
  message::check_text("block " + std::to_string(blocks_.size() + 1) + " (text)", "text", text);
  return push(TextBlock{std::move(text)}, {});
}

// ---- images -------------------------------------------------------------------------------------

namespace {

void require_user(Role role, std::string_view subject, std::string_view what) {
  if (role != Role::User) {
    message::fail(subject, std::string(what) + " belong in user messages only (this is an " +
                               role_name(role) + " message)");
  }
}

void require_room_for_image(const std::vector<ContentBlock>& blocks, const MessageLimits& limits,
                            std::string_view subject) {
  const std::size_t images = count_media(blocks).images;
  if (images >= limits.max_images_per_message) {
    message::fail(subject, "cannot add image " + std::to_string(images + 1) +
                               ": a message holds at most " +
                               std::to_string(limits.max_images_per_message) + " images" +
                               message::lift_hint("max_images_per_message"));
  }
}

void require_room_for_document(const std::vector<ContentBlock>& blocks, const MessageLimits& limits,
                               std::string_view subject) {
  const std::size_t documents = count_media(blocks).documents;
  if (documents >= limits.max_documents_per_message) {
    message::fail(subject, "cannot add document " + std::to_string(documents + 1) +
                               ": a message holds at most " +
                               std::to_string(limits.max_documents_per_message) + " documents" +
                               message::lift_hint("max_documents_per_message"));
  }
}

std::string or_default(const std::string& name, std::string_view fallback) {
  return name.empty() ? std::string(fallback) : name;
}

// The last key segment of an S3 URI without its extension.
std::string s3_stem(const std::string& uri) {
  const auto slash = uri.find_last_of('/');
  return std::filesystem::path(slash == std::string::npos ? uri : uri.substr(slash + 1))
      .stem()
      .string();
}

}  // namespace

MessageBuilder& MessageBuilder::add_image(std::string bytes, const MediaOptions& options) {
  const std::string subject = or_default(options.filename, "image bytes");
  require_user(role_, subject, "images");
  require_room_for_image(blocks_, limits_, subject);
  check_room(subject, "an image");
  return push(image_block(std::move(bytes), options, limits_, &warnings_), options.filename);
}

MessageBuilder& MessageBuilder::add_image_file(const std::filesystem::path& path,
                                               const MediaOptions& options) {
  require_user(role_, path.string(), "images");
  require_room_for_image(blocks_, limits_, path.string());
  check_room(path.string(), "an image");
  return push(image_block_from_file(path, options, limits_, &warnings_), path.string());
}

MessageBuilder& MessageBuilder::add_image_s3(const std::string& uri, FileFormat format,
                                             std::optional<std::string> bucket_owner) {
  require_user(role_, uri, "images");
  require_room_for_image(blocks_, limits_, uri);
  ImageBlock block{std::string(to_string(format)), S3Location{uri, std::move(bucket_owner)},
                   std::nullopt};
  message::check_image(uri + " (image " + block.format + ")", block, limits_);
  return push(std::move(block), uri);
}

// ---- documents ----------------------------------------------------------------------------------

MessageBuilder& MessageBuilder::add_document(std::string bytes, const DocumentOptions& options) {
  const std::string subject = or_default(options.filename, "document bytes");
  require_user(role_, subject, "documents");
  require_room_for_document(blocks_, limits_, subject);
  check_room(subject, "a document");
  return push(document_block(std::move(bytes), options, limits_, &warnings_), options.filename);
}

MessageBuilder& MessageBuilder::add_document_file(const std::filesystem::path& path,
                                                  const DocumentOptions& options) {
  require_user(role_, path.string(), "documents");
  require_room_for_document(blocks_, limits_, path.string());
  check_room(path.string(), "a document");
  return push(document_block_from_file(path, options, limits_, &warnings_), path.string());
}

MessageBuilder& MessageBuilder::add_document_s3(const std::string& uri, FileFormat format,
                                                const DocumentOptions& options,
                                                std::optional<std::string> bucket_owner) {
  require_user(role_, uri, "documents");
  require_room_for_document(blocks_, limits_, uri);
  DocumentBlock block;
  block.format = std::string(to_string(format));
  const std::string raw_name = options.name ? *options.name : s3_stem(uri);
  block.name = sanitize_document_name(raw_name, limits_.max_document_name_chars);
  if (options.name && block.name != *options.name) {
    warnings_.push_back(uri + ": document name '" + *options.name + "' sent as '" + block.name +
                        "'");
  }
  block.source = S3Location{uri, std::move(bucket_owner)};
  block.context = options.context;
  if (options.citations) block.citations = CitationsConfig{true};
  message::check_document(uri + " (document " + *block.format + ")", block, limits_);
  return push(std::move(block), uri);
}

// ---- video --------------------------------------------------------------------------------------

MessageBuilder& MessageBuilder::add_video(std::string bytes, const MediaOptions& options) {
  check_room(or_default(options.filename, "video bytes"), "a video");
  return push(video_block(std::move(bytes), options, limits_, &warnings_), options.filename);
}

MessageBuilder& MessageBuilder::add_video_file(const std::filesystem::path& path,
                                               const MediaOptions& options) {
  check_room(path.string(), "a video");
  return push(video_block_from_file(path, options, limits_, &warnings_), path.string());
}

MessageBuilder& MessageBuilder::add_video_s3(const std::string& uri, FileFormat format,
                                             std::optional<std::string> bucket_owner) {
  VideoBlock block{std::string(to_string(format)), S3Location{uri, std::move(bucket_owner)}};
  message::check_video(uri + " (video " + block.format + ")", block, limits_);
  return push(std::move(block), uri);
}

MessageBuilder& MessageBuilder::add_attachment(const std::filesystem::path& path) {
  const auto head = message::read_file(path, message::kDetectionPrefixBytes);
  const FileTypeDetection detection = detect_file_type(head.bytes, path.string());
  std::optional<Modality> modality = modality_of(detection.format);
  if (!modality && !head.complete()) {
    // A long text file cut mid-character: its extension decides, the whole file is checked.
    modality = modality_of(format_from_extension(path.string()));
  }
  if (!modality) {
    message::fail(path.string(),
                  "not a supported image, document or video (" + detection.evidence + ")");
  }
  switch (*modality) {
    case Modality::Image: return add_image_file(path);
    case Modality::Video: return add_video_file(path);
    default: break;
  }
  return add_document_file(path);
}

// ---- cache points, guard content, tools ---------------------------------------------------------

MessageBuilder& MessageBuilder::add_cache_point() {
  if (blocks_.empty()) {
    message::fail("block 1 (cache point)",
                  "a cache point cannot be the first block of a message; add it after the "
                  "content it caches");
  }
  return push(CachePointBlock{}, {});
}

MessageBuilder& MessageBuilder::add_cache_point(std::string ttl) {
  CachePointBlock block{"default", std::move(ttl)};
  message::check_cache_point("block " + std::to_string(blocks_.size() + 1) + " (cache point)",
                             block);
  if (blocks_.empty()) return add_cache_point();  // refused: first block
  return push(std::move(block), {});
}

MessageBuilder& MessageBuilder::add_guard_text(std::string text,
                                               const std::vector<GuardQualifier>& qualifiers) {
  GuardContentText guard{std::move(text), {}};
  for (const GuardQualifier qualifier : qualifiers) {
    guard.qualifiers.emplace_back(qualifier_name(qualifier));
  }
  message::check_text("block " + std::to_string(blocks_.size() + 1) + " (guard content)",
                      "guard content text", guard.text);
  return push(GuardContentBlock{std::move(guard)}, {});
}

MessageBuilder& MessageBuilder::add_guard_image(std::string bytes, const MediaOptions& options) {
  const std::string subject = or_default(options.filename, "guard image bytes");
  const FileTypeDetection detection = message::detect_media(bytes, options.filename, options.format,
                                                            Modality::Image, subject, &warnings_);
  if (detection.format != FileFormat::Png && detection.format != FileFormat::Jpeg) {
    message::fail(subject + " (image " + std::string(to_string(detection.format)) + ")",
                  "a guard content image must be png or jpeg");
  }
  if (bytes.size() > limits_.max_image_bytes) {
    message::fail(subject, std::to_string(bytes.size()) + " bytes is over the " +
                               std::to_string(limits_.max_image_bytes) + "-byte limit for images" +
                               message::lift_hint("max_image_bytes"));
  }
  return push(GuardContentBlock{GuardContentImage{std::string(to_string(detection.format)),
                                                  std::move(bytes)}},
              options.filename);
}

MessageBuilder& MessageBuilder::add_tool_use(std::string tool_use_id, std::string name,
                                             JsonValue input) {
  const std::string subject = "tool use " + tool_use_id;
  if (role_ != Role::Assistant) {
    message::fail(subject, "tool use belongs in assistant messages only");
  }
  message::check_tool_identifier(subject, "toolUseId", tool_use_id);
  message::check_tool_identifier(subject, "tool name", name);
  if (!input.is_object()) message::fail(subject, "tool use input must be a JSON object");
  return push(ToolUseBlock{std::move(tool_use_id), std::move(name), std::move(input), std::nullopt},
              {});
}

MessageBuilder& MessageBuilder::add_tool_result(std::string tool_use_id, std::string text,
                                                std::optional<ToolResultStatus> status) {
  message::check_text("tool result " + tool_use_id, "tool result text", text);
  return add_tool_result(std::move(tool_use_id),
                         std::vector<ToolResultContentBlock>{TextBlock{std::move(text)}}, status);
}

MessageBuilder& MessageBuilder::add_tool_result(std::string tool_use_id, JsonValue json,
                                                std::optional<ToolResultStatus> status) {
  return add_tool_result(std::move(tool_use_id),
                         std::vector<ToolResultContentBlock>{std::move(json)}, status);
}

MessageBuilder& MessageBuilder::add_tool_result(std::string tool_use_id,
                                                std::vector<ToolResultContentBlock> content,
                                                std::optional<ToolResultStatus> status) {
  const std::string subject = "tool result " + tool_use_id;
  if (role_ != Role::User) message::fail(subject, "tool results belong in user messages only");
  ToolResultBlock block;
  block.tool_use_id = std::move(tool_use_id);
  block.content = std::move(content);
  if (status) block.status = std::string(status_name(*status));
  // The nested rules (sizes, blank text, ids) now, so the error comes from this call.
  Message probe{Role::User, {TextBlock{"probe"}, block}};
  message::validate(probe, limits_, {"", subject});
  return push(std::move(block), {});
}

// ---- reasoning and citations --------------------------------------------------------------------

MessageBuilder& MessageBuilder::add_reasoning(std::string text,
                                              std::optional<std::string> signature) {
  return add_reasoning(
      ReasoningContentBlock{ReasoningTextBlock{std::move(text), std::move(signature)}});
}

MessageBuilder& MessageBuilder::add_redacted_reasoning(std::string bytes) {
  return add_reasoning(ReasoningContentBlock{RedactedReasoning{std::move(bytes)}});
}

MessageBuilder& MessageBuilder::add_reasoning(ReasoningContentBlock reasoning) {
  Message probe{role_, {TextBlock{"probe"}, reasoning}};
  message::validate(probe, limits_,
                    {"", "block " + std::to_string(blocks_.size() + 1) + " (reasoning content)"});
  return push(std::move(reasoning), {});
}

MessageBuilder& MessageBuilder::add_citations(CitationsContentBlock citations) {
  Message probe{role_, {TextBlock{"probe"}, citations}};
  message::validate(probe, limits_,
                    {"", "block " + std::to_string(blocks_.size() + 1) + " (citations content)"});
  return push(std::move(citations), {});
}

MessageBuilder& MessageBuilder::add_block(ContentBlock block) { return push(std::move(block), {}); }

Message MessageBuilder::build() const {
  Message message{role_, blocks_};
  message::validate(message, limits_, subjects_);
  return message;
}

MessageBuilder user_message(MessageLimits limits) { return MessageBuilder(Role::User, limits); }
MessageBuilder assistant_message(MessageLimits limits) {
  return MessageBuilder(Role::Assistant, limits);
}

}  // namespace llmm
