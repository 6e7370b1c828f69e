#pragma once
// One attempt of a call, as it really happened: which target, how long, what went wrong and
// what the manager decided next.

#include <llmm/access_method.hpp>
#include <llmm/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm {

enum class AttemptDecision {
  Succeeded,           // this attempt's answer is the response
  RetrySameTarget,     // transient error; the same target again after a backoff
  Failover,            // the next target
  SwitchAccessMethod,  // the same model and region through another id (e.g. its profile)
  DropParameters,      // resent without additionalModelRequestFields
  DropFeature,         // resent without media blocks, tools or guardrails the target rejected
  RetryForValidation,  // the answer failed response validation; the model is asked again
  RefreshCredentials,  // the service said the credentials expired; resent once with fresh ones
  CorrectClockSkew,    // the signature time was refused and the reply's Date showed this clock
                       // off by 5 minutes or more; resent once at the corrected time
  Stop,                // no further attempt (request error, limits reached, nothing left)
};

// "succeeded", "retry_same_target", "failover", ...
std::string_view to_string(AttemptDecision decision) noexcept;

// A value type: not synchronized.
struct Attempt {
  int number = 1;          // 1-based, across the whole call
  std::string model_name;  // as configured ("Claude 3 Haiku")
  std::string model_id;    // the id sent on the wire (model id or profile id)
  std::string region;
  AccessMethod access_method = AccessMethod::Direct;
  std::chrono::system_clock::time_point started{};
  std::chrono::milliseconds backoff_before{0};  // the wait before this attempt started
  // Then the wait for the target's rate controller (RetryConfig::rate_control), after the backoff.
  std::chrono::milliseconds rate_wait_before{0};
  std::chrono::milliseconds duration{0};  // from send to outcome
  std::optional<Error> error;             // empty when the attempt succeeded
  // The service's x-amzn-RequestId for this attempt's reply (empty when no reply arrived or it
  // carried none): what AWS support asks for, on failed attempts as on the one that succeeded.
  std::string request_id;
  AttemptDecision decision = AttemptDecision::Stop;
};

}  // namespace llmm
