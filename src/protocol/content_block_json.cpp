#include "protocol/content_block_json.hpp"

#include "protocol/base64.hpp"
#include "protocol/json_value_nlohmann.hpp"
#include "protocol/json_wire.hpp"

#include "core/overloaded.hpp"

#include <nlohmann/json.hpp>

#include <type_traits>

namespace llmm::protocol {
namespace {

using namespace wire;  // NOLINT(google-build-using-namespace): the codec's own helpers

using core::Overloaded;

// ---- encoding -------------------------------------------------------------------------------

ordered_json encode_s3(const S3Location& s3) {
  ordered_json out{{"uri", s3.uri}};
  if (s3.bucket_owner) out["bucketOwner"] = *s3.bucket_owner;
  return out;
}

ordered_json encode_media_source(const MediaSource& source) {
  return std::visit(Overloaded{
                        [](const std::string& bytes) {
                          return ordered_json{{"bytes", base64_encode(bytes)}};
                        },
                        [](const S3Location& s3) {
                          return ordered_json{{"s3Location", encode_s3(s3)}};
                        },
                    },
                    source);
}

void put_error(ordered_json& out, const std::optional<ErrorBlock>& error) {
  if (!error) return;
  ordered_json block = ordered_json::object();
  if (error->message) block["message"] = *error->message;
  out["error"] = std::move(block);
}

ordered_json encode_citations_config(const CitationsConfig& config) {
  return ordered_json{{"enabled", config.enabled}};
}

ordered_json encode_image(const ImageBlock& image) {
  ordered_json out{{"format", image.format}, {"source", encode_media_source(image.source)}};
  put_error(out, image.error);
  return out;
}

ordered_json encode_document(const DocumentBlock& document) {
  ordered_json out = ordered_json::object();
  if (document.format) out["format"] = *document.format;
  out["name"] = document.name;
  out["source"] = std::visit(
      Overloaded{
          [](const std::string& bytes) {
            return ordered_json{{"bytes", base64_encode(bytes)}};
          },
          [](const S3Location& s3) {
            return ordered_json{{"s3Location", encode_s3(s3)}};
          },
          [](const DocumentTextSource& text) {
            return ordered_json{{"text", text.text}};
          },
          [](const DocumentContentSource& content) {
            return ordered_json{{"content", encode_text_union_list(content.text_blocks)}};
          },
      },
      document.source);
  if (document.context) out["context"] = *document.context;
  if (document.citations) out["citations"] = encode_citations_config(*document.citations);
  return out;
}

ordered_json encode_video(const VideoBlock& video) {
  return ordered_json{{"format", video.format}, {"source", encode_media_source(video.source)}};
}

ordered_json encode_audio(const AudioBlock& audio) {
  ordered_json out{{"format", audio.format}, {"source", encode_media_source(audio.source)}};
  put_error(out, audio.error);
  return out;
}

ordered_json encode_tool_use(const ToolUseBlock& tool_use) {
  ordered_json out = ordered_json::object();
  out["toolUseId"] = tool_use.tool_use_id;
  out["name"] = tool_use.name;
  out["input"] = to_ordered_json(tool_use.input);
  if (tool_use.type) out["type"] = *tool_use.type;
  return out;
}

ordered_json encode_search_result(const SearchResultBlock& result) {
  ordered_json out = ordered_json::object();
  out["source"] = result.source;
  out["title"] = result.title;
  out["content"] = encode_text_union_list(result.content);
  if (result.citations) out["citations"] = encode_citations_config(*result.citations);
  return out;
}

ordered_json encode_tool_result(const ToolResultBlock& result) {
  ordered_json content = ordered_json::array();
  for (const auto& item : result.content) {
    content.push_back(
        std::visit(Overloaded{
                       [](const JsonValue& json_doc) {
                         return ordered_json{{"json", to_ordered_json(json_doc)}};
                       },
                       [](const TextBlock& text) {
                         return ordered_json{{"text", text.text}};
                       },
                       [](const ImageBlock& image) {
                         return ordered_json{{"image", encode_image(image)}};
                       },
                       [](const DocumentBlock& doc) {
                         return ordered_json{{"document", encode_document(doc)}};
                       },
                       [](const VideoBlock& video) {
                         return ordered_json{{"video", encode_video(video)}};
                       },
                       [](const SearchResultBlock& search) {
                         return ordered_json{{"searchResult", encode_search_result(search)}};
                       },
                   },
                   item));
  }
  ordered_json out = ordered_json::object();
  out["toolUseId"] = result.tool_use_id;
  out["content"] = std::move(content);
  if (result.status) out["status"] = *result.status;
  if (result.type) out["type"] = *result.type;
  return out;
}

ordered_json encode_guard_content(const GuardContentBlock& guard) {
  return std::visit(Overloaded{
                        [](const GuardContentText& text) {
                          ordered_json inner{{"text", text.text}};
                          if (!text.qualifiers.empty()) inner["qualifiers"] = text.qualifiers;
                          return ordered_json{{"text", std::move(inner)}};
                        },
                        [](const GuardContentImage& image) {
                          ordered_json inner = ordered_json::object();
                          inner["format"] = image.format;
                          inner["source"] = ordered_json{{"bytes", base64_encode(image.bytes)}};
                          return ordered_json{{"image", std::move(inner)}};
                        },
                    },
                    guard.content);
}

ordered_json encode_reasoning(const ReasoningContentBlock& reasoning) {
  return std::visit(Overloaded{
                        [](const ReasoningTextBlock& text) {
                          ordered_json inner{{"text", text.text}};
                          if (text.signature) inner["signature"] = *text.signature;
                          return ordered_json{{"reasoningText", std::move(inner)}};
                        },
                        [](const RedactedReasoning& redacted) {
                          return ordered_json{{"redactedContent", base64_encode(redacted.bytes)}};
                        },
                    },
                    reasoning.content);
}

ordered_json encode_span(const char* index_key, const std::optional<int>& index,
                         const std::optional<int>& start, const std::optional<int>& end) {
  ordered_json out = ordered_json::object();
  if (index) out[index_key] = *index;
  if (start) out["start"] = *start;
  if (end) out["end"] = *end;
  return out;
}

ordered_json encode_location(const CitationLocation& location) {
  return std::visit(
      Overloaded{
          [](const WebLocation& web) {
            ordered_json inner = ordered_json::object();
            if (web.url) inner["url"] = *web.url;
            if (web.domain) inner["domain"] = *web.domain;
            return ordered_json{{"web", std::move(inner)}};
          },
          [](const DocumentCharLocation& at) {
            return ordered_json{{"documentChar", encode_span("documentIndex", at.document_index,
                                                             at.start, at.end)}};
          },
          [](const DocumentPageLocation& at) {
            return ordered_json{{"documentPage", encode_span("documentIndex", at.document_index,
                                                             at.start, at.end)}};
          },
          [](const DocumentChunkLocation& at) {
            return ordered_json{{"documentChunk", encode_span("documentIndex", at.document_index,
                                                              at.start, at.end)}};
          },
          [](const SearchResultLocation& at) {
            return ordered_json{
                {"searchResultLocation",
                 encode_span("searchResultIndex", at.search_result_index, at.start, at.end)}};
          },
          [](const UnknownBlock& unknown) {
            return ordered_json{{unknown.key, to_ordered_json(unknown.value)}};
          },
      },
      location);
}

ordered_json encode_citations_content(const CitationsContentBlock& block) {
  ordered_json out = ordered_json::object();
  if (!block.content.empty()) out["content"] = encode_text_union_list(block.content);
  if (!block.citations.empty()) {
    ordered_json citations = ordered_json::array();
    for (const auto& citation : block.citations) {
      ordered_json item = ordered_json::object();
      if (citation.title) item["title"] = *citation.title;
      if (citation.source) item["source"] = *citation.source;
      if (!citation.source_content.empty()) {
        item["sourceContent"] = encode_text_union_list(citation.source_content);
      }
      if (citation.location) item["location"] = encode_location(*citation.location);
      citations.push_back(std::move(item));
    }
    out["citations"] = std::move(citations);
  }
  return out;
}

// ---- decoding -------------------------------------------------------------------------------

S3Location decode_s3(const json& value, const std::string& path) {
  as_object(value, path);
  return S3Location{required_string(value, "uri", path),
                    optional_string(value, "bucketOwner", path)};
}

MediaSource decode_media_source(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "bytes") return as_bytes(*member, at);
  if (key == "s3Location") return decode_s3(*member, at);
  fail(path, "has an unknown member \"" + key + "\"");
}

std::optional<ErrorBlock> decode_error_block(const json& object, const std::string& path) {
  const json* value = find(object, "error");
  if (value == nullptr) return std::nullopt;
  const std::string at = member_path(path, "error");
  as_object(*value, at);
  return ErrorBlock{optional_string(*value, "message", at)};
}

std::optional<CitationsConfig> decode_citations_config(const json& object,
                                                       const std::string& path) {
  const json* value = find(object, "citations");
  if (value == nullptr) return std::nullopt;
  const std::string at = member_path(path, "citations");
  as_object(*value, at);
  return CitationsConfig{required_bool(*value, "enabled", at)};
}

ImageBlock decode_image(const json& value, const std::string& path) {
  as_object(value, path);
  ImageBlock image;
  image.format = required_string(value, "format", path);
  image.source = decode_media_source(required(value, "source", path), member_path(path, "source"));
  image.error = decode_error_block(value, path);
  return image;
}

DocumentSource decode_document_source(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "bytes") return as_bytes(*member, at);
  if (key == "s3Location") return decode_s3(*member, at);
  if (key == "text") return DocumentTextSource{as_string(*member, at)};
  if (key == "content") return DocumentContentSource{text_union_list(value, "content", path)};
  fail(path, "has an unknown member \"" + key + "\"");
}

