#pragma once
// Which proxy each request goes through, as the AWS SDKs decide it: the proxy the API names
// (ClientConfig::proxy, with ClientConfig::no_proxy) wins; otherwise HTTPS_PROXY (or https_proxy)
// for https endpoints and HTTP_PROXY (or http_proxy) for http ones, with NO_PROXY (or no_proxy),
// read from the AuthConfig's Environment (so tests and embedders control it, and curl's own
// reading of the process environment is replaced, never added to).
//
// Proxy URLs may carry credentials (http://user:password@host:port): core::redact_userinfo() is
// what any printable form uses.

#include <llmm/client_config.hpp>
#include <llmm/environment.hpp>
#include <llmm/transport_options.hpp>

namespace llmm::config {

// Fills options.https_proxy, http_proxy and no_proxy. Throws ConfigurationError naming the
// variable when a proxy URL is not http:// or https:// with a host.
void apply_proxy_settings(TransportOptions& options, const ClientConfig& config,
                          const Environment& environment);

}  // namespace llmm::config
