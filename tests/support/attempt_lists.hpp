#pragma once
// A response's attempts as plain lists, for exact assertions on what the engine decided.

#include <llmm/bedrock_response.hpp>

#include <string>
#include <vector>

namespace llmm::test {

inline std::vector<std::string> decisions(const BedrockResponse& response) {
  std::vector<std::string> out;
  for (const Attempt& attempt : response.attempts) out.emplace_back(to_string(attempt.decision));
  return out;
}

inline std::vector<std::string> regions_of(const BedrockResponse& response) {
  std::vector<std::string> out;
  for (const Attempt& attempt : response.attempts) out.push_back(attempt.region);
  return out;
}

// Each attempt's backoff_before, in milliseconds.
inline std::vector<long long> waits(const BedrockResponse& response) {
  std::vector<long long> out;
  for (const Attempt& attempt : response.attempts) out.push_back(attempt.backoff_before.count());
  return out;
}

}  // namespace llmm::test
