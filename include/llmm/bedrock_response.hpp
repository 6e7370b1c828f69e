#pragma once
// The answer to one LLMManager call, saying what really happened: the output or the error, the
// model id and region actually used, and every attempt with its error and duration.

#include <llmm/attempt.hpp>
#include <llmm/converse_output.hpp>
#include <llmm/error.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {

struct BedrockResponse {
  std::optional<ConverseOutput> output;  // set on success
  std::optional<Error> error;            // set on failure: the last attempt's error
  std::string model_name;                // the name the caller configured
  std::string model_id;                  // the id that was sent on the wire
  std::string region;
  std::vector<Attempt> attempts;
  std::chrono::milliseconds total_duration{0};

  [[nodiscard]] bool ok() const noexcept { return output.has_value(); }
  // The output's text, or an empty string when the call failed.
  [[nodiscard]] std::string text() const { return output ? output->text() : std::string(); }
};

// Thrown by LLMManager::converse_or_throw when every attempt failed; carries the response.
class RetryExhaustedError : public std::runtime_error {
 public:
  explicit RetryExhaustedError(BedrockResponse response);
  [[nodiscard]] const BedrockResponse& response() const noexcept { return response_; }

 private:
  BedrockResponse response_;
};

}  // namespace llmm
