#include "auth/credential_http.hpp"

#include "http/transport.hpp"

#include <llmm/transport_options.hpp>

namespace llmm::auth {

Result<http::HttpResponse> fetch(http::HttpRequest request, FetchBounds bounds) {
  TransportOptions options;
  options.connect_timeout = bounds.connect;
  options.read_timeout = bounds.read;
  options.max_pool_connections = 1;
  http::Transport transport(options);
  return transport.perform(std::move(request));
}

}  // namespace llmm::auth
