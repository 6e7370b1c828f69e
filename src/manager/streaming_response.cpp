#include <llmm/streaming_response.hpp>

#include "manager/streaming_response_sinks.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace llmm {

// Filled on the event-loop thread, drained by the consumer's thread.
struct StreamingResponse::State {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<StreamEvent> events;
  std::optional<BedrockResponse> final;

  void push(const StreamEvent& event) {
    {
      std::lock_guard lock(mutex);
      events.push_back(event);
    }
    changed.notify_all();
  }
  void finish(BedrockResponse response) {
    {
      std::lock_guard lock(mutex);
      final = std::move(response);
    }
    changed.notify_all();
  }
};

StreamingResponse::StreamingResponse(std::shared_ptr<State> state) : state_(std::move(state)) {}

std::optional<StreamEvent> StreamingResponse::next() {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return !state_->events.empty() || state_->final.has_value(); });
  if (state_->events.empty()) return std::nullopt;
  StreamEvent event = std::move(state_->events.front());
  state_->events.pop_front();
  return event;
}

const BedrockResponse& StreamingResponse::response() {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->final.has_value(); });
  return *state_->final;
}

bool StreamingResponse::done() const {
  std::lock_guard lock(state_->mutex);
  return state_->final.has_value();
}

std::string_view to_string(StreamEventType type) noexcept {
  switch (type) {
    case StreamEventType::Text: return "text";
    case StreamEventType::ToolUseStart: return "tool_use_start";
    case StreamEventType::ToolUseInput: return "tool_use_input";
    case StreamEventType::Reasoning: return "reasoning";
    case StreamEventType::ReasoningSignature: return "reasoning_signature";
    case StreamEventType::Citation: return "citation";
    case StreamEventType::BlockStop: return "block_stop";
    case StreamEventType::MessageStop: return "message_stop";
    case StreamEventType::Metadata: return "metadata";
    case StreamEventType::Recovery: return "recovery";
  }
  return "unknown";
}

namespace manager {

// The manager's side: a state the engine's callbacks fill.
std::pair<StreamingResponse, std::shared_ptr<StreamingResponse::State>> make_streaming_response() {
  auto state = std::make_shared<StreamingResponse::State>();
  return {StreamingResponse(state), state};
}

std::function<void(const StreamEvent&)> stream_event_sink(
    const std::shared_ptr<StreamingResponse::State>& state) {
  return [state](const StreamEvent& event) { state->push(event); };
}

std::function<void(BedrockResponse)> stream_done_sink(
    const std::shared_ptr<StreamingResponse::State>& state) {
  return [state](BedrockResponse response) { state->finish(std::move(response)); };
}

}  // namespace manager
}  // namespace llmm
