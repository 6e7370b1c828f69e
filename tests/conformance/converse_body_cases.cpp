// converse_body_cases: seeded random Converse requests, each sent through an LLMManager to the
// emulator (started with --log-bodies), written as JSON lines for converse_body_conformance.mjs
// to send again through the official JS SDK's ConverseCommand. The node side then compares the
// two bodies the emulator logged.
//
//   converse_body_cases --endpoint http://127.0.0.1:PORT [--out FILE] [--seed N] [--count N]
//
// Line 1 is {"meta": {...}}; every other line is
//   {"case": i, "modelId": <id sent on the wire>, "foundationModelId": <the model it resolves to,
//    which the emulator's request log names>, "kinds": [<coverage tags>], "input": {...}}
// where input is our own encoded body (encode_converse_request) in the SDK's input shape: blob
// members (media "bytes", "redactedContent") become {"$blob": "<base64>"} so the node side hands
// the SDK a Uint8Array; documents (toolUse.input, toolResult json, inputSchema.json,
// additionalModelRequestFields) are left exactly as encoded.
//
// Every case must be accepted by the emulator for its model, in one attempt, with nothing
// dropped: anything else is a generator bug, printed, and the exit status is 1. So is a request
// kind the run never produced (the coverage list at the end).

#include "protocol/converse_json.hpp"

#include "case_generation.hpp"

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/environment.hpp>
#include <llmm/json_value.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/retry_config.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

using nlohmann::ordered_json;

constexpr std::uint64_t kDefaultSeed = 20240307ULL;  // fixed: CI must be reproducible
constexpr std::uint64_t kDefaultCount = 240;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";  // no prompt caching
constexpr const char* kNovaLite = "amazon.nova-lite-v1:0";  // cache points in system, messages
// Cache points in tools, system and messages (through its us. profile from us-east-1).
constexpr const char* kSonnet4 = "anthropic.claude-sonnet-4-20250514-v1:0";
// Bedrock takes at most this many cache points in one request.
constexpr std::size_t kMaxCachePoints = 4;
constexpr const char* kRegion = "us-east-1";

// Every tag a run must produce at least once (see the coverage check in main).
const std::vector<std::string> kRequiredKinds = {"text",
                                                 "unicode-text",
                                                 "image-bytes",
                                                 "image-s3",
                                                 "document-bytes",
                                                 "document-text",
                                                 "document-content",
                                                 "document-s3",
                                                 "document-citations",
                                                 "video-s3",
                                                 "video-bytes",
                                                 "audio-bytes",
                                                 "audio-s3",
                                                 "large-blob",
                                                 "tool-use",
                                                 "tool-use-type",
                                                 "tool-result",
                                                 "tool-result-json",
                                                 "tool-result-text",
                                                 "tool-result-image",
                                                 "tool-result-document",
                                                 "tool-result-video",
                                                 "tool-result-search",
                                                 "guard-text",
                                                 "guard-image",
                                                 "cache-point",
                                                 "cache-point-ttl",
                                                 "reasoning-text",
                                                 "reasoning-redacted",
                                                 "citations-content",
                                                 "search-result",
                                                 "system-text",
                                                 "system-guard",
                                                 "system-cache-point",
                                                 "inference-max-tokens",
                                                 "inference-temperature",
                                                 "inference-top-p",
                                                 "inference-stop-sequences",
                                                 "tool-spec",
                                                 "tool-spec-strict",
                                                 "tool-system",
                                                 "tool-cache-point",
                                                 "tool-choice-auto",
                                                 "tool-choice-any",
                                                 "tool-choice-tool",
                                                 "guardrail",
                                                 "guardrail-trace",
                                                 "request-fields-anthropic",
                                                 "request-fields-nova",
                                                 "response-field-paths",
                                                 "prompt-variables",
                                                 "request-metadata",
                                                 "performance-config",
                                                 "service-tier",
                                                 "output-config",
                                                 "model-haiku",
                                                 "model-nova",
                                                 "model-sonnet4"};

class Rng : public conformance::SplitMix64 {
 public:
  using SplitMix64::SplitMix64;

  std::int64_t between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  std::string text(std::string_view alphabet, std::size_t length) {
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[below(alphabet.size())]);
    return out;
  }
  // Whole UTF-8 pieces, so the result is valid UTF-8 (the encoder replaces anything else).
  std::string pieces(const std::vector<std::string>& from, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) out += pick(from);
    return out;
  }
  std::string bytes(std::size_t length) {
    std::string out(length, '\0');
    for (char& c : out) c = static_cast<char>(below(256));
    return out;
  }
};

constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kToolNameChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

