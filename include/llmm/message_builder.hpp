#pragma once
// MessageBuilder: a fluent, validating way to build the Converse messages of a conversation,
// with images, documents and video from bytes, files or S3, detected by content (file_type.hpp).
// Every add_* call checks what it can at once, and build() checks the whole message against
// MessageLimits; anything Bedrock would reject throws RequestValidationError naming the file (or
// block), the detected format and the rule.
//
//   const Message question = llmm::user_message()
//                                .add_text("What is in this picture and this report?")
//                                .add_image_file("photo.png")
//                                .add_document_file("report.pdf")
//                                .build();
//   conversation.push_back(question);
//   llmm::append_response(conversation, response.output->message);

#include <llmm/content_block.hpp>
#include <llmm/converse_output.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/file_type.hpp>
#include <llmm/json_value.hpp>
#include <llmm/message_limits.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

// How image and video bytes are described: an explicit format overrides detection; the file name
// gives detection its extension and errors their subject.
// A value type: not synchronized.
struct MediaOptions {
  std::optional<FileFormat> format;
  std::string filename;  // for bytes; the *_file methods use the path
};

// A value type: not synchronized.
struct DocumentOptions {
  std::optional<FileFormat> format;
  std::string filename;
  // DocumentBlock.name; default: the file name without its extension ("document" for bytes
  // without a file name). Always sanitized (sanitize_document_name).
  std::optional<std::string> name;
  bool citations = false;              // citations: {enabled: true}
  std::optional<std::string> context;  // DocumentBlock.context
};

enum class ToolResultStatus { Success, Error };
enum class GuardQualifier { GroundingSource, Query, GuardContent };

// What Bedrock accepts as DocumentBlock.name: ASCII letters and digits, single spaces, hyphens,
// parentheses and square brackets. Every other character (and runs of them, and whitespace runs)
// becomes one space; the result is trimmed and cut to `max_chars`; "document" when nothing is
// left.
[[nodiscard]] std::string sanitize_document_name(std::string_view name,
                                                 std::size_t max_chars = 200);

// Blocks on their own (for tool results, or a hand-made message): detection and the per-block
// rules (format of the right kind, size). Warnings (a content/extension mismatch) are appended
// to `warnings` when given. A *_file function reads the file first: a missing or unreadable file
// throws RequestValidationError naming it.
[[nodiscard]] ImageBlock image_block(std::string bytes, const MediaOptions& options = {},
                                     const MessageLimits& limits = {},
                                     std::vector<std::string>* warnings = nullptr);
[[nodiscard]] ImageBlock image_block_from_file(const std::filesystem::path& path,
                                               const MediaOptions& options = {},
                                               const MessageLimits& limits = {},
                                               std::vector<std::string>* warnings = nullptr);
[[nodiscard]] DocumentBlock document_block(std::string bytes, const DocumentOptions& options = {},
                                           const MessageLimits& limits = {},
                                           std::vector<std::string>* warnings = nullptr);
[[nodiscard]] DocumentBlock document_block_from_file(const std::filesystem::path& path,
                                                     const DocumentOptions& options = {},
                                                     const MessageLimits& limits = {},
                                                     std::vector<std::string>* warnings = nullptr);
[[nodiscard]] VideoBlock video_block(std::string bytes, const MediaOptions& options = {},
                                     const MessageLimits& limits = {},
                                     std::vector<std::string>* warnings = nullptr);
[[nodiscard]] VideoBlock video_block_from_file(const std::filesystem::path& path,
                                               const MediaOptions& options = {},
                                               const MessageLimits& limits = {},
                                               std::vector<std::string>* warnings = nullptr);

// Every rule of the builder over a message however it was made (empty message, block count,
// cache point first, media only where Bedrock takes it, sizes and counts, formats, S3 URIs,
// document names, blank text, UTF-8, tool ids, cache TTLs, guard qualifiers). Throws
// RequestValidationError naming the block ("block 3 (image png)") and the rule.
void validate_message(const Message& message, const MessageLimits& limits = {});

// Not synchronized: use one builder from one thread at a time. The Message build() returns is
// a plain value.
class MessageBuilder {
 public:
  explicit MessageBuilder(Role role, MessageLimits limits = {});

  // Text; blank text is refused (it is sent as given, not trimmed), as is text that is not UTF-8.
  MessageBuilder& add_text(std::string text);