DocumentBlock decode_document(const json& value, const std::string& path) {
  as_object(value, path);
  DocumentBlock document;
  document.format = optional_string(value, "format", path);
  document.name = required_string(value, "name", path);
  document.source =
      decode_document_source(required(value, "source", path), member_path(path, "source"));
  document.context = optional_string(value, "context", path);
  document.citations = decode_citations_config(value, path);
  return document;
}

VideoBlock decode_video(const json& value, const std::string& path) {
  as_object(value, path);
  return VideoBlock{
      required_string(value, "format", path),
      decode_media_source(required(value, "source", path), member_path(path, "source"))};
}

AudioBlock decode_audio(const json& value, const std::string& path) {
  as_object(value, path);
  AudioBlock audio;
  audio.format = required_string(value, "format", path);
  audio.source = decode_media_source(required(value, "source", path), member_path(path, "source"));
  audio.error = decode_error_block(value, path);
  return audio;
}

ToolUseBlock decode_tool_use(const json& value, const std::string& path) {
  as_object(value, path);
  ToolUseBlock tool_use;
  tool_use.tool_use_id = required_string(value, "toolUseId", path);
  tool_use.name = required_string(value, "name", path);
  tool_use.input = json_value_from(required(value, "input", path));
  tool_use.type = optional_string(value, "type", path);
  return tool_use;
}

