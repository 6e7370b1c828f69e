// A user message with an image. MessageBuilder checks the file before anything is sent (format
// by content, Bedrock's size limits) and throws RequestValidationError naming it.
//   image_message IMAGE_FILE
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: image_message IMAGE_FILE\n";
    return 2;
  }
  llmm::ConverseRequest request;
  try {
    request.messages.push_back(
        llmm::user_message().add_text("What is in this picture?").add_image_file(argv[1]).build());
  } catch (const llmm::RequestValidationError& error) {
    std::cerr << "refused: " << error.what() << '\n';
    return 2;
  }

  llmm::LLMManager manager({.models = {"Claude 3 Haiku"}, .regions = {"us-east-1", "us-west-2"}});
  llmm::BedrockResponse response = manager.converse(request);
  if (!response.ok()) {
    std::cerr << response.error->describe() << '\n';
    return 1;
  }
  std::cout << response.text() << '\n';
  for (const auto& warning : response.warnings) std::cout << "warning: " << warning << '\n';
  return 0;
}
