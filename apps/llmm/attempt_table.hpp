#pragma once
// Human-readable renderings of llmm::Attempt for `llmm ask -v` and `llmm demo`: one-word outcome
// summaries and a fixed-width table; and the failure line of `ask` and `stream`. Plain ASCII, no
// colour (callers add it).

#include <llmm/attempt.hpp>
#include <llmm/bedrock_response.hpp>

#include <string>
#include <vector>

namespace llmm::cli {

// What went wrong, compactly: "429 ThrottlingException", "400 ValidationException",
// "Timeout" (no HTTP reply: the error code's name), or "ok" for a successful attempt.
[[nodiscard]] std::string attempt_outcome(const Attempt& attempt);

// The decision in words: "succeeded", "retry same target", "failover", "switch to profile", ...
[[nodiscard]] std::string decision_phrase(AttemptDecision decision);

// A table with a header line and one line per attempt: number, model id sent, region, access
// method, duration in ms, outcome (error code, HTTP status, AWS type) and decision. Every line
// ends with '\n'.
[[nodiscard]] std::string format_attempt_table(const std::vector<Attempt>& attempts);

// A failed response's error as Error::describe() gives it, then "[request id ...]" when the
// service sent one (what AWS support asks for); "no answer" without an error.
[[nodiscard]] std::string failure_description(const BedrockResponse& response);

}  // namespace llmm::cli
