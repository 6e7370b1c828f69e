#pragma once
// The answer of LLMManager::converse_stream, as it arrives. Pull events with next() (it blocks
// until the next one); when it returns nullopt the stream is over and response() holds the same
// complete BedrockResponse converse() would have given: content, usage, stop reason, attempts,
// model, region, access method, plus recoveries, and partial_output when it failed midway.
//
// Honest by construction: a stream that failed before any content is a failure; one cut off
// with content and no recovery is a failure carrying that content in partial_output.
// Do not call next() or response() on the library's event-loop thread (from a callback).

#include <llmm/bedrock_response.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/stream_event.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace llmm {

// A value type: not synchronized.
struct StreamOptions {
  CallOptions call;  // access preference and progress; response validation is not offered here
  // Fail over when no content arrives within this time of sending (read_timeout still bounds
  // the silence between events).
  std::optional<std::chrono::milliseconds> first_token_timeout;
  // After content has started, continue on the next target from the text so far (only new text
  // reaches the consumer). Off: such a failure ends the stream with its error.
  bool recover = true;
};

// Thread-safe: next(), response() and done() are locked, so several threads may pull at once
// (each event goes to one of them); copies share one stream. The blocking members must not be
// called on the event-loop thread.
class StreamingResponse {
 public:
  struct State;
  explicit StreamingResponse(std::shared_ptr<State> state);

  // The next event, waiting for it; nullopt once the stream has ended (successfully or not).
  std::optional<StreamEvent> next();
  // Waits for the end of the stream; later events not yet pulled stay available to next().
  const BedrockResponse& response();
  // True once the stream has ended (every event has arrived).
  [[nodiscard]] bool done() const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace llmm
