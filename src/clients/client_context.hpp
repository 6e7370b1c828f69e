#pragma once
// What every client of one AuthManager shares: the transport, the credentials, the seams, and
// the retry bound from the ClientConfig. Plus the per-region part each client adds.

#include "auth/credentials.hpp"
#include "clients/request_signer.hpp"
#include "auth/endpoint_resolver.hpp"
#include "http/transport.hpp"
#include "retry/attempt_loop.hpp"

#include <llmm/control_plane_client.hpp>
#include <llmm/runtime_client.hpp>
#include <llmm/seams.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmm::clients {

struct SharedClientState {
  std::shared_ptr<http::Transport> transport;
  std::shared_ptr<const auth::ResolvedCredentials> credentials;
  Seams seams;
  int retries_max_attempts = 3;  // from TransportOptions
};

// What sending needs without owning the transport, for requests started from callbacks on the
// loop thread (e.g. the next page of a listing): that thread exists only while the transport does,
// and holding the shared state there could make it destroy its own transport.
struct LoopSender {
  http::Transport* transport = nullptr;
  RequestSigner signer;
  int max_retries = 3;
  Seams seams;
  std::string region;

  void send(std::string method, std::string path,
            std::vector<std::pair<std::string, std::string>> query, std::string body,
            const std::string& model_id, const BackoffPolicy& backoff,
            retry::AttemptLoopDone done) const;
};

struct RegionalClientState {
  std::shared_ptr<const SharedClientState> shared;
  std::string region;
  auth::Endpoint endpoint;

  // A synchronous call made from a completion callback would wait for its own thread forever.
  [[nodiscard]] std::optional<Error> refuse_blocking_on_loop_thread() const;

  [[nodiscard]] RequestSigner signer() const;
  [[nodiscard]] LoopSender loop_sender() const;
  // Sends a signed request with the per-target retries; `done` runs on the loop thread.
  void send(std::string method, std::string path,
            std::vector<std::pair<std::string, std::string>> query, std::string body,
            const std::string& model_id, const BackoffPolicy& backoff,
            retry::AttemptLoopDone done) const;
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
