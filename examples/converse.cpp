// One Converse call: the README's library snippet as a program.
// Credentials, endpoint and proxies come from the standard AWS chain and variables
// (AWS_ENDPOINT_URL=http://127.0.0.1:PORT points it at bedrock-emulator).
#include <iostream>
#include <llmm/llm_manager.hpp>
using namespace std::chrono_literals;

int main() {
  llmm::LLMManager manager({
      .models = {"Claude 3 Haiku"},  // a name, model id, profile id or ARN
      .regions = {"us-east-1", "us-west-2"},
      .client = llmm::ClientConfig({.read_timeout = 900s, .max_pool_connections = 32}),
  });
  llmm::BedrockResponse response = manager.converse(llmm::ConverseRequest::from_prompt("Hello"));
  if (response.ok())
    std::cout << response.text() << '\n';
  else
    std::cerr << response.error->describe() << '\n';
  return response.ok() ? 0 : 1;
}
