#pragma once
// How the manager feeds a StreamingResponse from the engine's callbacks.

#include <llmm/streaming_response.hpp>

#include <functional>
#include <memory>
#include <utility>

namespace llmm::manager {

std::pair<StreamingResponse, std::shared_ptr<StreamingResponse::State>> make_streaming_response();
std::function<void(const StreamEvent&)> stream_event_sink(
    const std::shared_ptr<StreamingResponse::State>& state);
std::function<void(BedrockResponse)> stream_done_sink(
    const std::shared_ptr<StreamingResponse::State>& state);

}  // namespace llmm::manager