SearchResultBlock decode_search_result(const json& value, const std::string& path) {
  as_object(value, path);
  SearchResultBlock result;
  result.source = required_string(value, "source", path);
  result.title = required_string(value, "title", path);
  required(value, "content", path);
  // SearchResultContentBlock is a structure {text} (not a union), read the same way.
  result.content = text_union_list(value, "content", path);
  result.citations = decode_citations_config(value, path);
  return result;
}

ToolResultContentBlock decode_tool_result_content(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "json") return json_value_from(*member);
  if (key == "text") return TextBlock{as_string(*member, at)};
  if (key == "image") return decode_image(*member, at);
  if (key == "document") return decode_document(*member, at);
  if (key == "video") return decode_video(*member, at);
  if (key == "searchResult") return decode_search_result(*member, at);
  fail(path, "has an unknown member \"" + key + "\"");
}

ToolResultBlock decode_tool_result(const json& value, const std::string& path) {
  as_object(value, path);
  ToolResultBlock result;
  result.tool_use_id = required_string(value, "toolUseId", path);
  const std::string content_path = member_path(path, "content");
  const json& content = as_array(required(value, "content", path), content_path);
  for (std::size_t i = 0; i < content.size(); ++i) {
    result.content.push_back(decode_tool_result_content(content[i], index_path(content_path, i)));
  }
  result.status = optional_string(value, "status", path);
  result.type = optional_string(value, "type", path);
  return result;
}