const std::vector<std::string> kAsciiWords = {"hello",   "world",    "the", "quick", "brown", "fox",
                                              "Bedrock", "Converse", "42",  "x",     "ok",    "."};
// Non-ASCII, JSON escapes and control characters: what a JSON writer can get wrong.
const std::vector<std::string> kOddPieces = {
    "naïve",     "Grüße",   "日本語",      "emoji 😀", "👩‍💻",
    "עברית",     "العربية", "e\u0301",     "\u2028",  "\u2029",
    "\u00A0",    "\"q\"",   "back\\slash", "tab\t",   "line\n",
    "\r",        "\x01",    "\x1f",        "\x7f",    "</script>",
    "{\"a\":1}", "€",       "𝄞",           "ﬁ",       std::string("nul\0byte", 8)};

std::string words(Rng& rng, std::size_t count, bool odd) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ' ';
    out += (odd && rng.chance(40)) ? rng.pick(kOddPieces) : rng.pick(kAsciiWords);
  }
  return out;
}

// One case being built: the request plus the tags of what it holds.
struct Case {
  std::string model;
  llmm::ConverseRequest request;
  std::set<std::string> kinds;
  std::vector<std::string> tool_names;  // toolSpec names, for toolChoice and toolUse
  bool odd_text = false;

  [[nodiscard]] bool nova() const { return model == kNovaLite; }
  // Whether the model takes cache points in this part of the request (the bundled catalog's
  // prompt_caching; the emulator refuses one anywhere else).
  [[nodiscard]] bool caches(std::string_view part) const {
    if (model == kSonnet4) return true;
    return nova() && part != "tools";
  }
  void tag(const std::string& kind) { kinds.insert(kind); }
};

std::string some_text(Rng& rng, Case& c, std::size_t max_words = 12) {
  const bool odd = c.odd_text || rng.chance(30);
  std::string out = words(rng, 1 + rng.below(max_words), odd);
  if (odd) c.tag("unicode-text");
  return out;
}

// ---- JSON documents (tool input, schemas, request fields) -----------------------------------

const std::vector<std::string> kDocKeys = {"a",    "b", "city", "unit",  "é",   "日本", "nested",
                                           "list", "n", "flag", "empty", "x y", "k-1",  "_"};

// Numbers both sides read the same way: integers well inside 2^53, doubles with few digits.
nlohmann::json random_number(Rng& rng) {
  switch (rng.below(4)) {
    case 0: return rng.between(-1000, 1000);
    case 1: return rng.between(-9007199254740, 9007199254740);
    case 2: return static_cast<double>(rng.between(-100000, 100000)) / 1000.0;
    default: return static_cast<double>(rng.between(1, 999)) * 1e-7;
  }
}

nlohmann::json random_document(Rng& rng, Case& c, int depth) {
  const std::size_t kind = depth >= 3 ? rng.below(4) : rng.below(6);
  switch (kind) {
    case 0: return random_number(rng);
    case 1: return some_text(rng, c, 4);
    case 2: return rng.chance(50);
    case 3: return rng.chance(50) ? nlohmann::json(nullptr) : nlohmann::json::object();
    case 4: {
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0, n = rng.below(4); i < n; ++i) {
        list.push_back(random_document(rng, c, depth + 1));
      }
      return list;
    }
    default: {
      nlohmann::json object = nlohmann::json::object();
      for (std::size_t i = 0, n = rng.below(4); i < n; ++i) {
        object[rng.pick(kDocKeys)] = random_document(rng, c, depth + 1);
      }
      return object;
    }
  }
}

nlohmann::json random_object(Rng& rng, Case& c) {
  nlohmann::json object = nlohmann::json::object();
  for (std::size_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
    object[rng.pick(kDocKeys)] = random_document(rng, c, 1);
  }
  return object;
}

llmm::JsonValue to_value(const nlohmann::json& document) {
  return llmm::JsonValue::parse(document.dump());
}

