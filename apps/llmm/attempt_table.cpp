#include "attempt_table.hpp"

#include <llmm/access_method.hpp>
#include <llmm/error.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace llmm::cli {

std::string attempt_outcome(const Attempt& attempt) {
  if (!attempt.error) return "ok";
  const Error& error = *attempt.error;
  if (error.http_status == 0) return std::string(to_string(error.code));
  std::string text = std::to_string(error.http_status);
  text += ' ';
  text += error.aws_error_type.empty() ? std::string(to_string(error.code)) : error.aws_error_type;
  return text;
}

std::string decision_phrase(AttemptDecision decision) {
  switch (decision) {
    case AttemptDecision::Succeeded: return "succeeded";
    case AttemptDecision::RetrySameTarget: return "retry same target";
    case AttemptDecision::Failover: return "failover";
    case AttemptDecision::SwitchAccessMethod: return "switch to profile";
    case AttemptDecision::DropParameters: return "drop parameters, resend";
    case AttemptDecision::DropFeature: return "drop feature, resend";
    case AttemptDecision::RetryForValidation: return "ask again (validation)";
    case AttemptDecision::RefreshCredentials: return "refresh credentials, resend";
    case AttemptDecision::CorrectClockSkew: return "correct clock skew, resend";
    case AttemptDecision::Stop: return "stop";
  }
  return std::string(to_string(decision));
}

namespace {

constexpr std::size_t kColumns = 8;
using Row = std::array<std::string, kColumns>;

std::string error_code_text(const Attempt& attempt) {
  return attempt.error ? std::string(to_string(attempt.error->code)) : "-";
}

// "429 ThrottlingException", or "-" when no HTTP reply arrived (or the attempt succeeded).
std::string http_reply_text(const Attempt& attempt) {
  if (!attempt.error || attempt.error->http_status == 0) return "-";
  std::string text = std::to_string(attempt.error->http_status);
  if (!attempt.error->aws_error_type.empty()) text += " " + attempt.error->aws_error_type;
  return text;
}

}  // namespace

std::string format_attempt_table(const std::vector<Attempt>& attempts) {
  std::vector<Row> rows;
  rows.push_back({"#", "model id sent", "region", "access", "ms", "error", "http status / aws type",
                  "decision"});
  for (const Attempt& attempt : attempts) {
    rows.push_back({std::to_string(attempt.number), attempt.model_id, attempt.region,
                    std::string(to_string(attempt.access_method)),
                    std::to_string(attempt.duration.count()), error_code_text(attempt),
                    http_reply_text(attempt), decision_phrase(attempt.decision)});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string table;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < kColumns; ++i) {
      const bool numeric = i == 0 || i == 4;
      const std::size_t pad = widths[i] - row[i].size();
      if (numeric) line.append(pad, ' ');
      line += row[i];
      if (i + 1 < kColumns) {
        if (!numeric) line.append(pad, ' ');
        line += "  ";
      }
    }
    table += line + '\n';
  }
  return table;
}

std::string failure_description(const BedrockResponse& response) {
  if (!response.error) return "no answer";
  std::string text = response.error->describe();
  if (!response.error->request_id.empty())
    text += " [request id " + response.error->request_id + "]";
  return text;
}

}  // namespace llmm::cli
