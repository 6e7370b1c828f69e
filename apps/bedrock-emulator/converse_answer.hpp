#pragma once
// The emulated model: what it answers (echo or deterministic pseudo-text, or a tool call), the
// usage it reports, and that answer as a Converse JSON body or as ConverseStream frames.

#include "converse_request.hpp"
#include "emulator_service.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bedrock_emulator {

struct ToolCall {
  std::string tool_use_id;  // "tooluse_" + 22 deterministic base62 characters
  std::string name;
  std::string input_json;  // a JSON object, serialised
};

struct Answer {
  // Text pieces that concatenate to the answer text; each piece is one output token (a word
  // with the whitespace after it), so truncation and stream chunking stay exact.
  std::vector<std::string> pieces;
  std::optional<ToolCall> tool_call;
  std::string stop_reason = "end_turn";
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  // Prompt caching: reported (both, zero allowed) when the request had a cache point.
  bool reports_cache = false;
  std::int64_t cache_read_input_tokens = 0;
  std::int64_t cache_write_input_tokens = 0;
  std::int64_t latency_ms = 0;  // the latency model's figure, reported as metrics.latencyMs

  [[nodiscard]] std::string text() const;
};

// `seed` and `body` make Generate mode and tool-use ids deterministic. `tool` is the toolUse
// action to apply (the caller checked the request has a toolConfig naming the tool).
Answer make_answer(const ConverseInput& input, AnswerMode mode, std::uint64_t seed,
                   std::string_view body, const RuleAction* tool, const LatencyModel& latency);

// Applies what the prompt cache read and wrote: those tokens leave inputTokens (never below 0)
// and are reported beside it.
void apply_cache_usage(Answer& answer, std::int64_t read_tokens, std::int64_t write_tokens);

// The Converse response body (wire doc §3).
std::string converse_response_json(const Answer& answer);

// Words per contentBlockDelta event.
inline constexpr std::size_t kWordsPerDelta = 3;
// Characters of tool input JSON per toolUse delta.
inline constexpr std::size_t kToolInputChunk = 16;

// The ConverseStream events (wire doc §4.4), encoded, with the latency model's pauses: the first
// frame waits time-to-first-token, each text delta its tokens / tokensPerSecond.
std::vector<StreamFrame> converse_stream_frames(const Answer& answer, const LatencyModel& latency);

}  // namespace bedrock_emulator
