#include "auth/container_provider.hpp"

#include "auth/endpoint_resolver.hpp"
#include "auth/sdk_headers.hpp"
#include "auth/temporary_credentials_json.hpp"

#include <llmm/exceptions.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace llmm::auth {
namespace {

constexpr std::string_view kRelative = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
constexpr std::string_view kFull = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
constexpr std::string_view kTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
constexpr std::string_view kToken = "AWS_CONTAINER_AUTHORIZATION_TOKEN";

bool is_ipv4_loopback(std::string_view host) {
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (const char c : host) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      return false;
  }
  return dots == 3;
}

bool allowed_http_host(std::string_view host) {
  return host == "localhost" || is_ipv4_loopback(host) || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

std::string url_of(const Endpoint& endpoint) {
  return endpoint.scheme + "://" + endpoint.host_header() +
         (endpoint.base_path.empty() ? "/" : endpoint.base_path);
}

// The Authorization value, if one is configured; read fresh at each fetch (the agent rotates it).
std::optional<std::string> authorization(const Environment& environment) {
  if (auto path = environment.get_non_empty(kTokenFile)) {
    std::ifstream in(*path, std::ios::binary);
    if (!in) {
      throw AuthenticationError("container credentials: the token file '" + *path + "' (from " +
                                std::string(kTokenFile) + ") cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
      token.pop_back();
    if (token.empty()) {
      throw AuthenticationError("container credentials: the token file '" + *path + "' (from " +
                                std::string(kTokenFile) + ") is empty");
    }
    if (token.find_first_of("\r\n") != std::string::npos) {
      throw AuthenticationError("container credentials: the token in '" + *path + "' (from " +
                                std::string(kTokenFile) + ") contains a line break");
    }
    return token;
  }
  if (auto token = environment.get_non_empty(kToken)) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      throw AuthenticationError("container credentials: " + std::string(kToken) +
                                " contains a line break");
    }
    return token;
  }
  return std::nullopt;
}

}  // namespace

ProviderOutcome container_credentials(const Environment& environment,
                                      std::chrono::system_clock::time_point now,
                                      FetchBounds bounds) {
  Endpoint endpoint;
  std::string variable;
  if (auto relative = environment.get_non_empty(kRelative)) {
    variable = kRelative;
    const std::string path = relative->starts_with("/") ? *relative : "/" + *relative;
    endpoint = parse_endpoint_url("http://169.254.170.2" + path, kRelative);
  } else if (auto full = environment.get_non_empty(kFull)) {
    variable = kFull;
    endpoint = parse_endpoint_url(*full, kFull);
    if (endpoint.scheme == "http" && !allowed_http_host(endpoint.host)) {
      throw ConfigurationError("container credentials: " + std::string(kFull) + " names host '" +
                               endpoint.host +
                               "', which is not allowed over http (only loopback, 169.254.170.2, "
                               "169.254.170.23 and [fd00:ec2::23]; any host over https)");
    }
  } else {
    return ProviderOutcome::pass("container: neither " + std::string(kRelative) + " nor " +
                                 std::string(kFull) + " is set");
  }

  http::HttpRequest request;
  request.method = "GET";
  request.url = url_of(endpoint);
  request.headers.emplace_back("accept", "application/json");
  request.headers.emplace_back("user-agent", SdkHeaders::kProduct);
  if (auto token = authorization(environment))
    request.headers.emplace_back("authorization", *token);

  const std::string where =
      "container credentials from host '" + endpoint.host_header() + "' (" + variable + ")";
  auto answer = fetch(std::move(request), bounds);
  if (!answer) throw AuthenticationError(where + " failed: " + answer.error().describe());
  if (answer->status != 200) {
    throw AuthenticationError(where + " failed: HTTP " + std::to_string(answer->status));
  }
  ResolvedCredentials resolved = parse_temporary_credentials(answer->body, where, now);
  resolved.source = "container credentials (" + variable + ", host " + endpoint.host_header() + ")";
  resolved.provider = "container";
  return ProviderOutcome::found(std::move(resolved));
}

}  // namespace llmm::auth