nlohmann::json input_schema(Rng& rng) {
  nlohmann::json properties = nlohmann::json::object();
  static const std::vector<std::string> types = {"string", "number", "integer", "boolean"};
  for (std::size_t i = 0, n = rng.below(4); i < n; ++i) {
    nlohmann::json property = {{"type", rng.pick(types)}};
    if (rng.chance(40)) property["description"] = words(rng, 1 + rng.below(4), true);
    if (rng.chance(20)) property["enum"] = {"a", "b", "ç"};
    properties[rng.pick(kDocKeys)] = property;
  }
  if (rng.chance(30)) {
    properties["nested"] = {
        {"type", "object"},
        {"properties", {{"inner", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
  }
  nlohmann::json schema = {{"type", "object"}, {"properties", properties}};
  if (!properties.empty() && rng.chance(50)) schema["required"] = {properties.begin().key()};
  if (rng.chance(20)) schema["additionalProperties"] = false;
  return schema;
}

// ---- content blocks -------------------------------------------------------------------------

const std::vector<std::string> kImageFormats = {"png", "jpeg", "gif", "webp"};
const std::vector<std::string> kDocumentFormats = {"pdf",  "csv",  "doc", "docx", "xls",
                                                   "xlsx", "html", "txt", "md"};
const std::vector<std::string> kVideoFormats = {"mkv",  "mov", "mp4", "webm",    "flv",
                                                "mpeg", "mpg", "wmv", "three_gp"};
const std::vector<std::string> kAudioFormats = {"mp3", "opus", "wav", "aac", "flac", "ogg"};

llmm::S3Location s3_location(Rng& rng, std::string_view extension) {
  llmm::S3Location location;
  location.uri = "s3://" + rng.text(kLower, 3 + rng.below(10)) + "-bucket/" +
                 rng.text(kAlnum, 1 + rng.below(12)) + "/" + rng.text(kAlnum, 1 + rng.below(8)) +
                 "." + std::string(extension);
  if (rng.chance(50)) location.bucket_owner = rng.text("0123456789", 12);
  return location;
}

llmm::ImageBlock image_block(Rng& rng, Case& c) {
  llmm::ImageBlock image;
  image.format = rng.pick(kImageFormats);
  // S3 image sources are a Nova feature; Claude takes bytes only.
  if (c.nova() && rng.chance(40)) {
    image.source = s3_location(rng, image.format);
    c.tag("image-s3");
  } else if (rng.chance(5)) {
    image.source = rng.bytes(20000 + rng.below(50000));  // base64 over many lines' worth
    c.tag("image-bytes");
    c.tag("large-blob");
  } else {
    image.source = rng.bytes(1 + rng.below(400));
    c.tag("image-bytes");
  }
  return image;
}

std::string document_name(Rng& rng) {
  static const std::vector<std::string> pieces = {"Report",  "notes", "Q3",   " ",    "-",
                                                  "(draft)", "[v2]",  "plan", "2024", "Spec"};
  std::string name = rng.pieces(pieces, 1 + rng.below(5));
  if (name.front() == ' ') name.front() = 'D';
  if (name.back() == ' ') name.back() = 'x';
  return name;
}

llmm::DocumentBlock document_block(Rng& rng, Case& c) {
  llmm::DocumentBlock document;
  document.name = document_name(rng);
  switch (rng.below(5)) {
    case 0:
      document.source = llmm::DocumentTextSource{some_text(rng, c, 30)};
      document.format = rng.chance(50) ? std::optional<std::string>("txt") : std::nullopt;
      c.tag("document-text");
      break;
    case 1: {
      llmm::DocumentContentSource content;
      for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i) {
        content.text_blocks.push_back(some_text(rng, c));
      }
      document.source = std::move(content);
      c.tag("document-content");
      break;
    }
    case 2:
      document.format = rng.pick(kDocumentFormats);
      document.source = s3_location(rng, *document.format);
      c.tag("document-s3");
      break;
    default:
      document.format = rng.pick(kDocumentFormats);
      document.source = rng.bytes(1 + rng.below(600));
      c.tag("document-bytes");
      break;
  }
  if (rng.chance(25)) document.context = some_text(rng, c);
  if (rng.chance(25)) {
    document.citations = llmm::CitationsConfig{rng.chance(70)};
    c.tag("document-citations");
  }
  return document;
}

llmm::VideoBlock video_block(Rng& rng, Case& c) {
  llmm::VideoBlock video;
  video.format = rng.pick(kVideoFormats);
  if (rng.chance(65)) {
    video.source = s3_location(rng, video.format);
    c.tag("video-s3");
  } else {
    video.source = rng.bytes(1 + rng.below(500));
    c.tag("video-bytes");
  }
  return video;
}

llmm::AudioBlock audio_block(Rng& rng, Case& c) {
  llmm::AudioBlock audio;
  audio.format = rng.pick(kAudioFormats);
  if (rng.chance(30)) {
    audio.source = s3_location(rng, audio.format);
    c.tag("audio-s3");
  } else {
    audio.source = rng.bytes(1 + rng.below(300));
    c.tag("audio-bytes");
  }
  return audio;
}

llmm::SearchResultBlock search_result(Rng& rng, Case& c) {
  llmm::SearchResultBlock result;
  result.source = "https://example.com/" + rng.text(kLower, 1 + rng.below(10));
  result.title = some_text(rng, c, 5);
  for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i)
    result.content.push_back(some_text(rng, c));
  if (rng.chance(40)) result.citations = llmm::CitationsConfig{rng.chance(50)};
  return result;
}

llmm::GuardContentBlock guard_block(Rng& rng, Case& c, bool allow_image) {
  if (allow_image && rng.chance(30)) {
    c.tag("guard-image");
    return {
        llmm::GuardContentImage{rng.chance(50) ? "png" : "jpeg", rng.bytes(1 + rng.below(200))}};
  }
  llmm::GuardContentText text{some_text(rng, c), {}};
  static const std::vector<std::string> qualifiers = {"grounding_source", "query", "guard_content"};
  for (const auto& qualifier : qualifiers) {
    if (rng.chance(35)) text.qualifiers.push_back(qualifier);
  }
  c.tag("guard-text");
  return {std::move(text)};
}

llmm::CachePointBlock cache_point(Rng& rng, Case& c) {
  llmm::CachePointBlock cache;
  if (rng.chance(35)) {
    cache.ttl = rng.chance(50) ? "5m" : "1h";
    c.tag("cache-point-ttl");
  }
  c.tag("cache-point");
  return cache;
}

llmm::CitationsContentBlock citations_content(Rng& rng, Case& c) {
  llmm::CitationsContentBlock block;
  for (std::size_t i = 0, n = 1 + rng.below(2); i < n; ++i)
    block.content.push_back(some_text(rng, c));
  for (std::size_t i = 0, n = 1 + rng.below(2); i < n; ++i) {
    llmm::Citation citation;
    if (rng.chance(70)) citation.title = some_text(rng, c, 4);
    if (rng.chance(40)) citation.source = "https://example.org/" + rng.text(kLower, 6);
    for (std::size_t j = 0, m = rng.below(3); j < m; ++j) {
      citation.source_content.push_back(some_text(rng, c));
    }
    const auto index = [&] { return static_cast<int>(rng.between(0, 5)); };
    const auto offset = [&] { return static_cast<int>(rng.between(0, 5000)); };
    switch (rng.below(6)) {
      case 0: citation.location = llmm::DocumentCharLocation{index(), offset(), offset()}; break;
      case 1: citation.location = llmm::DocumentPageLocation{index(), offset(), offset()}; break;
      case 2:
        citation.location = llmm::DocumentChunkLocation{index(), offset(), std::nullopt};
        break;
      case 3: citation.location = llmm::SearchResultLocation{index(), offset(), offset()}; break;
      case 4:
        citation.location = llmm::WebLocation{"https://example.net/a?b=c", "example.net"};
        break;
      default: break;  // no location
    }
    block.citations.push_back(std::move(citation));
  }
  c.tag("citations-content");
  return block;
}

llmm::ReasoningContentBlock reasoning(Rng& rng, Case& c) {
  if (rng.chance(25)) {
    c.tag("reasoning-redacted");
    return {llmm::RedactedReasoning{rng.bytes(1 + rng.below(200))}};
  }
  llmm::ReasoningTextBlock text{some_text(rng, c, 20), std::nullopt};
  if (rng.chance(85)) {
    text.signature = rng.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                              16 + rng.below(120)) +
                     "==";
  }
  c.tag("reasoning-text");
  return {std::move(text)};
}

std::string tool_name(Rng& rng) {
  return rng.text(kAlnum, 1) + rng.text(kToolNameChars, rng.below(40));
}

// The tools (at least one toolSpec), so that toolUse names and toolChoice refer to real tools.
void add_tool_config(Rng& rng, Case& c) {
  llmm::ToolConfiguration config;
  for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i) {
    llmm::ToolSpecification spec;
    spec.name = tool_name(rng);
    if (rng.chance(70)) spec.description = some_text(rng, c);
    spec.input_schema = to_value(input_schema(rng));
    if (rng.chance(25)) {
      spec.strict = rng.chance(50);
      c.tag("tool-spec-strict");
    }
    c.tool_names.push_back(spec.name);
    config.tools.emplace_back(std::move(spec));
    c.tag("tool-spec");
  }
  if (rng.chance(15)) {
    config.tools.emplace_back(llmm::SystemTool{rng.chance(50) ? "nova_grounding" : "web_search"});
    c.tag("tool-system");
  }
  if (c.caches("tools") && rng.chance(25)) {
    config.tools.emplace_back(cache_point(rng, c));
    c.tag("tool-cache-point");
  }
  switch (rng.below(4)) {
    case 0:
      config.tool_choice = llmm::AutoToolChoice{};
      c.tag("tool-choice-auto");
      break;
    case 1:
      config.tool_choice = llmm::AnyToolChoice{};
      c.tag("tool-choice-any");
      break;
    case 2:
      config.tool_choice = llmm::SpecificToolChoice{rng.pick(c.tool_names)};
      c.tag("tool-choice-tool");
      break;
    default: break;  // no toolChoice
  }
  c.request.tool_config = std::move(config);
}

