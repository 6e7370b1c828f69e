#pragma once
// The library's one way into an AuthManager (there is no public back door): what every client
// of one AuthManager shares (the transport, the credentials, the seams, the per-target retry
// bound), the signer of a region, and the engine settings of a one-target client. Thread-safe:
// the shared state is immutable once the AuthManager is built.

#include "auth/clock_offset.hpp"
#include "auth/credential_cache.hpp"
#include "auth/endpoint_resolver.hpp"
#include "auth/request_signer.hpp"
#include "engine/call_engine.hpp"
#include "http/transport.hpp"

#include <llmm/attempt_limits.hpp>
#include <llmm/auth_manager.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/control_plane_client.hpp>
#include <llmm/runtime_client.hpp>
#include <llmm/seams.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::clients {

struct SharedClientState {
  // Closes the credentials first: a call waiting for a refresh resumes (Cancelled) on the
  // transport while it is still there.
  ~SharedClientState();

  std::shared_ptr<http::Transport> transport;
  std::shared_ptr<auth::CredentialCache> credentials;
  std::shared_ptr<auth::ClockOffset> clock_offset;
  std::shared_ptr<const auth::SdkHeaders> sdk_headers;
  Seams seams;
  AttemptLimits limits;  // ClientConfig::to_attempt_limits()

  // Signs for `region` through `endpoint` with these credentials, clock and offset.
  [[nodiscard]] auth::RequestSigner signer(auth::Endpoint endpoint, std::string region) const;
};

struct RegionalClientState {
  std::shared_ptr<const SharedClientState> shared;
  std::string region;
  auth::Endpoint endpoint;

  // A synchronous call made from a completion callback would wait for its own thread forever.
  [[nodiscard]] std::optional<Error> refuse_blocking_on_loop_thread() const;
  [[nodiscard]] auth::RequestSigner signer() const;
  // The one target of a client call: `id` as given (empty for the control plane), through this
  // region's endpoint.
  [[nodiscard]] engine::Target target(const std::string& id) const;
  // One target, failover off, nothing learned, retries per the ClientConfig. Holds the
  // transport by raw pointer only: nothing on the loop thread may keep it alive.
  [[nodiscard]] engine::EngineSettings engine_settings(const BackoffPolicy& backoff) const;
};

// Friend of AuthManager: reads its shared state for the library's own layers (the manager and
// the catalog build on the same transport, credentials and seams as the clients).
struct ContextAccess {
  static const SharedClientState& shared(const AuthManager& auth);
  // Validates the region (ConfigurationError) and resolves its runtime endpoint.
  static auth::RequestSigner runtime_signer(const AuthManager& auth, std::string_view region);
};

}  // namespace llmm::clients

namespace llmm {

// The public clients are thin handles on their regional state.
struct RuntimeClient::Impl {
  clients::RegionalClientState state;
};

struct ControlPlaneClient::Impl {
  clients::RegionalClientState state;
};

}  // namespace llmm