  // Images (png, jpeg, gif, webp), user messages only.
  MessageBuilder& add_image(std::string bytes, const MediaOptions& options = {});
  MessageBuilder& add_image_file(const std::filesystem::path& path,
                                 const MediaOptions& options = {});
  MessageBuilder& add_image_s3(const std::string& uri, FileFormat format,
                               std::optional<std::string> bucket_owner = std::nullopt);

  // Documents (pdf, csv, doc, docx, xls, xlsx, html, txt, md), user messages only.
  MessageBuilder& add_document(std::string bytes, const DocumentOptions& options = {});
  MessageBuilder& add_document_file(const std::filesystem::path& path,
                                    const DocumentOptions& options = {});
  // The name defaults to the last key segment without its extension.
  MessageBuilder& add_document_s3(const std::string& uri, FileFormat format,
                                  const DocumentOptions& options = {},
                                  std::optional<std::string> bucket_owner = std::nullopt);

  // Video (mkv, mov, mp4, webm, flv, mpeg, mpg, wmv, three_gp): inline under 25 MB once
  // base64-encoded; larger through S3 (up to 1 GB).
  MessageBuilder& add_video(std::string bytes, const MediaOptions& options = {});
  MessageBuilder& add_video_file(const std::filesystem::path& path,
                                 const MediaOptions& options = {});
  MessageBuilder& add_video_s3(const std::string& uri, FileFormat format,
                               std::optional<std::string> bucket_owner = std::nullopt);

  // A file of any supported kind: image, document or video as its content says.
  MessageBuilder& add_attachment(const std::filesystem::path& path);

  // A cache point after the blocks so far (never first); ttl "5m" or "1h", nothing else.
  MessageBuilder& add_cache_point();
  MessageBuilder& add_cache_point(std::string ttl);

  // Guard content: text with qualifiers, or a png/jpeg image (bytes only).
  MessageBuilder& add_guard_text(std::string text,
                                 const std::vector<GuardQualifier>& qualifiers = {});
  MessageBuilder& add_guard_image(std::string bytes, const MediaOptions& options = {});

  // Tool use (assistant messages): ids and names [a-zA-Z0-9_-]{1,64}, input a JSON object.
  MessageBuilder& add_tool_use(std::string tool_use_id, std::string name, JsonValue input);
  // Tool results (user messages): text, a JSON document (a json block), or any content blocks.
  MessageBuilder& add_tool_result(std::string tool_use_id, std::string text,
                                  std::optional<ToolResultStatus> status = std::nullopt);
  MessageBuilder& add_tool_result(std::string tool_use_id, JsonValue json,
                                  std::optional<ToolResultStatus> status = std::nullopt);
  MessageBuilder& add_tool_result(std::string tool_use_id,
                                  std::vector<ToolResultContentBlock> content,
                                  std::optional<ToolResultStatus> status = std::nullopt);

  // Reasoning content (assistant messages), for the multi-turn echo-back.
  MessageBuilder& add_reasoning(std::string text,
                                std::optional<std::string> signature = std::nullopt);
  MessageBuilder& add_redacted_reasoning(std::string bytes);
  MessageBuilder& add_reasoning(ReasoningContentBlock reasoning);

  // Citations content (assistant messages), as a response carried it.
  MessageBuilder& add_citations(CitationsContentBlock citations);

  // Any block as it is (checked by build()).
  MessageBuilder& add_block(ContentBlock block);

  // The message, after validate_message (errors name the file a block came from).
  [[nodiscard]] Message build() const;

  [[nodiscard]] Role role() const noexcept { return role_; }
  [[nodiscard]] std::size_t block_count() const noexcept { return blocks_.size(); }
  [[nodiscard]] const MessageLimits& limits() const noexcept { return limits_; }
  // Detection warnings so far (content and extension disagreeing, ...).
  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  MessageBuilder& push(ContentBlock block, const std::string& subject);
  void check_room(std::string_view subject, std::string_view what) const;

  Role role_;
  MessageLimits limits_;
  std::vector<ContentBlock> blocks_;
  std::vector<std::string> subjects_;  // per block: the file or source it came from
  std::vector<std::string> warnings_;
};

[[nodiscard]] MessageBuilder user_message(MessageLimits limits = {});
[[nodiscard]] MessageBuilder assistant_message(MessageLimits limits = {});

// Appends the assistant's answer to a conversation, every block kept (reasoning and tool use
// included, as the next turn must echo them). An answer without blocks, or not from the
// assistant, throws RequestValidationError.
void append_response(std::vector<Message>& conversation, const ConverseOutput& output);
void append_response(std::vector<Message>& conversation, Message assistant_message);

}  // namespace llmm
