// Failover across regions and models within a deadline: each attempt is printed as it ends,
// then who answered. The call never takes longer than the deadline, whatever the regions do.
//   failover_deadline [DEADLINE_SECONDS]
#include <llmm/llm_manager.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  llmm::RetryConfig retry;
  retry.total_deadline = std::chrono::seconds(argc > 1 ? std::atoi(argv[1]) : 20);
  retry.retry_delay = 100ms;

  llmm::LLMManager manager({
      .models = {"Claude 3 Haiku", "Nova Pro"},
      .regions = {"us-east-1", "us-west-2"},
      .retry = retry,
      .client = llmm::ClientConfig({.read_timeout = 5s, .connect_timeout = 2s}),
  });

  llmm::CallOptions options;
  options.on_attempt = [](const llmm::Attempt& attempt) {  // on the library's event-loop thread
    std::cout << "attempt " << attempt.number << ": " << attempt.region << " " << attempt.model_id
              << " -> " << (attempt.error ? attempt.error->describe() : std::string("ok")) << " ("
              << llmm::to_string(attempt.decision) << ")\n";
  };
  auto response = manager.converse(
      llmm::ConverseRequest::from_prompt("Why fail over between regions?"), options);
  if (!response.ok()) {
    std::cerr << "failed after " << response.attempts.size()
              << " attempt(s): " << response.error->describe() << '\n';
    return 1;
  }
  std::cout << "answered in " << response.region << " by " << response.model_id << " in "
            << response.total_duration.count() << " ms: " << response.text() << '\n';
  return 0;
}
