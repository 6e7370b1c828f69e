#pragma once
// The content blocks of a Converse message (bedrock-runtime ContentBlock union, wire doc §2.1),
// as plain aggregates. Blob members (image/video/audio/document bytes, redacted reasoning) hold
// raw bytes; the codec base64-encodes them on the wire. Optional members that are unset (or
// empty lists) are omitted on the wire. A block kind this library does not know is kept as an
// UnknownBlock and sent back as it came.

#include <llmm/json_value.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace llmm {

// Every type in this header is a value type (aggregates with ==): not synchronized.
struct TextBlock {
  std::string text;
  friend bool operator==(const TextBlock&, const TextBlock&) = default;
};

// An object in Amazon S3: uri "s3://bucket/key", bucket_owner a 12-digit account id.
struct S3Location {
  std::string uri;
  std::optional<std::string> bucket_owner;
  friend bool operator==(const S3Location&, const S3Location&) = default;
};

// Raw bytes (base64 on the wire, member "bytes") or an S3 object (member "s3Location").
using MediaSource = std::variant<std::string, S3Location>;

// The "error" member the service may set on image and audio blocks it could not process.
struct ErrorBlock {
  std::optional<std::string> message;
  friend bool operator==(const ErrorBlock&, const ErrorBlock&) = default;
};

struct CitationsConfig {
  bool enabled = false;
  friend bool operator==(const CitationsConfig&, const CitationsConfig&) = default;
};

struct ImageBlock {
  std::string format;  // png | jpeg | gif | webp
  MediaSource source;
  std::optional<ErrorBlock> error;
  friend bool operator==(const ImageBlock&, const ImageBlock&) = default;
};

// DocumentSource members besides bytes and s3Location.
struct DocumentTextSource {  // "text": the document as a string
  std::string text;
  friend bool operator==(const DocumentTextSource&, const DocumentTextSource&) = default;
};
struct DocumentContentSource {  // "content": [{"text": ...}, ...]
  std::vector<std::string> text_blocks;
  friend bool operator==(const DocumentContentSource&, const DocumentContentSource&) = default;
};
// bytes (raw) | s3Location | text | content
using DocumentSource =
    std::variant<std::string, S3Location, DocumentTextSource, DocumentContentSource>;

struct DocumentBlock {
  std::optional<std::string> format;  // pdf | csv | doc | docx | xls | xlsx | html | txt | md
  std::string name;                   // required, 1-200 characters
  DocumentSource source;
  std::optional<std::string> context;
  std::optional<CitationsConfig> citations;
  friend bool operator==(const DocumentBlock&, const DocumentBlock&) = default;
};

struct VideoBlock {
  std::string format;  // mkv | mov | mp4 | webm | flv | mpeg | mpg | wmv | three_gp
  MediaSource source;
  friend bool operator==(const VideoBlock&, const VideoBlock&) = default;
};

struct AudioBlock {
  std::string format;  // mp3 | opus | wav | aac | flac | mp4 | ogg | mkv | mka | x-aac | ...
  MediaSource source;
  std::optional<ErrorBlock> error;
  friend bool operator==(const AudioBlock&, const AudioBlock&) = default;
};

struct ToolUseBlock {
  std::string tool_use_id;
  std::string name;
  JsonValue input;                  // the tool's arguments, any JSON document
  std::optional<std::string> type;  // "server_tool_use"
  friend bool operator==(const ToolUseBlock&, const ToolUseBlock&) = default;
};

struct SearchResultBlock {
  std::string source;
  std::string title;
  std::vector<std::string> content;  // [{"text": ...}]
  std::optional<CitationsConfig> citations;
  friend bool operator==(const SearchResultBlock&, const SearchResultBlock&) = default;
};

// One element of a tool result: json | text | image | document | video | searchResult.
using ToolResultContentBlock =
    std::variant<JsonValue, TextBlock, ImageBlock, DocumentBlock, VideoBlock, SearchResultBlock>;

struct ToolResultBlock {
  std::string tool_use_id;
  std::vector<ToolResultContentBlock> content;
  std::optional<std::string> status;  // "success" | "error"
  std::optional<std::string> type;
  friend bool operator==(const ToolResultBlock&, const ToolResultBlock&) = default;
};

