#include "converse_answer.hpp"

#include "protocol/eventstream/event_stream_encoder.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace bedrock_emulator {
namespace {

using nlohmann::json;

// Generate mode's vocabulary: plain words so answers look like text in logs and demos.
constexpr std::array<std::string_view, 48> kWords = {
    "the",    "model",   "answer", "river",   "stone",   "light",  "quiet",   "signal",
    "region", "cloud",   "token",  "stream",  "garden",  "simple", "north",   "paper",
    "window", "harbor",  "engine", "value",   "morning", "bright", "careful", "across",
    "under",  "between", "steady", "number",  "forest",  "letter", "summer",  "copper",
    "with",   "and",     "of",     "to",      "a",       "is",     "for",     "on",
    "green",  "silver",  "early",  "distant", "open",    "small",  "clear",   "warm"};

// Splits text into word + trailing whitespace pieces; leading whitespace joins the first piece.
std::vector<std::string> split_pieces(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t i = 0;
  std::string leading;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) leading += text[i++];
  while (i < text.size()) {
    std::string piece = std::move(leading);
    leading.clear();
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
      piece += text[i++];
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) piece += text[i++];
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

std::string echo_text(const ConverseInput& input) {
  std::string text = input.last_user_text;
  for (const std::string& mention : input.mentions) {
    if (!text.empty()) text += ' ';
    text += mention;
  }
  return text.empty() ? std::string("(no text)") : text;
}

std::string generated_text(std::uint64_t& state) {
  const std::size_t count = 8 + splitmix64(state) % 40;
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    std::string word(kWords[splitmix64(state) % kWords.size()]);
    if (i == 0) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text + ".";
}

std::string tool_use_id(std::uint64_t& state) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id = "tooluse_";
  for (int i = 0; i < 22; ++i) id += kAlphabet[splitmix64(state) % kAlphabet.size()];
  return id;
}

std::int64_t modelled_latency(const LatencyModel& latency, std::int64_t tokens) {
  std::int64_t ms = latency.time_to_first_token_ms;
  if (latency.tokens_per_second > 0) {
    ms +=
        static_cast<std::int64_t>(static_cast<double>(tokens) * 1000.0 / latency.tokens_per_second);
  }
  return ms;
}

std::chrono::milliseconds per_tokens(const LatencyModel& latency, std::size_t tokens) {
  if (latency.tokens_per_second <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(tokens) * 1000.0 / latency.tokens_per_second));
}

// Bedrock's totalTokens counts the cached input too: input + output + cache read + cache write.
json usage_json(const Answer& answer) {
  json usage = {
      {"inputTokens", answer.input_tokens},
      {"outputTokens", answer.output_tokens},
      {"totalTokens", answer.input_tokens + answer.output_tokens + answer.cache_read_input_tokens +
                          answer.cache_write_input_tokens}};
  if (answer.reports_cache) {
    usage["cacheReadInputTokens"] = answer.cache_read_input_tokens;
    usage["cacheWriteInputTokens"] = answer.cache_write_input_tokens;
  }
  return usage;
}

StreamFrame event_frame(const char* type, const json& payload) {
  StreamFrame frame;
  frame.bytes = llmm::eventstream::encode(llmm::eventstream::make_event(type, payload.dump()));
  return frame;
}

}  // namespace

std::string Answer::text() const {
  std::string out;
  for (const std::string& piece : pieces) out += piece;
  return out;
}

