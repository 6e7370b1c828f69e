#include "auth/imds_provider.hpp"

#include "auth/credential_http.hpp"
#include "auth/endpoint_resolver.hpp"
#include "auth/sdk_headers.hpp"
#include "auth/temporary_credentials_json.hpp"

#include <llmm/exceptions.hpp>

#include <algorithm>
#include <cctype>

namespace llmm::auth {
namespace {

bool is_true(const Environment& environment, std::string_view name) {
  auto value = environment.get_non_empty(name);
  if (!value) return false;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true";
}

// A small positive integer from the environment; ConfigurationError naming the variable otherwise.
int positive_integer(const Environment& environment, std::string_view name, int fallback,
                     int maximum) {
  auto value = environment.get_non_empty(name);
  if (!value) return fallback;
  const bool digits = value->size() <= 4 && std::all_of(value->begin(), value->end(), [](char c) {
                        return c >= '0' && c <= '9';
                      });
  const int parsed = digits ? std::stoi(*value) : 0;
  if (parsed < 1 || parsed > maximum) {
    throw ConfigurationError(std::string(name) + " must be a whole number from 1 to " +
                             std::to_string(maximum) + ", got '" + *value + "'");
  }
  return parsed;
}

Endpoint imds_endpoint(const Environment& environment) {
  if (auto url = environment.get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
    return parse_endpoint_url(*url, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  }
  const auto mode =
      environment.get_non_empty("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("IPv4");
  if (mode == "IPv6" || mode == "ipv6") return parse_endpoint_url("http://[fd00:ec2::254]", "IMDS");
  if (mode != "IPv4" && mode != "ipv4") {
    throw ConfigurationError("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6, got '" +
                             mode + "'");
  }
  return parse_endpoint_url("http://169.254.169.254", "IMDS");
}

struct Step {
  std::optional<http::HttpResponse> response;
  std::string failure;  // when !response
};

Step exchange(const Endpoint& endpoint, const std::string& method, const std::string& path,
              const http::Headers& headers, FetchBounds bounds, int attempts) {
  Step step;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    http::HttpRequest request;
    request.method = method;
    request.url = endpoint.url_for(path);
    request.headers = headers;
    request.headers.emplace_back("user-agent", SdkHeaders::kProduct);
    auto answer = fetch(std::move(request), bounds);
    if (answer && answer->status < 500) {
      step.response = std::move(*answer);
      return step;
    }
    step.failure = answer ? "HTTP " + std::to_string(answer->status) : answer.error().describe();
  }
  return step;
}

std::string trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0)
    text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start])) != 0) ++start;
  return text.substr(start);
}

}  // namespace

ProviderOutcome imds_credentials(const Environment& environment,
                                 std::chrono::system_clock::time_point now) {
  if (is_true(environment, "AWS_EC2_METADATA_DISABLED")) {
    return ProviderOutcome::pass("instance metadata (IMDS): disabled by AWS_EC2_METADATA_DISABLED");
  }
  const Endpoint endpoint = imds_endpoint(environment);
  const int timeout_s = positive_integer(environment, "AWS_METADATA_SERVICE_TIMEOUT", 1, 60);
  const int attempts = positive_integer(environment, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", 1, 10);
  const FetchBounds bounds{std::chrono::seconds(timeout_s), std::chrono::seconds(timeout_s)};
  const std::string host = endpoint.host_header();
  const auto pass = [&](const std::string& why) {
    return ProviderOutcome::pass("instance metadata (IMDS) at host '" + host + "': " + why);
  };

  http::Headers auth_headers;
  const Step token =
      exchange(endpoint, "PUT", "/latest/api/token",
               {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}}, bounds, attempts);
  if (!token.response)
    return pass("the token request (PUT latest/api/token) failed: " + token.failure);
  if (token.response->status == 200 && !trim(token.response->body).empty()) {
    auth_headers.emplace_back("x-aws-ec2-metadata-token", trim(token.response->body));
  } else if (token.response->status == 403 || token.response->status == 404 ||
             token.response->status == 405) {
    if (is_true(environment, "AWS_EC2_METADATA_V1_DISABLED")) {
      return pass("no IMDSv2 token (HTTP " + std::to_string(token.response->status) +
                  ") and AWS_EC2_METADATA_V1_DISABLED forbids IMDSv1");
    }
  } else {
    return pass("the token request (PUT latest/api/token) answered HTTP " +
                std::to_string(token.response->status));
  }

  constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
  const Step role = exchange(endpoint, "GET", kCredentialsPath, auth_headers, bounds, attempts);
  if (!role.response) return pass("the role name request failed: " + role.failure);
  if (role.response->status != 200) {
    return pass("the role name request answered HTTP " + std::to_string(role.response->status) +
                (role.response->status == 404 ? " (no instance profile attached)" : ""));
  }
  std::string role_name = trim(role.response->body);
  role_name = role_name.substr(0, role_name.find('\n'));
  if (role_name.empty() || role_name.find_first_of("/?#% ") != std::string::npos) {
    return pass("the role name answer is empty or not a role name");
  }

  const Step keys =
      exchange(endpoint, "GET", kCredentialsPath + role_name, auth_headers, bounds, attempts);
  if (!keys.response)
    return pass("the credentials request for role '" + role_name + "' failed: " + keys.failure);
  if (keys.response->status != 200) {
    return pass("the credentials request for role '" + role_name + "' answered HTTP " +
                std::to_string(keys.response->status));
  }
  try {
    ResolvedCredentials resolved = parse_temporary_credentials(
        keys.response->body, "instance metadata (IMDS) at host '" + host + "'", now);
    resolved.source = "instance metadata (IMDS, host " + host + ", role " + role_name + ")";
    resolved.provider = "imds";
    return ProviderOutcome::found(std::move(resolved));
  } catch (const AuthenticationError& error) {
    return ProviderOutcome::pass(error.what());
  }
}

}  // namespace llmm::auth
