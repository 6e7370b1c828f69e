#include <llmm/response_validation.hpp>
#include <llmm/retry_config.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace llmm {
namespace {

[[noreturn]] void out_of_range(const std::string& field, const std::string& rule,
                               const std::string& value) {
  throw std::invalid_argument(field + " must be " + rule + ", got " + value);
}

std::string ms(std::chrono::milliseconds value) { return std::to_string(value.count()) + "ms"; }

}  // namespace

void RetryConfig::validate() const {
  if (retry_delay.count() < 0) out_of_range("RetryConfig.retry_delay", ">= 0", ms(retry_delay));
  if (!(backoff_multiplier > 0) || !std::isfinite(backoff_multiplier)) {
    out_of_range("RetryConfig.backoff_multiplier", "> 0", std::to_string(backoff_multiplier));
  }
  if (max_retry_delay.count() <= 0) {
    out_of_range("RetryConfig.max_retry_delay", "> 0", ms(max_retry_delay));
  }
  if (max_retries && *max_retries < 0) {
    out_of_range("RetryConfig.max_retries", ">= 0", std::to_string(*max_retries));
  }
  if (total_deadline && total_deadline->count() <= 0) {
    out_of_range("RetryConfig.total_deadline", "> 0", ms(*total_deadline));
  }
  if (circuit_breaker.failure_threshold < 1) {
    out_of_range("RetryConfig.circuit_breaker.failure_threshold", ">= 1",
                 std::to_string(circuit_breaker.failure_threshold));
  }
  if (circuit_breaker.cool_down.count() <= 0) {
    out_of_range("RetryConfig.circuit_breaker.cool_down", "> 0", ms(circuit_breaker.cool_down));
  }
  if (global_cris_fraction &&
      !(*global_cris_fraction >= 0.0 && *global_cris_fraction <= 1.0)) {  // NaN too
    out_of_range("RetryConfig.global_cris_fraction", "in [0, 1]",
                 std::to_string(*global_cris_fraction));
  }
  for (std::size_t i = 0; i < retryable_errors.size(); ++i) {
    if (retryable_errors[i].find_first_not_of(" \t") == std::string::npos) {
      throw std::invalid_argument("RetryConfig.retryable_errors[" + std::to_string(i) +
                                  "] is blank");
    }
  }
  try {
    rate_control.validate();
  } catch (const std::invalid_argument& error) {
    // Named from where the caller set it.
    const std::string message = error.what();
    const std::string own = "RateControlConfig.";
    throw std::invalid_argument(message.starts_with(own)
                                    ? "RetryConfig.rate_control." + message.substr(own.size())
                                    : message);
  }
}

void ResponseValidationConfig::validate() const {
  if (!validator) {
    throw std::invalid_argument("ResponseValidationConfig.validator must be set");
  }
  if (retries < 0)
    out_of_range("ResponseValidationConfig.retries", ">= 0", std::to_string(retries));
}

}  // namespace llmm