Answer make_answer(const ConverseInput& input, AnswerMode mode, std::uint64_t seed,
                   std::string_view body, const RuleAction* tool, const LatencyModel& latency) {
  Answer answer;
  answer.input_tokens = input.input_tokens;
  std::uint64_t state = hash_bytes(body, seed);
  if (tool != nullptr) {
    answer.tool_call = ToolCall{tool_use_id(state), tool->tool_name, tool->tool_input_json};
    answer.stop_reason = "tool_use";
    // Roughly what a model spends on the call: the input JSON plus a few tokens of framing.
    answer.output_tokens = static_cast<std::int64_t>((tool->tool_input_json.size() + 3) / 4) + 5;
  } else {
    answer.pieces =
        split_pieces(mode == AnswerMode::Echo ? echo_text(input) : generated_text(state));
    if (input.max_tokens && static_cast<std::int64_t>(answer.pieces.size()) > *input.max_tokens) {
      answer.pieces.resize(static_cast<std::size_t>(*input.max_tokens));
      answer.stop_reason = "max_tokens";
    }
    if (!answer.pieces.empty()) {
      std::string& last = answer.pieces.back();
      while (!last.empty() && std::isspace(static_cast<unsigned char>(last.back())))
        last.pop_back();
    }
    answer.output_tokens = static_cast<std::int64_t>(answer.pieces.size());
  }
  answer.latency_ms = modelled_latency(latency, answer.output_tokens);
  return answer;
}

void apply_cache_usage(Answer& answer, std::int64_t read_tokens, std::int64_t write_tokens) {
  answer.reports_cache = true;
  answer.cache_read_input_tokens = read_tokens;
  answer.cache_write_input_tokens = write_tokens;
  answer.input_tokens = std::max<std::int64_t>(answer.input_tokens - read_tokens - write_tokens, 0);
}

std::string converse_response_json(const Answer& answer) {
  json content = json::array();
  if (answer.tool_call) {
    content.push_back({{"toolUse",
                        {{"toolUseId", answer.tool_call->tool_use_id},
                         {"name", answer.tool_call->name},
                         {"input", json::parse(answer.tool_call->input_json)}}}});
  } else {
    content.push_back({{"text", answer.text()}});
  }
  json body = {{"output", {{"message", {{"role", "assistant"}, {"content", content}}}}},
               {"stopReason", answer.stop_reason},
               {"usage", usage_json(answer)},
               {"metrics", {{"latencyMs", answer.latency_ms}}}};
  return body.dump();
}

std::vector<StreamFrame> converse_stream_frames(const Answer& answer, const LatencyModel& latency) {
  std::vector<StreamFrame> frames;
  frames.push_back(event_frame("messageStart", {{"role", "assistant"}}));
  frames.back().delay_before = std::chrono::milliseconds(latency.time_to_first_token_ms);
  if (answer.tool_call) {
    const ToolCall& call = *answer.tool_call;
    frames.push_back(event_frame(
        "contentBlockStart",
        {{"contentBlockIndex", 0},
         {"start", {{"toolUse", {{"toolUseId", call.tool_use_id}, {"name", call.name}}}}}}));
    for (std::size_t at = 0; at < call.input_json.size(); at += kToolInputChunk) {
      frames.push_back(event_frame(
          "contentBlockDelta",
          {{"contentBlockIndex", 0},
           {"delta", {{"toolUse", {{"input", call.input_json.substr(at, kToolInputChunk)}}}}}}));
    }
    frames.back().delay_before +=
        per_tokens(latency, static_cast<std::size_t>(answer.output_tokens));
  } else {
    // Text blocks start implicitly with their first delta (wire doc §4.4): no contentBlockStart.
    for (std::size_t at = 0; at < answer.pieces.size(); at += kWordsPerDelta) {
      std::string chunk;
      const std::size_t end = std::min(answer.pieces.size(), at + kWordsPerDelta);
      for (std::size_t i = at; i < end; ++i) chunk += answer.pieces[i];
      frames.push_back(event_frame("contentBlockDelta",
                                   {{"contentBlockIndex", 0}, {"delta", {{"text", chunk}}}}));
      frames.back().delay_before = per_tokens(latency, end - at);
    }
  }
  frames.push_back(event_frame("contentBlockStop", {{"contentBlockIndex", 0}}));
  frames.push_back(event_frame("messageStop", {{"stopReason", answer.stop_reason}}));
  frames.push_back(event_frame("metadata", {{"usage", usage_json(answer)},
                                            {"metrics", {{"latencyMs", answer.latency_ms}}}}));
  return frames;
}

}  // namespace bedrock_emulator