GuardContentBlock decode_guard_content(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "text") {
    as_object(*member, at);
    return GuardContentBlock{GuardContentText{required_string(*member, "text", at),
                                              string_list(*member, "qualifiers", at)}};
  }
  if (key == "image") {
    as_object(*member, at);
    GuardContentImage image;
    image.format = required_string(*member, "format", at);
    const std::string source_path = member_path(at, "source");
    const auto [source_key, source] = union_member(required(*member, "source", at), source_path);
    if (source_key != "bytes") fail(source_path, "has an unknown member \"" + source_key + "\"");
    image.bytes = as_bytes(*source, member_path(source_path, "bytes"));
    return GuardContentBlock{std::move(image)};
  }
  fail(path, "has an unknown member \"" + key + "\"");
}

ReasoningContentBlock decode_reasoning(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "reasoningText") {
    as_object(*member, at);
    return ReasoningContentBlock{ReasoningTextBlock{required_string(*member, "text", at),
                                                    optional_string(*member, "signature", at)}};
  }
  if (key == "redactedContent")
    return ReasoningContentBlock{RedactedReasoning{as_bytes(*member, at)}};
  fail(path, "has an unknown member \"" + key + "\"");
}

template <typename Location>
Location decode_span(const json& value, const std::string& path, const char* index_key) {
  as_object(value, path);
  return Location{optional_int(value, index_key, path), optional_int(value, "start", path),
                  optional_int(value, "end", path)};
}

CitationLocation decode_location(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "web") {
    as_object(*member, at);
    return WebLocation{optional_string(*member, "url", at), optional_string(*member, "domain", at)};
  }
  if (key == "documentChar") return decode_span<DocumentCharLocation>(*member, at, "documentIndex");
  if (key == "documentPage") return decode_span<DocumentPageLocation>(*member, at, "documentIndex");
  if (key == "documentChunk") {
    return decode_span<DocumentChunkLocation>(*member, at, "documentIndex");
  }
  if (key == "searchResultLocation") {
    return decode_span<SearchResultLocation>(*member, at, "searchResultIndex");
  }
  return UnknownBlock{key, json_value_from(*member)};
}

CitationsContentBlock decode_citations_content(const json& value, const std::string& path) {
  as_object(value, path);
  CitationsContentBlock block;
  block.content = text_union_list(value, "content", path);
  if (const json* citations = find(value, "citations")) {
    const std::string list_path = member_path(path, "citations");
    as_array(*citations, list_path);
    for (std::size_t i = 0; i < citations->size(); ++i) {
      const std::string at = index_path(list_path, i);
      const json& item = as_object((*citations)[i], at);
      Citation citation;
      citation.title = optional_string(item, "title", at);
      citation.source = optional_string(item, "source", at);
      citation.source_content = text_union_list(item, "sourceContent", at);
      if (const json* location = find(item, "location")) {
        citation.location = decode_location(*location, member_path(at, "location"));
      }
      block.citations.push_back(std::move(citation));
    }
  }
  return block;
}

}  // namespace

ordered_json encode_cache_point(const CachePointBlock& block) {
  ordered_json out{{"type", block.type}};
  if (block.ttl) out["ttl"] = *block.ttl;
  return out;
}

CachePointBlock decode_cache_point(const json& value, const std::string& path) {
  as_object(value, path);
  return CachePointBlock{required_string(value, "type", path), optional_string(value, "ttl", path)};
}

