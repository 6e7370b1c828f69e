#pragma once
// The operation one call carries out on every attempt, whatever target it lands on: how to build
// the request for a target and how to read a 2xx reply. Converse, ConverseStream and the control
// plane's listings are exchanges (src/converse/, src/clients/); the engine (call_engine.hpp)
// decides what follows each attempt and knows nothing of what the bytes mean.
//
// Every method runs on the transport's loop thread, one call at a time, so an exchange needs no
// lock. An exchange is owned by its call (shared), and outlives the call's completion callback.

#include "engine/fault_triage.hpp"
#include "engine/target.hpp"
#include "http/http_message.hpp"

#include <llmm/attempt.hpp>
#include <llmm/error.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::engine {

// The call's history so far, as the engine keeps it: exchanges read the attempts and add
// warnings (a dropped feature, a recovered stream).
struct CallLog {
  std::vector<Attempt> attempts;
  std::vector<std::string> warnings;
  std::chrono::steady_clock::time_point started{};
};

// The attempt being built.
struct AttemptContext {
  std::size_t target_index = 0;
  const Target& target;
  const AccessRoute& route;
  int number = 1;        // 1-based, across the whole call
  int max_attempts = 1;  // the engine's bound, for amz-sdk-request
  const std::string& invocation_id;
  std::chrono::milliseconds elapsed{0};  // since the call started, on the injected clock
};

// What a 2xx reply means.
struct ReplyVerdict {
  enum class Kind {
    Accepted,            // the call succeeded with this attempt's answer
    Failed,              // the reply is not a usable answer: `error` is this attempt's failure
    RetryForValidation,  // the answer was rejected; ask the same target again (attempts allowing)
    Rejected,            // the answer was rejected and no validation retry is left: stop
  };
  Kind kind = Kind::Accepted;
  Error error;
  // The input + output tokens the answer reports (0: none), charged to the target's
  // tokens-per-minute limit whatever the verdict: the service has counted them.
  long long tokens = 0;
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  // The request of this attempt. nullopt: this target cannot take the call at all (the exchange
  // has added a warning saying why); the engine moves on without counting an attempt. An
  // exception means the request cannot be built (the call stops with InvalidArgument).
  virtual std::optional<http::HttpRequest> build(const AttemptContext& attempt, CallLog& log) = 0;

  // When set for the attempt just built, the bytes of a 2xx body go here as they arrive;
  // returning false aborts the transfer and own_abort_error() says why.
  virtual std::function<bool(std::string_view)> body_sink() { return {}; }
  [[nodiscard]] virtual std::optional<Error> own_abort_error() const { return std::nullopt; }

  // An attempt whose answer has not begun within this time is cancelled as a Timeout.
  [[nodiscard]] virtual std::optional<std::chrono::milliseconds> first_content_timeout() const {
    return std::nullopt;
  }
  [[nodiscard]] virtual bool content_started() const { return false; }

  // A 2xx reply to the attempt just made (its body empty when body_sink() took it).
  virtual ReplyVerdict accept(http::HttpResponse reply, const AttemptContext& attempt,
                              CallLog& log) = 0;

  // A failed attempt, before the engine classifies it: false ends the call with this error (a
  // stream that has delivered content and may not recover elsewhere).
  virtual bool may_go_on(const Error& /*error*/, const AttemptContext& /*attempt*/,
                         CallLog& /*log*/) {
    return true;
  }

  // The target refused a part of the request (`triage` is Parameters or Feature). Returns the
  // decision when resending to the same target without that part changes something (the
  // exchange leaves it out of this target's next request); nullopt when it does not.
  virtual std::optional<AttemptDecision> drop_rejected(const Triage& /*triage*/,
                                                       const AttemptContext& /*attempt*/) {
    return std::nullopt;
  }
};

}  // namespace llmm::engine
