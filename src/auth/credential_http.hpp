#pragma once
// The HTTP exchanges of the credential providers (STS, SSO, IMDS, the container endpoint).
//
// Why a short-lived Transport of its own, not the AuthManager's: credentials are resolved in the
// AuthManager's constructor before its transport exists, and the shared transport's timeouts are
// the ClientConfig's (minutes, for model calls), while a provider must give up within about a
// second on a machine without IMDS. A Transport built with the provider's own bounds keeps
// libcurl inside curl_transport.cpp (the only code that sees curl.h) and costs one loop thread
// for the duration of the fetch, at startup only.
//
// Thread-safe: no shared state; each call builds and destroys its own transport.

#include "http/http_message.hpp"

#include <llmm/result.hpp>

#include <chrono>

namespace llmm::auth {

struct FetchBounds {
  std::chrono::milliseconds connect{1000};  // TCP connect (+ TLS)
  std::chrono::milliseconds read{1000};     // longest silence once connected
};

// Sends `request` and waits for the whole answer, within `bounds`. Never retries. An error is
// the transport's classified one (Timeout, ConnectionFailed, ...); any HTTP status is a value.
Result<http::HttpResponse> fetch(http::HttpRequest request, FetchBounds bounds);

}  // namespace llmm::auth
