#pragma once
// The answer to one LLMManager call, saying what really happened: the output or the error, the
// model, region, access method and profile actually used, every attempt with its error,
// duration and the decision taken, the warnings of any fallback, and the validation checks.

#include <llmm/access_method.hpp>
#include <llmm/attempt.hpp>
#include <llmm/cache_efficiency.hpp>
#include <llmm/converse_output.hpp>
#include <llmm/error.hpp>
#include <llmm/json_value.hpp>
#include <llmm/response_validation.hpp>
#include <llmm/result.hpp>
#include <llmm/stop_reason.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

// A stream that broke after content had started and went on on another target.
// A value type: not synchronized.
struct StreamRecovery {
  int attempt_number = 0;  // the attempt whose stream broke
  std::string region;
  std::string model_id;             // as sent
  std::string error;                // Error::describe() of what broke it
  std::size_t characters_kept = 0;  // answer text the consumer had received when it broke
};

// A value type: not synchronized. Each call's response is its own (callbacks receive it by
// value), so no two threads share one unless the caller makes them.
struct BedrockResponse {
  std::optional<ConverseOutput> output;  // set on success
  std::optional<Error> error;            // set on failure: the error that ended the call
  std::string model_name;                // the name the caller configured
  std::string model_id;                  // the foundation model id actually used
  std::string region;
  AccessMethod access_method = AccessMethod::Direct;
  std::string profile_id;  // the inference profile used, empty for Direct
  std::vector<Attempt> attempts;
  std::chrono::milliseconds total_duration{0};
  std::vector<std::string> warnings;  // fallbacks taken ("Dropped ... for ...")
  std::vector<ValidationRecord> validations;
  // Streams only: the text received before a failure that ended the call, and each recovery.
  std::optional<ConverseOutput> partial_output;
  std::vector<StreamRecovery> recoveries;
  // Streams only: from the start of the call (on the manager's clock, retries and failover
  // included) to the first and to the last piece of content the consumer received; unset when
  // none arrived.
  std::optional<std::chrono::milliseconds> time_to_first_token;
  std::optional<std::chrono::milliseconds> time_to_last_token;

  [[nodiscard]] bool ok() const noexcept { return output.has_value(); }
  // The output's text blocks joined with "\n", or an empty string when the call failed.
  [[nodiscard]] std::string text() const { return output ? output->text() : std::string(); }
  // Every content block of the answer (empty when the call failed).
  [[nodiscard]] const std::vector<ContentBlock>& content() const noexcept;
  // Token counts, including prompt-cache reads and writes; zeros when the call failed.
  [[nodiscard]] TokenUsage usage() const noexcept { return output ? output->usage : TokenUsage{}; }
  [[nodiscard]] std::string stop_reason() const { return output ? output->stop_reason : ""; }
  // The stop reason named (Unknown when the call failed or the value is new), and its category.
  [[nodiscard]] StopReason stop_reason_kind() const noexcept {
    return output ? stop_reason_from_string(output->stop_reason) : StopReason::Unknown;
  }
  [[nodiscard]] StopReasonCategory stop_reason_category() const noexcept {
    return category_of(stop_reason_kind());
  }
  // The answer's text parsed as JSON (structured output): an object or an array, the whole text
  // or the one ``` fenced block it consists of. A ResponseRejected error saying why when the
  // call failed, the text is not JSON, or it is a JSON scalar. Never throws.
  [[nodiscard]] Result<JsonValue> structured_output() const;
  // The tool calls the model asked for, in order.
  [[nodiscard]] std::vector<ToolUseBlock> tool_uses() const {
    return output ? output->tool_uses() : std::vector<ToolUseBlock>{};
  }
  [[nodiscard]] std::optional<ReasoningContentBlock> reasoning() const {
    return output ? output->reasoning() : std::nullopt;
  }
  [[nodiscard]] std::vector<CitationsContentBlock> citations() const {
    return output ? output->citations() : std::vector<CitationsContentBlock>{};
  }
  [[nodiscard]] std::optional<JsonValue> guardrail_trace() const {
    return output ? output->guardrail_trace() : std::nullopt;
  }
  // What the prompt cache did for this answer (the seed's get_cache_efficiency()); nullopt for a
  // failed call or an answer without prompt tokens.
  [[nodiscard]] std::optional<CacheEfficiency> cache_efficiency() const noexcept {
    return output ? ::llmm::cache_efficiency(output->usage) : std::nullopt;
  }
  // The service's own latency measurement (metrics.latencyMs).
  [[nodiscard]] std::chrono::milliseconds api_latency() const noexcept {
    return output ? output->latency : std::chrono::milliseconds(0);
  }
  // The id sent on the wire by the successful attempt: the profile id or the model id.
  [[nodiscard]] const std::string& invoked_id() const noexcept {
    return profile_id.empty() ? model_id : profile_id;
  }
  // The whole response as one JSON object (output in the service's shape and its request id,
  // attempts with ISO times to the millisecond, errors as objects). Never holds a credential.
  [[nodiscard]] std::string to_json() const;
  // The response from to_json()'s form, member for member: from_json(r.to_json())->to_json()
  // == r.to_json() for every response, and the response itself comes back whole when its
  // attempt start times are whole milliseconds and its partial_output is text. An
  // InvalidArgument error "malformed BedrockResponse JSON: <path> <what is wrong>" otherwise,
  // also for a form that breaks the invariant (output and error: exactly one). Never throws.
  [[nodiscard]] static Result<BedrockResponse> from_json(std::string_view json_text);
};

// Thrown by LLMManager::converse_or_throw when the call failed; carries the whole response.
// Immutable after construction, like every exception type here.
class RetryExhaustedError : public std::runtime_error {
 public:
  explicit RetryExhaustedError(BedrockResponse response);
  [[nodiscard]] const BedrockResponse& response() const noexcept { return response_; }

 private:
  BedrockResponse response_;
};

}  // namespace llmm