llmm::ToolResultBlock tool_result(Rng& rng, Case& c, const std::string& id) {
  llmm::ToolResultBlock result;
  result.tool_use_id = id;
  for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i) {
    switch (rng.below(c.nova() ? 7 : 6)) {
      case 0:
      case 1:
        result.content.emplace_back(to_value(random_object(rng, c)));
        c.tag("tool-result-json");
        break;
      case 2:
        result.content.emplace_back(llmm::TextBlock{some_text(rng, c)});
        c.tag("tool-result-text");
        break;
      case 3:
        result.content.emplace_back(image_block(rng, c));
        c.tag("tool-result-image");
        break;
      case 4:
        result.content.emplace_back(document_block(rng, c));
        c.tag("tool-result-document");
        break;
      case 5:
        result.content.emplace_back(search_result(rng, c));
        c.tag("tool-result-search");
        break;
      default:
        result.content.emplace_back(video_block(rng, c));
        c.tag("tool-result-video");
        break;
    }
  }
  if (rng.chance(50)) result.status = rng.chance(70) ? "success" : "error";
  c.tag("tool-result");
  return result;
}

// A user turn: text plus media, guard content, search results, cache points.
std::vector<llmm::ContentBlock> user_blocks(Rng& rng, Case& c) {
  std::vector<llmm::ContentBlock> blocks;
  for (std::size_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
    const std::size_t kind = rng.below(20);
    if (kind < 7) {
      blocks.emplace_back(llmm::TextBlock{some_text(rng, c)});
      c.tag("text");
    } else if (kind < 9) {
      blocks.emplace_back(image_block(rng, c));
    } else if (kind < 11) {
      blocks.emplace_back(document_block(rng, c));
    } else if (kind < 12 && c.nova()) {
      blocks.emplace_back(video_block(rng, c));
    } else if (kind < 13) {
      blocks.emplace_back(audio_block(rng, c));
    } else if (kind < 15) {
      blocks.emplace_back(guard_block(rng, c, true));
    } else if (kind < 16) {
      blocks.emplace_back(search_result(rng, c));
      c.tag("search-result");
    } else if (kind < 18 && !blocks.empty() && c.caches("messages")) {
      blocks.emplace_back(cache_point(rng, c));
    } else {
      blocks.emplace_back(llmm::TextBlock{some_text(rng, c)});
      c.tag("text");
    }
  }
  return blocks;
}

