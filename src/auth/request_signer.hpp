#pragma once
// Builds and signs one HTTP request for one region: endpoint, SDK headers, SigV4 or bearer
// authorization with the cache's current credentials at the offset-corrected time. A value
// (copied into each call's targets), so nothing on the event-loop thread needs the client state,
// and with it the transport, to stay alive. Its members are immutable or thread-safe, so one
// signer may be used from any thread.

#include "auth/clock_offset.hpp"
#include "auth/credential_cache.hpp"
#include "auth/endpoint_resolver.hpp"
#include "auth/sdk_headers.hpp"
#include "http/http_message.hpp"

#include <llmm/clock.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace llmm::auth {

struct RequestSigner {
  Endpoint endpoint;
  std::string region;
  std::shared_ptr<CredentialCache> credentials;
  std::shared_ptr<Clock> clock;
  // What was learned of the service's clock (null: none is learned, the local clock signs).
  std::shared_ptr<ClockOffset> clock_offset;
  // The user agent and the trace header; null: the bare "llmm/VERSION" user agent.
  std::shared_ptr<const SdkHeaders> sdk_headers;

  // `invocation_id` is repeated on every attempt of one call, as the AWS SDKs do; `attempt` and
  // `max_attempts` fill amz-sdk-request. Throws what the signer throws for unsignable input.
  // The time a signature made now carries.
  [[nodiscard]] std::chrono::system_clock::time_point signing_time() const;

  [[nodiscard]] http::HttpRequest build(
      const std::string& method, const std::string& path,
      const std::vector<std::pair<std::string, std::string>>& query, const std::string& body,
      const std::string& invocation_id, int attempt, int max_attempts) const;
};

}  // namespace llmm::auth
