#include "auth/credential_http.hpp"

#include "auth/profile_settings.hpp"
#include "config/proxy_settings.hpp"
#include "http/transport.hpp"

#include <llmm/transport_options.hpp>

namespace llmm::auth {

FetchNetwork network_of(const Environment& environment) {
  AuthConfig probe;  // the environment's active profile, for its ca_bundle
  probe.environment = environment;
  TransportOptions proxies;
  config::apply_proxy_settings(proxies, ClientConfig(), environment);
  return FetchNetwork{resolve_ca_bundle(probe).value_or(""), proxies.https_proxy,
                      proxies.http_proxy, proxies.no_proxy};
}

Result<http::HttpResponse> fetch(http::HttpRequest request, FetchBounds bounds,
                                 const FetchNetwork& network) {
  TransportOptions options;
  options.connect_timeout = bounds.connect;
  options.read_timeout = bounds.read;
  options.max_pool_connections = 1;
  options.ca_bundle = network.ca_bundle;
  options.https_proxy = network.https_proxy;
  options.http_proxy = network.http_proxy;
  options.no_proxy = network.no_proxy;
  http::Transport transport(options);
  return transport.perform(std::move(request));
}

}  // namespace llmm::auth
