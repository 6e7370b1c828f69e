#pragma once
// AuthManager: resolves credentials and keeps them fresh (temporary credentials are refreshed
// ahead of their expiry, and again when the service says they expired: docs/UserGuide.md
// "Refresh"), owns the one Transport built from ClientConfig::to_transport_options(), and hands
// out cached per-region runtime and control-plane clients that share them (DESIGN.md §2).

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>
#include <llmm/control_plane_client.hpp>
#include <llmm/credentials_info.hpp>
#include <llmm/runtime_client.hpp>
#include <llmm/seams.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace llmm {

namespace clients {
struct ContextAccess;  // the library's own access to the shared state (no public back door)
}

// Thread-safe: every member may be called from any thread concurrently (the client caches
// are locked; the rest is fixed at construction). The destructor must not race other calls,
// and the AuthManager must outlive every client call.
class AuthManager {
 public:
  // Resolves credentials now (later refreshes run on a thread of the AuthManager's own). Throws
  // ConfigurationError for an unusable AuthConfig or shared file, AuthenticationError when no
  // credentials can be found. Messages never hold secrets.
  explicit AuthManager(AuthConfig auth_config = {}, ClientConfig client_config = {},
                       Seams seams = {});
  ~AuthManager();
  AuthManager(const AuthManager&) = delete;
  AuthManager& operator=(const AuthManager&) = delete;

  // Cached per region: the same region gives the same client. Throws ConfigurationError for an
  // invalid region name or endpoint override.
  [[nodiscard]] std::shared_ptr<RuntimeClient> runtime_client(std::string_view region);
  [[nodiscard]] std::shared_ptr<ControlPlaneClient> control_client(std::string_view region);

  [[nodiscard]] const ClientConfig& client_config() const noexcept;
  // What the shared transport was built with.
  [[nodiscard]] TransportOptions transport_options() const;
  // Where the credentials came from ("environment (AWS_ACCESS_KEY_ID)", ...), never a secret.
  [[nodiscard]] std::string credentials_source() const;
  // Provider, source, profile and expiry of the current credentials, and the refresh counts;
  // never a secret.
  [[nodiscard]] CredentialsInfo credentials_info() const;

 private:
  friend struct clients::ContextAccess;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmm
