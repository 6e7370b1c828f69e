#pragma once
// Optional checks of a successful answer. A rejected answer makes the manager ask the model
// again (the Python library re-checked the same answer), up to `retries` times; every check's
// result is kept on the response.

#include <functional>
#include <string>

namespace llmm {

struct BedrockResponse;

// A value type: not synchronized.
struct ValidationResult {
  bool success = true;
  std::string message;  // why the answer was rejected
};

// Runs on the event-loop thread: keep it quick and do not call the manager synchronously.
// An exception thrown by it counts as a rejection carrying the exception's text.
using ResponseValidator = std::function<ValidationResult(const BedrockResponse&)>;

// A value type: not synchronized. The validator runs on the event-loop thread (see above).
struct ResponseValidationConfig {
  ResponseValidator validator;
  int retries = 3;  // further model calls after a rejected answer; >= 0

  // Throws std::invalid_argument for a missing validator or negative retries.
  void validate() const;
};

// One check, as recorded on the response.
// A value type: not synchronized.
struct ValidationRecord {
  int attempt_number = 0;  // the attempt whose answer was checked
  bool success = false;
  std::string message;
  std::string rejected_text;  // the answer's text when rejected (empty when accepted)
};

}  // namespace llmm
