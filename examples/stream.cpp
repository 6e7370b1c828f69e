// A ConverseStream answer printed as it arrives; a stalled start fails over to the next target.
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include <chrono>
#include <iostream>

int main() {
  llmm::LLMManager manager({.models = {"Claude 3 Haiku"}, .regions = {"us-east-1", "us-west-2"}});

  llmm::StreamOptions options;
  options.first_token_timeout = std::chrono::seconds(5);
  llmm::StreamingResponse stream =
      manager.converse_stream(llmm::ConverseRequest::from_prompt("Tell me a short story"), options);
  std::size_t deltas = 0;
  while (auto event = stream.next()) {
    if (event->type == llmm::StreamEventType::Text) {
      std::cout << event->text << std::flush;
      ++deltas;
    }
  }
  const llmm::BedrockResponse& done = stream.response();  // as converse() would have answered
  if (!done.ok()) {
    std::cerr << "\nstream failed: " << done.error->describe() << '\n';
    return 1;
  }
  std::cout << "\n(" << deltas << " text events from " << done.region << ", stop reason "
            << done.output->stop_reason << ")\n";
  return 0;
}