// An assistant turn: reasoning first when present, then text, citations, tool calls.
std::vector<llmm::ContentBlock> assistant_blocks(Rng& rng, Case& c,
                                                 std::vector<std::string>& tool_use_ids) {
  std::vector<llmm::ContentBlock> blocks;
  if (rng.chance(25)) blocks.emplace_back(reasoning(rng, c));
  if (rng.chance(70) || blocks.empty()) {
    blocks.emplace_back(llmm::TextBlock{some_text(rng, c)});
    c.tag("text");
  }
  if (rng.chance(15)) blocks.emplace_back(citations_content(rng, c));
  if (!c.tool_names.empty() && rng.chance(60)) {
    for (std::size_t i = 0, n = 1 + rng.below(2); i < n; ++i) {
      llmm::ToolUseBlock use;
      use.tool_use_id = "tooluse_" + rng.text(kAlnum, 22);
      use.name = rng.pick(c.tool_names);
      use.input = to_value(random_object(rng, c));
      if (rng.chance(10)) {
        use.type = "server_tool_use";
        c.tag("tool-use-type");
      }
      tool_use_ids.push_back(use.tool_use_id);
      blocks.emplace_back(std::move(use));
      c.tag("tool-use");
    }
  }
  if (c.caches("messages") && rng.chance(10)) blocks.emplace_back(cache_point(rng, c));
  return blocks;
}

void add_messages(Rng& rng, Case& c) {
  const std::size_t turns = 1 + 2 * rng.below(3);  // user (assistant user)*: ends with the user
  std::vector<std::string> pending_tool_uses;
  for (std::size_t turn = 0; turn < turns; ++turn) {
    llmm::Message message;
    if (turn % 2 == 0) {
      message.role = llmm::Role::User;
      // Answer the previous turn's tool calls first, as the service wants.
      for (const std::string& id : pending_tool_uses) {
        message.content.emplace_back(tool_result(rng, c, id));
      }
      pending_tool_uses.clear();
      for (auto& block : user_blocks(rng, c)) message.content.push_back(std::move(block));
    } else {
      message.role = llmm::Role::Assistant;
      message.content = assistant_blocks(rng, c, pending_tool_uses);
    }
    c.request.messages.push_back(std::move(message));
  }
}