ordered_json encode_content_block(const ContentBlock& block) {
  return std::visit(
      Overloaded{
          [](const TextBlock& text) {
            return ordered_json{{"text", text.text}};
          },
          [](const ImageBlock& image) {
            return ordered_json{{"image", encode_image(image)}};
          },
          [](const DocumentBlock& doc) {
            return ordered_json{{"document", encode_document(doc)}};
          },
          [](const VideoBlock& video) {
            return ordered_json{{"video", encode_video(video)}};
          },
          [](const AudioBlock& audio) {
            return ordered_json{{"audio", encode_audio(audio)}};
          },
          [](const ToolUseBlock& use) {
            return ordered_json{{"toolUse", encode_tool_use(use)}};
          },
          [](const ToolResultBlock& result) {
            return ordered_json{{"toolResult", encode_tool_result(result)}};
          },
          [](const GuardContentBlock& guard) {
            return ordered_json{{"guardContent", encode_guard_content(guard)}};
          },
          [](const CachePointBlock& cache) {
            return ordered_json{{"cachePoint", encode_cache_point(cache)}};
          },
          [](const ReasoningContentBlock& reasoning) {
            return ordered_json{{"reasoningContent", encode_reasoning(reasoning)}};
          },
          [](const CitationsContentBlock& citations) {
            return ordered_json{{"citationsContent", encode_citations_content(citations)}};
          },
          [](const SearchResultBlock& search) {
            return ordered_json{{"searchResult", encode_search_result(search)}};
          },
          [](const UnknownBlock& unknown) {
            return ordered_json{{unknown.key, to_ordered_json(unknown.value)}};
          },
      },
      block);
}

ContentBlock decode_content_block(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "text") return TextBlock{as_string(*member, at)};
  if (key == "image") return decode_image(*member, at);
  if (key == "document") return decode_document(*member, at);
  if (key == "video") return decode_video(*member, at);
  if (key == "audio") return decode_audio(*member, at);
  if (key == "toolUse") return decode_tool_use(*member, at);
  if (key == "toolResult") return decode_tool_result(*member, at);
  if (key == "guardContent") return decode_guard_content(*member, at);
  if (key == "cachePoint") return decode_cache_point(*member, at);
  if (key == "reasoningContent") return decode_reasoning(*member, at);
  if (key == "citationsContent") return decode_citations_content(*member, at);
  if (key == "searchResult") return decode_search_result(*member, at);
  return UnknownBlock{key, json_value_from(*member)};
}

ordered_json encode_system_block(const SystemContentBlock& block) {
  return std::visit(Overloaded{
                        [](const TextBlock& text) {
                          return ordered_json{{"text", text.text}};
                        },
                        [](const GuardContentBlock& guard) {
                          return ordered_json{{"guardContent", encode_guard_content(guard)}};
                        },
                        [](const CachePointBlock& cache) {
                          return ordered_json{{"cachePoint", encode_cache_point(cache)}};
                        },
                    },
                    block);
}

SystemContentBlock decode_system_block(const json& value, const std::string& path) {
  const auto [key, member] = union_member(value, path);
  const std::string at = member_path(path, key);
  if (key == "text") return TextBlock{as_string(*member, at)};
  if (key == "guardContent") return decode_guard_content(*member, at);
  if (key == "cachePoint") return decode_cache_point(*member, at);
  fail(path, "has an unknown member \"" + key + "\"");
}

ordered_json encode_message(const Message& message) {
  ordered_json content = ordered_json::array();
  for (const auto& block : message.content) content.push_back(encode_content_block(block));
  ordered_json out = ordered_json::object();
  out["role"] = message.role == Role::User ? "user" : "assistant";
  out["content"] = std::move(content);
  return out;
}

Message decode_message(const json& value, const std::string& path, std::optional<Role> fallback) {
  as_object(value, path);
  Message message;
  const auto role = optional_string(value, "role", path);
  if (role == "user") {
    message.role = Role::User;
  } else if (role == "assistant") {
    message.role = Role::Assistant;
  } else if (fallback) {
    message.role = *fallback;
  } else {
    fail(member_path(path, "role"), role ? "is not \"user\" or \"assistant\"" : "is missing");
  }
  const std::string content_path = member_path(path, "content");
  const json& content = as_array(required(value, "content", path), content_path);
  message.content.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    message.content.push_back(decode_content_block(content[i], index_path(content_path, i)));
  }
  return message;
}

}  // namespace llmm::protocol
