#include <llmm/auth_manager.hpp>

#include "auth/credential_chain.hpp"
#include "auth/profile_settings.hpp"
#include "auth/sdk_headers.hpp"
#include "clients/client_context.hpp"
#include "config/proxy_settings.hpp"

#include <map>
#include <mutex>

namespace llmm {

struct AuthManager::Impl {
  AuthConfig auth_config;
  ClientConfig client_config;
  std::shared_ptr<clients::SharedClientState> shared;
  std::mutex mutex;  // guards the client caches
  std::map<std::string, std::shared_ptr<RuntimeClient>, std::less<>> runtime_clients;
  std::map<std::string, std::shared_ptr<ControlPlaneClient>, std::less<>> control_clients;
};

AuthManager::AuthManager(AuthConfig auth_config, ClientConfig client_config, Seams seams)
    : impl_(std::make_unique<Impl>()) {
  impl_->auth_config = std::move(auth_config);
  impl_->client_config = std::move(client_config);
  auth::check_retry_settings(impl_->auth_config);
  auto shared = std::make_shared<clients::SharedClientState>();
  if (!seams.clock) seams.clock = Clock::system();
  shared->clock_offset = std::make_shared<auth::ClockOffset>();
  // A refresh asks the same source again: the chain (the provider that found them wins again
  // unless the configuration changed) or the caller's provider. Explicit keys and tokens stay.
  auth::CredentialCache::Refresh refresh;
  if (impl_->auth_config.type != AuthType::Credentials &&
      impl_->auth_config.type != AuthType::BearerToken) {
    refresh = [config = impl_->auth_config] { return auth::resolve_credentials(config); };
  }
  shared->credentials = std::make_shared<auth::CredentialCache>(
      auth::resolve_credentials(impl_->auth_config), std::move(refresh), seams.clock,
      shared->clock_offset);
  // The one place the ClientConfig becomes transport settings, for every client below.
  if (!seams.random) seams.random = RandomSource::standard();
  // CA bundle precedence, as in the AWS SDKs: the API (ClientConfig), AWS_CA_BUNDLE, the profile.
  TransportOptions transport_options = impl_->client_config.to_transport_options();
  if (transport_options.ca_bundle.empty()) {
    transport_options.ca_bundle = auth::resolve_ca_bundle(impl_->auth_config).value_or("");
  }
  config::apply_proxy_settings(transport_options, impl_->client_config,
                               impl_->auth_config.environment);
  shared->transport = std::make_shared<http::Transport>(transport_options, seams.clock);
  shared->limits = impl_->client_config.to_attempt_limits();
  shared->sdk_headers = std::make_shared<const auth::SdkHeaders>(impl_->auth_config);
  shared->seams = std::move(seams);
  impl_->shared = std::move(shared);
}

AuthManager::~AuthManager() = default;

std::shared_ptr<RuntimeClient> AuthManager::runtime_client(std::string_view region) {
  std::lock_guard lock(impl_->mutex);
  if (auto it = impl_->runtime_clients.find(region); it != impl_->runtime_clients.end()) {
    return it->second;
  }
  auto impl = std::make_shared<RuntimeClient::Impl>(RuntimeClient::Impl{
      clients::RegionalClientState{impl_->shared, std::string(region),
                                   auth::resolve_runtime_endpoint(impl_->auth_config, region)}});
  auto client = std::make_shared<RuntimeClient>(std::move(impl));
  impl_->runtime_clients.emplace(std::string(region), client);
  return client;
}

std::shared_ptr<ControlPlaneClient> AuthManager::control_client(std::string_view region) {
  std::lock_guard lock(impl_->mutex);
  if (auto it = impl_->control_clients.find(region); it != impl_->control_clients.end()) {
    return it->second;
  }
  auto impl = std::make_shared<ControlPlaneClient::Impl>(ControlPlaneClient::Impl{
      clients::RegionalClientState{impl_->shared, std::string(region),
                                   auth::resolve_control_endpoint(impl_->auth_config, region)}});
  auto client = std::make_shared<ControlPlaneClient>(std::move(impl));
  impl_->control_clients.emplace(std::string(region), client);
  return client;
}

const ClientConfig& AuthManager::client_config() const noexcept { return impl_->client_config; }

TransportOptions AuthManager::transport_options() const {
  return impl_->shared->transport->options();
}

std::string AuthManager::credentials_source() const {
  return impl_->shared->credentials->info().source;
}

CredentialsInfo AuthManager::credentials_info() const { return impl_->shared->credentials->info(); }

namespace clients {

const SharedClientState& ContextAccess::shared(const AuthManager& auth) {
  return *auth.impl_->shared;
}

auth::RequestSigner ContextAccess::runtime_signer(const AuthManager& auth,
                                                  std::string_view region) {
  return auth.impl_->shared->signer(auth::resolve_runtime_endpoint(auth.impl_->auth_config, region),
                                    std::string(region));
}

}  // namespace clients

}  // namespace llmm