// guardContent: text to be checked by a guardrail, or an image.
struct GuardContentText {
  std::string text;
  std::vector<std::string> qualifiers;  // grounding_source | query | guard_content
  friend bool operator==(const GuardContentText&, const GuardContentText&) = default;
};
struct GuardContentImage {
  std::string format;  // png | jpeg
  std::string bytes;   // raw bytes (the only source the model allows)
  friend bool operator==(const GuardContentImage&, const GuardContentImage&) = default;
};
struct GuardContentBlock {
  std::variant<GuardContentText, GuardContentImage> content;
  friend bool operator==(const GuardContentBlock&, const GuardContentBlock&) = default;
};

struct CachePointBlock {
  std::string type = "default";
  std::optional<std::string> ttl;  // "5m" | "1h"
  friend bool operator==(const CachePointBlock&, const CachePointBlock&) = default;
};

struct ReasoningTextBlock {
  std::string text;
  std::optional<std::string> signature;
  friend bool operator==(const ReasoningTextBlock&, const ReasoningTextBlock&) = default;
};
struct RedactedReasoning {  // "redactedContent": raw bytes, base64 on the wire
  std::string bytes;
  friend bool operator==(const RedactedReasoning&, const RedactedReasoning&) = default;
};
struct ReasoningContentBlock {
  std::variant<ReasoningTextBlock, RedactedReasoning> content;
  friend bool operator==(const ReasoningContentBlock&, const ReasoningContentBlock&) = default;
};

// A member of a union this library does not model: the member's key and its value, kept so it
// is re-encoded exactly as it came.
struct UnknownBlock {
  std::string key;
  JsonValue value;
  friend bool operator==(const UnknownBlock&, const UnknownBlock&) = default;
};

// CitationLocation union.
struct WebLocation {
  std::optional<std::string> url;
  std::optional<std::string> domain;
  friend bool operator==(const WebLocation&, const WebLocation&) = default;
};
struct DocumentCharLocation {
  std::optional<int> document_index;
  std::optional<int> start;
  std::optional<int> end;
  friend bool operator==(const DocumentCharLocation&, const DocumentCharLocation&) = default;
};
struct DocumentPageLocation {
  std::optional<int> document_index;
  std::optional<int> start;
  std::optional<int> end;
  friend bool operator==(const DocumentPageLocation&, const DocumentPageLocation&) = default;
};
struct DocumentChunkLocation {
  std::optional<int> document_index;
  std::optional<int> start;
  std::optional<int> end;
  friend bool operator==(const DocumentChunkLocation&, const DocumentChunkLocation&) = default;
};
struct SearchResultLocation {
  std::optional<int> search_result_index;
  std::optional<int> start;
  std::optional<int> end;
  friend bool operator==(const SearchResultLocation&, const SearchResultLocation&) = default;
};
using CitationLocation = std::variant<WebLocation, DocumentCharLocation, DocumentPageLocation,
                                      DocumentChunkLocation, SearchResultLocation, UnknownBlock>;

struct Citation {
  std::optional<std::string> title;
  std::optional<std::string> source;
  std::vector<std::string> source_content;  // [{"text": ...}]
  std::optional<CitationLocation> location;
  friend bool operator==(const Citation&, const Citation&) = default;
};

struct CitationsContentBlock {
  std::vector<std::string> content;  // generated text: [{"text": ...}]
  std::vector<Citation> citations;
  friend bool operator==(const CitationsContentBlock&, const CitationsContentBlock&) = default;
};

using ContentBlock =
    std::variant<TextBlock, ImageBlock, DocumentBlock, VideoBlock, AudioBlock, ToolUseBlock,
                 ToolResultBlock, GuardContentBlock, CachePointBlock, ReasoningContentBlock,
                 CitationsContentBlock, SearchResultBlock, UnknownBlock>;

// The system prompt's blocks (SystemContentBlock union).
using SystemContentBlock = std::variant<TextBlock, GuardContentBlock, CachePointBlock>;

enum class Modality { Text, Image, Document, Video, Audio };

// Image, Document, Video or Audio for those blocks; nullopt for every other block (text, tool
// use and results, reasoning, ...).
[[nodiscard]] std::optional<Modality> media_modality(const ContentBlock& block) noexcept;

}  // namespace llmm
