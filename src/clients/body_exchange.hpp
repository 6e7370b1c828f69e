#pragma once
// A control-plane request on the call engine: the same signed request on every attempt, and the
// 2xx body as the answer (the caller decodes it). Loop thread only, like every exchange.

#include "engine/call_engine.hpp"
#include "engine/exchange.hpp"

#include <llmm/result.hpp>

#include <string>
#include <utility>
#include <vector>

namespace llmm::clients {

class BodyExchange final : public engine::Exchange {
 public:
  BodyExchange(std::string method, std::string path,
               std::vector<std::pair<std::string, std::string>> query)
      : method_(std::move(method)), path_(std::move(path)), query_(std::move(query)) {}

  std::optional<http::HttpRequest> build(const engine::AttemptContext& attempt,
                                         engine::CallLog& /*log*/) override {
    return attempt.target.signer.build(method_, path_, query_, "", attempt.invocation_id,
                                       attempt.number, attempt.max_attempts);
  }

  engine::ReplyVerdict accept(http::HttpResponse reply, const engine::AttemptContext& /*attempt*/,
                              engine::CallLog& /*log*/) override {
    body_ = std::move(reply.body);
    return {engine::ReplyVerdict::Kind::Accepted, {}};
  }

  // The answer's body, or the error that ended the call.
  [[nodiscard]] Result<std::string> result(engine::CallOutcome& outcome) {
    if (outcome.error) return std::move(*outcome.error);
    return std::move(body_);
  }

 private:
  std::string method_;
  std::string path_;
  std::vector<std::pair<std::string, std::string>> query_;
  std::string body_;
};

}  // namespace llmm::clients
