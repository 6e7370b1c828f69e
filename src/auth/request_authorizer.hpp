#pragma once
// Adds authentication to a request that is ready to send: SigV4 headers, or the bearer token.

#include "auth/credentials.hpp"
#include "http/http_message.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmm::auth {

// `path` is the wire path (already percent-encoded), `query` the decoded parameters that are in
// request.url. `request.headers` must already hold host and every header to sign.
void authorize(http::HttpRequest& request, std::string_view path,
               const std::vector<std::pair<std::string, std::string>>& query,
               const ResolvedCredentials& credentials, std::string_view region,
               std::chrono::system_clock::time_point now);

}  // namespace llmm::auth
