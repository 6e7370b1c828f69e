#include "observe/call_telemetry.hpp"

#include "observe/metrics_access.hpp"

#include <string>
#include <utility>
#include <vector>

namespace llmm::observe {

CallTelemetry::CallTelemetry(LoggingConfig logging, std::shared_ptr<MetricsRegistry> metrics,
                             std::shared_ptr<Clock> clock)
    : logger_(std::move(logging), std::move(clock)), metrics_(std::move(metrics)) {}

bool CallTelemetry::wanted(const LoggingConfig& logging,
                           const std::shared_ptr<MetricsRegistry>& metrics) noexcept {
  return metrics != nullptr || (logging.sink && logging.level != LogLevel::Off);
}

CallTelemetry::AttemptObserver CallTelemetry::observe_attempts(std::uint64_t call_id,
                                                               AttemptObserver user) {
  if (!metrics_ && !logger_.enabled(LogLevel::Debug)) return user;
  return [self = shared_from_this(), call_id, user = std::move(user)](const Attempt& attempt) {
    self->attempt_ended(call_id, attempt);
    if (user) user(attempt);
  };
}

CallTelemetry::ResponseCallback CallTelemetry::observe_call(std::uint64_t call_id,
                                                            ResponseCallback user) {
  return [self = shared_from_this(), call_id, user = std::move(user)](BedrockResponse response) {
    self->call_ended(call_id, response);
    user(std::move(response));
  };
}

void CallTelemetry::attempt_ended(std::uint64_t call_id, const Attempt& attempt) const {
  if (metrics_) MetricsAccess::record_attempt(*metrics_, attempt);
  if (!logger_.enabled(LogLevel::Debug)) return;
  const std::string call = std::to_string(call_id);
  const std::string number = std::to_string(attempt.number);
  const std::string duration = std::to_string(attempt.duration.count());
  const std::string backoff = std::to_string(attempt.backoff_before.count());
  const std::string rate_wait = std::to_string(attempt.rate_wait_before.count());
  std::vector<LogField> fields = {{"call", call},
                                  {"attempt", number},
                                  {"model", attempt.model_name},
                                  {"model_id", attempt.model_id},
                                  {"region", attempt.region},
                                  {"access_method", to_string(attempt.access_method)},
                                  {"decision", to_string(attempt.decision)},
                                  {"outcome", outcome_name(attempt.error)}};
  std::string status;
  if (const auto& error = attempt.error) {
    if (error->http_status != 0) {
      status = std::to_string(error->http_status);
      fields.push_back({"http_status", status});
    }
    if (!error->aws_error_type.empty()) fields.push_back({"error_type", error->aws_error_type});
    fields.push_back({"error", error->message});
  }
  if (!attempt.request_id.empty()) fields.push_back({"request_id", attempt.request_id});
  fields.push_back({"duration_ms", duration});
  fields.push_back({"backoff_ms", backoff});
  fields.push_back({"rate_wait_ms", rate_wait});
  logger_.log(LogLevel::Debug, "attempt ended", fields);
}

void CallTelemetry::call_ended(std::uint64_t call_id, const BedrockResponse& response) const {
  if (metrics_) MetricsAccess::record_call(*metrics_, response);
  const std::string call = std::to_string(call_id);
  if (logger_.enabled(LogLevel::Warning)) {
    for (const std::string& warning : response.warnings) {
      logger_.log(LogLevel::Warning, "call warning",
                  {{"call", call}, {"model", response.model_name}, {"warning", warning}});
    }
  }
  const LogLevel level = response.ok() ? LogLevel::Info : LogLevel::Warning;
  if (!logger_.enabled(level)) return;
  const std::string attempts = std::to_string(response.attempts.size());
  const std::string duration = std::to_string(response.total_duration.count());
  std::vector<LogField> fields = {{"call", call},
                                  {"model", response.model_name},
                                  {"model_id", response.model_id},
                                  {"region", response.region},
                                  {"access_method", to_string(response.access_method)},
                                  {"attempts", attempts},
                                  {"outcome", outcome_name(response.error)}};
  std::string input;
  std::string output;
  std::string first_token;
  if (response.output) {
    if (!response.output->request_id.empty()) {
      fields.push_back({"request_id", response.output->request_id});
    }
    input = std::to_string(response.output->usage.input_tokens);
    output = std::to_string(response.output->usage.output_tokens);
    fields.push_back({"input_tokens", input});
    fields.push_back({"output_tokens", output});
  } else if (response.error) {
    if (!response.error->request_id.empty()) {
      fields.push_back({"request_id", response.error->request_id});
    }
    if (!response.error->aws_error_type.empty()) {
      fields.push_back({"error_type", response.error->aws_error_type});
    }
    fields.push_back({"error", response.error->message});
  }
  if (response.time_to_first_token) {
    first_token = std::to_string(response.time_to_first_token->count());
    fields.push_back({"first_token_ms", first_token});
  }
  fields.push_back({"duration_ms", duration});
  logger_.log(level, response.ok() ? "call ended" : "call failed", fields);
}

}  // namespace llmm::observe
