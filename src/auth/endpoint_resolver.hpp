#pragma once
// Where requests go (wire doc §1.1, §7.1), in the SDKs' order: an explicit AuthConfig endpoint,
// else AWS_ENDPOINT_URL_BEDROCK_RUNTIME / AWS_ENDPOINT_URL_BEDROCK, else AWS_ENDPOINT_URL, else
// the profile's [services NAME] bedrock_runtime / bedrock endpoint_url, else the profile's
// endpoint_url, else the regional default (profile_settings.hpp).
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls; the
// variable wins) turns the variables and the profile's URLs off, never the explicit fields.
// AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT (or use_fips_endpoint /
// use_dualstack_endpoint) choose bedrock-runtime-fips.{region}.amazonaws.com and
// bedrock-runtime.{region}.api.aws (both: bedrock-runtime-fips.{region}.api.aws); with a custom
// endpoint they are a ConfigurationError, as the endpoint rules say. The signing region stays the
// caller's region whatever the endpoint.
//
// Endpoint URLs are parsed strictly (scheme http|https, a host, an optional port 1-65535 and base
// path; no userinfo, query or fragment); errors are llmm::ConfigurationError naming the variable
// or field and the URL, with any userinfo, query or fragment redacted.

#include <llmm/auth_config.hpp>

#include <string>
#include <string_view>

namespace llmm::auth {

struct Endpoint {
  std::string scheme;     // "http" or "https"
  std::string host;       // lower-case; IPv6 literals keep their brackets ("[::1]")
  int port = 443;         // always set: the explicit port or the scheme default
  std::string base_path;  // "" or "/a/b": no trailing slash, prefixed to every request path

  // scheme://host[:port]{base_path}{path_and_query}; a '/' is inserted when path_and_query
  // does not start with one. The port appears only when it is not the scheme default.
  [[nodiscard]] std::string url_for(std::string_view path_and_query) const;
  // The Host header (and SigV4 "host"): host, plus ":port" only when not the scheme default.
  [[nodiscard]] std::string host_header() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses an endpoint URL; `what` names its origin for errors ("AWS_ENDPOINT_URL").
Endpoint parse_endpoint_url(std::string_view url, std::string_view what);

// Non-empty, [a-z0-9-] only; else ConfigurationError.
void validate_region(std::string_view region);

Endpoint resolve_runtime_endpoint(const AuthConfig& config, std::string_view region);
Endpoint resolve_control_endpoint(const AuthConfig& config, std::string_view region);

}  // namespace llmm::auth