void add_system(Rng& rng, Case& c) {
  for (std::size_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
    const std::size_t kind = rng.below(10);
    if (kind < 6 || c.request.system.empty()) {
      c.request.system.emplace_back(llmm::TextBlock{some_text(rng, c, 20)});
      c.tag("system-text");
    } else if (kind < 8) {
      c.request.system.emplace_back(guard_block(rng, c, false));
      c.tag("system-guard");
    } else if (c.caches("system")) {
      c.request.system.emplace_back(cache_point(rng, c));
      c.tag("system-cache-point");
    } else {
      c.request.system.emplace_back(llmm::TextBlock{some_text(rng, c, 20)});
      c.tag("system-text");
    }
  }
}

double unit_interval(Rng& rng) {
  switch (rng.below(5)) {
    case 0: return 0.0;
    case 1: return 1.0;
    case 2: return 0.5;
    default: return static_cast<double>(rng.between(0, 1000)) / 1000.0;
  }
}

void add_inference_config(Rng& rng, Case& c) {
  llmm::InferenceConfig& config = c.request.inference_config;
  if (rng.chance(60)) {
    config.max_tokens = static_cast<int>(rng.chance(20) ? rng.between(1, 5) : rng.between(1, 8192));
    c.tag("inference-max-tokens");
  }
  if (rng.chance(50)) {
    config.temperature = unit_interval(rng);
    c.tag("inference-temperature");
  }
  if (rng.chance(40)) {
    config.top_p = unit_interval(rng);
    c.tag("inference-top-p");
  }
  if (rng.chance(40)) {
    for (std::size_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
      config.stop_sequences.push_back(rng.chance(30) ? rng.pick(kOddPieces) : words(rng, 1, false));
    }
    c.tag("inference-stop-sequences");
  }
}

void add_guardrail(Rng& rng, Case& c) {
  llmm::GuardrailConfiguration config;
  config.guardrail_identifier = rng.chance(50)
                                    ? rng.text("abcdefghijklmnopqrstuvwxyz0123456789", 12)
                                    : "arn:aws:bedrock:us-east-1:123456789012:guardrail/" +
                                          rng.text("abcdefghijklmnopqrstuvwxyz0123456789", 12);
  config.guardrail_version = rng.chance(40) ? "DRAFT" : std::to_string(rng.between(1, 99999999));
  if (rng.chance(60)) {
    static const std::vector<std::string> traces = {"enabled", "disabled", "enabled_full"};
    config.trace = rng.pick(traces);
    c.tag("guardrail-trace");
  }
  // streamProcessingMode is ConverseStream-only (the SDK's Converse GuardrailConfiguration has no
  // such member), so a Converse case never sets it.
  c.request.guardrail_config = std::move(config);
  c.tag("guardrail");
}

// Top-level keys the emulator accepts for the model (docs/emulator.md "Capability checks"),
// with nested documents as values.
void add_request_fields(Rng& rng, Case& c) {
  nlohmann::json fields = nlohmann::json::object();
  if (c.nova()) {
    if (rng.chance(70)) {
      nlohmann::json inference = {{"topK", rng.between(1, 500)}};
      if (rng.chance(40)) inference["extra"] = random_object(rng, c);
      fields["inferenceConfig"] = inference;
    }
    if (rng.chance(50) || fields.empty()) {
      static const std::vector<std::string> efforts = {"low", "medium", "high"};
      fields["reasoningConfig"] = {{"type", "enabled"}, {"maxReasoningEffort", rng.pick(efforts)}};
    }
    c.tag("request-fields-nova");
  } else {
    if (rng.chance(60)) fields["top_k"] = rng.between(0, 500);
    if (rng.chance(30)) fields["anthropic_version"] = "bedrock-2023-05-31";
    if (rng.chance(30)) {
      nlohmann::json thinking = {{"type", "enabled"}, {"budget_tokens", rng.between(1024, 4096)}};
      if (rng.chance(40)) thinking["notes"] = random_object(rng, c);
      fields["thinking"] = thinking;
    }
    // Claude 3 Haiku accepts no beta flag, so the list is empty.
    if (rng.chance(15) || fields.empty()) fields["anthropic_beta"] = nlohmann::json::array();
    c.tag("request-fields-anthropic");
  }
  c.request.additional_model_request_fields = to_value(fields);
}

