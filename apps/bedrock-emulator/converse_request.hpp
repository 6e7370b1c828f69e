#pragma once
// Validation of a Converse / ConverseStream request body (wire doc §2) and the facts the answer
// is built from. Failures are the ValidationException message the service replies with.

#include "auth/crypto.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bedrock_emulator {

// Bedrock takes at most this many cache points in one request.
inline constexpr std::size_t kMaxCachePoints = 4;

// A cachePoint block and the prompt it closes. The prompt runs toolConfig.tools, then system,
// then messages; the prefix is everything before the block in that order.
struct CachePoint {
  std::string_view part;  // "tools", "system" or "messages" (static strings)
  // SHA-256 of the prefix's canonical JSON (keys sorted, every element in order; toolConfig whole
  // once its tools are behind). Computed for the first kMaxCachePoints only: a request with more
  // is refused before anything reads them.
  std::optional<llmm::auth::Sha256Digest> prefix_digest;
  // The input_tokens estimate over the prefix alone (same rules as the whole).
  std::int64_t prefix_tokens = 0;
};

struct ConverseInput {
  std::string last_user_text;         // the last text block of the last user message
  std::vector<std::string> mentions;  // "[image png 8 bytes]" for that message's media blocks
  std::optional<std::int64_t> max_tokens;
  bool has_tool_config = false;
  std::vector<std::string> tool_names;  // toolSpec / systemTool names in toolConfig.tools
  // "image", "document", "video": the media kinds anywhere in the messages (toolResult content
  // included), each once, in order of first appearance. For the capability checks.
  std::vector<std::string> media_kinds;
  // additionalModelRequestFields: its top-level keys (in order) and its anthropic_beta flags.
  std::vector<std::string> request_field_keys;
  std::vector<std::string> beta_flags;
  // Estimate: ceil(chars / 4) over every text, tool and media block, plus 3 per message, plus
  // ceil(chars / 4) of the system texts and of the serialised toolConfig.
  std::int64_t input_tokens = 0;
  // Every cachePoint block of the request, in prompt order (tools, system, messages).
  std::vector<CachePoint> cache_points;
};

// Checks the content type (application/json, parameters allowed) and the body.
std::variant<ConverseInput, std::string> parse_converse_request(std::string_view content_type,
                                                                std::string_view body);

// The message sent for a body that is not a JSON object (Bedrock's malformed-input wording).
inline constexpr std::string_view kMalformedInput =
    "Malformed input request, please reformat your input and try again.";

}  // namespace bedrock_emulator
