// A batch of prompts on one event loop, at most 4 in flight; one line per answer, in input
// order, then a summary. Exit status 1 when any call failed.
#include <llmm/parallel_llm_manager.hpp>

#include <iostream>
#include <string>
#include <vector>

int main() {
  llmm::ParallelLLMManager batch({
      .manager = {.models = {"Claude 3 Haiku"}, .regions = {"us-east-1", "us-west-2"}},
      .parallel = {.max_concurrent_requests = 4},
  });

  std::vector<llmm::ConverseRequest> requests;
  for (int i = 1; i <= 12; ++i) {
    requests.push_back(llmm::ConverseRequest::from_prompt("Summarize item " + std::to_string(i)));
  }
  const llmm::ParallelResponse batch_response = batch.converse_parallel(requests);

  std::size_t ok = 0;
  for (std::size_t i = 0; i < batch_response.results.size(); ++i) {
    const llmm::BedrockResponse& response = batch_response.results[i].response;
    if (response.ok()) {
      ++ok;
      std::cout << "#" << i + 1 << " ok (" << response.region << ", " << response.attempts.size()
                << " attempt(s)): " << response.text() << '\n';
    } else {
      std::cout << "#" << i + 1 << " failed: " << response.error->describe() << '\n';
    }
  }
  std::cout << ok << "/" << batch_response.results.size() << " succeeded\n";
  std::cout << "p90 latency " << batch_response.stats.latency.p90_ms << " ms\n";
  return batch_response.success && ok == batch_response.results.size() ? 0 : 1;
}
