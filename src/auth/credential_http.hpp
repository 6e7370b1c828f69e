#pragma once
// The HTTP exchanges of the credential providers (STS, SSO, IMDS, the container endpoint).
//
// Why a short-lived Transport of its own, not the AuthManager's: credentials are resolved in the
// AuthManager's constructor before its transport exists, and the shared transport's timeouts are
// the ClientConfig's (minutes, for model calls), while a provider must give up within about a
// second on a machine without IMDS. A Transport built with the provider's own bounds keeps
// libcurl inside curl_transport.cpp (the only code that sees curl.h) and costs one loop thread
// for the duration of the fetch: at startup and at each refresh (on the refresh thread).
//
// Thread-safe: no shared state; each call builds and destroys its own transport.

#include "http/http_message.hpp"

#include <llmm/environment.hpp>
#include <llmm/result.hpp>

#include <chrono>
#include <string>

namespace llmm::auth {

struct FetchBounds {
  std::chrono::milliseconds connect{1000};  // TCP connect (+ TLS)
  std::chrono::milliseconds read{1000};     // longest silence once connected
};

// How a remote HTTPS credential service (STS, SSO) is reached: through the environment's proxy
// (HTTPS_PROXY / NO_PROXY) and trusting its CA bundle (AWS_CA_BUNDLE, else the profile's
// ca_bundle), as the SDKs' own STS and SSO clients are. IMDS and the container endpoint
// (link-local and loopback addresses) take the default: no proxy, the system's trust store.
struct FetchNetwork {
  std::string ca_bundle;
  std::string https_proxy;
  std::string http_proxy;
  std::string no_proxy;
};
FetchNetwork network_of(const Environment& environment);

// Sends `request` and waits for the whole answer, within `bounds`. Never retries. An error is
// the transport's classified one (Timeout, ConnectionFailed, ...); any HTTP status is a value.
Result<http::HttpResponse> fetch(http::HttpRequest request, FetchBounds bounds,
                                 const FetchNetwork& network = {});

}  // namespace llmm::auth