void add_top_level_extras(Rng& rng, Case& c) {
  if (rng.chance(30)) {
    static const std::vector<std::string> paths = {"/stop_sequence", "/amazon-bedrock-trace",
                                                   "/usage/cache_read_input_tokens", "/x~1y",
                                                   "/m~0n/0"};
    for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i) {
      c.request.additional_model_response_field_paths.push_back(rng.pick(paths));
    }
    c.tag("response-field-paths");
  }
  if (rng.chance(25)) {
    for (std::size_t i = 0, n = 1 + rng.below(3); i < n; ++i) {
      c.request.prompt_variables[rng.text(kLower, 1 + rng.below(10))] = some_text(rng, c);
    }
    c.tag("prompt-variables");
  }
  if (rng.chance(30)) {
    static const std::vector<std::string> keys = {"team", "cost-center", "user:id",  "a@b",
                                                  "env",  "x y",         "trace/id", "k=v"};
    for (std::size_t i = 0, n = 1 + rng.below(4); i < n; ++i) {
      c.request.request_metadata[rng.pick(keys)] =
          rng.chance(30) ? std::string() : words(rng, 1 + rng.below(3), true);
    }
    c.tag("request-metadata");
  }
  if (rng.chance(25)) {
    c.request.performance_config =
        llmm::PerformanceConfiguration{rng.chance(50) ? "standard" : "optimized"};
    c.tag("performance-config");
  }
  if (rng.chance(15)) {
    static const std::vector<std::string> tiers = {"priority", "default", "flex"};
    c.request.service_tier = llmm::ServiceTier{rng.pick(tiers)};
    c.tag("service-tier");
  }
  if (rng.chance(15)) {
    llmm::OutputFormat format;
    format.json_schema.schema = input_schema(rng).dump();
    if (rng.chance(60)) format.json_schema.name = tool_name(rng);
    if (rng.chance(40)) format.json_schema.description = some_text(rng, c);
    c.request.output_config = llmm::OutputConfig{std::move(format)};
    c.tag("output-config");
  }
}

// Drops cache points past Bedrock's limit, the last ones in prompt order (messages from the end,
// then system, then tools) first. None is a message's or the system's only block (a cache point
// follows what it caches), so nothing becomes empty.
void keep_cache_points_within_limit(Case& c) {
  const auto is_cache_point = [](const auto& block) {
    return std::holds_alternative<llmm::CachePointBlock>(block);
  };
  std::size_t count = 0;
  if (c.request.tool_config) {
    count += static_cast<std::size_t>(std::count_if(
        c.request.tool_config->tools.begin(), c.request.tool_config->tools.end(), is_cache_point));
  }
  count += static_cast<std::size_t>(
      std::count_if(c.request.system.begin(), c.request.system.end(), is_cache_point));
  for (const auto& message : c.request.messages) {
    count += static_cast<std::size_t>(
        std::count_if(message.content.begin(), message.content.end(), is_cache_point));
  }
  const auto drop_from = [&](auto& blocks) {
    for (auto it = blocks.end(); it != blocks.begin() && count > kMaxCachePoints;) {
      --it;
      if (is_cache_point(*it)) {
        it = blocks.erase(it);
        --count;
      }
    }
  };
  for (auto it = c.request.messages.rbegin(); it != c.request.messages.rend(); ++it) {
    drop_from(it->content);
  }
  drop_from(c.request.system);
  if (c.request.tool_config) drop_from(c.request.tool_config->tools);
}

Case make_case(Rng& rng) {
  Case c;
  const std::size_t pick = rng.below(10);
  c.model = pick < 3 ? kNovaLite : pick < 5 ? kSonnet4 : kHaiku;
  c.tag(c.nova() ? "model-nova" : c.model == kSonnet4 ? "model-sonnet4" : "model-haiku");
  c.odd_text = rng.chance(30);
  // Tools first: the conversation's toolUse blocks name them.
  const bool tools = rng.chance(45);
  if (tools) add_tool_config(rng, c);
  add_messages(rng, c);
  if (rng.chance(45)) add_system(rng, c);
  add_inference_config(rng, c);
  if (rng.chance(25)) add_guardrail(rng, c);
  if (rng.chance(35)) add_request_fields(rng, c);
  add_top_level_extras(rng, c);
  keep_cache_points_within_limit(c);
  return c;
}

// ---- our body in the SDK's input shape --------------------------------------------------------

// Members whose value is a smithy Document: passed to the SDK exactly as encoded.
bool is_document_member(std::string_view key) {
  return key == "input" || key == "json" || key == "additionalModelRequestFields";
}

// Blob members become {"$blob": base64}; the node side turns those into Uint8Array.
void to_sdk_shape(ordered_json& value, std::string_view parent_key) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      if (is_document_member(key)) continue;
      const bool blob = (key == "bytes" && parent_key == "source") || key == "redactedContent";
      if (blob && it.value().is_string()) {
        it.value() = ordered_json{{"$blob", it.value().get<std::string>()}};
      } else {
        to_sdk_shape(it.value(), key);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) to_sdk_shape(item, parent_key);
  }
}

