#include "clients/client_context.hpp"

namespace llmm::clients {

SharedClientState::~SharedClientState() {
  if (credentials) credentials->close();
}

auth::RequestSigner SharedClientState::signer(auth::Endpoint endpoint, std::string region) const {
  return auth::RequestSigner{std::move(endpoint), std::move(region), credentials,
                             seams.clock,         clock_offset,      sdk_headers};
}

std::optional<Error> RegionalClientState::refuse_blocking_on_loop_thread() const {
  if (!shared->transport->on_loop_thread()) return std::nullopt;
  return Error{ErrorCode::Internal,
               "a synchronous call was made from a completion callback (the event-loop thread); "
               "use the asynchronous form there"};
}

auth::RequestSigner RegionalClientState::signer() const { return shared->signer(endpoint, region); }

engine::Target RegionalClientState::target(const std::string& id) const {
  return engine::Target{id, id,      region, {engine::AccessRoute{AccessMethod::Direct, id}},
                        {}, signer()};
}

engine::EngineSettings RegionalClientState::engine_settings(const BackoffPolicy& backoff) const {
  engine::EngineSettings settings;
  settings.backoff = backoff;
  settings.retries_per_target = shared->limits.retries_per_target;
  settings.failover = false;
  settings.seams = shared->seams;
  settings.transport = shared->transport.get();
  return settings;
}

}  // namespace llmm::clients