struct Options {
  std::string endpoint;
  std::string out;
};

std::unique_ptr<llmm::LLMManager> make_manager(const std::string& model,
                                               const std::string& endpoint) {
  llmm::AuthConfig auth;
  auth.type = llmm::AuthType::Credentials;
  auth.access_key_id = "AKIDEXAMPLE";
  auth.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  auth.runtime_endpoint = endpoint;
  auth.control_endpoint = endpoint;
  auth.environment = llmm::Environment::from_map({});
  llmm::RetryConfig retry;
  retry.max_retries = 0;
  retry.enable_feature_fallback = false;  // the body sent must be exactly the request's
  retry.circuit_breaker.enabled = false;
  llmm::ClientConfig client({.read_timeout = std::chrono::seconds(30), .retries_max_attempts = 0});
  return std::make_unique<llmm::LLMManager>(std::vector<std::string>{model},
                                            std::vector<std::string>{kRegion}, auth, retry, client);
}

}  // namespace

int main(int argc, char** argv) {
  // --endpoint and --out are ours; the rest is the shared --seed/--count command line.
  Options options;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--endpoint" || arg == "--out") && i + 1 < argc) {
      (arg == "--endpoint" ? options.endpoint : options.out) = argv[++i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  const auto args =
      conformance::parse_generator_args(static_cast<int>(rest.size()), rest.data(),
                                        "converse_body_cases", {kDefaultSeed, kDefaultCount});
  if (!args) return 2;
  if (options.endpoint.empty()) {
    std::cerr << "usage: converse_body_cases --endpoint http://127.0.0.1:PORT [--out FILE] "
                 "[--seed N] [--count N]\n";
    return 2;
  }

  std::ofstream file;
  if (!options.out.empty()) {
    file.open(options.out, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "converse_body_cases: cannot write " << options.out << '\n';
      return 2;
    }
  }
  std::ostream& out = options.out.empty() ? std::cout : file;

  try {
    std::map<std::string, std::unique_ptr<llmm::LLMManager>> managers;
    managers[kHaiku] = make_manager(kHaiku, options.endpoint);
    managers[kNovaLite] = make_manager(kNovaLite, options.endpoint);
    managers[kSonnet4] = make_manager(kSonnet4, options.endpoint);

    Rng rng(args->seed);
    std::map<std::string, int> coverage;
    out << ordered_json{{"meta",
                         {{"generator", "converse_body_cases"},
                          {"seed", args->seed},
                          {"count", args->count},
                          {"region", kRegion}}}}
               .dump()
        << '\n';
    for (std::uint64_t i = 0; i < args->count; ++i) {
      const Case c = make_case(rng);
      const std::string body = llmm::protocol::encode_converse_request(c.request);
      const llmm::BedrockResponse response = managers.at(c.model)->converse(c.request);
      if (!response.ok() || response.attempts.size() != 1 || !response.warnings.empty()) {
        std::cerr << "converse_body_cases: case " << i << " (" << c.model
                  << ") was not sent once and accepted, a generator bug:\n  "
                  << (response.error ? response.error->describe() : std::string("no error"))
                  << "\n  attempts " << response.attempts.size() << ", warnings "
                  << response.warnings.size() << "\n  body " << body << '\n';
        return 1;
      }
      ordered_json input = ordered_json::parse(body);
      to_sdk_shape(input, "");
      for (const auto& kind : c.kinds) ++coverage[kind];
      out << ordered_json{{"case", i},
                          {"modelId", response.attempts.front().model_id},
                          {"foundationModelId", c.model},
                          {"kinds", c.kinds},
                          {"input", std::move(input)}}
                 .dump()
          << '\n';
    }
    out.flush();
    if (!out) {
      std::cerr << "converse_body_cases: write failed\n";
      return 1;
    }

    std::cerr << "converse_body_cases: " << args->count << " cases sent and accepted; coverage:";
    for (const auto& [kind, n] : coverage) std::cerr << ' ' << kind << '=' << n;
    std::cerr << '\n';
    std::vector<std::string> missing;
    for (const auto& kind : kRequiredKinds) {
      if (!coverage.contains(kind)) missing.push_back(kind);
    }
    if (!missing.empty()) {
      std::cerr << "converse_body_cases: these kinds never occurred (raise --count or fix the "
                   "generator):";
      for (const auto& kind : missing) std::cerr << ' ' << kind;
      std::cerr << '\n';
      return 1;
    }
  } catch (const std::exception& error) {
    std::cerr << "converse_body_cases: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
