#include "auth/endpoint_resolver.hpp"

#include "auth/profile_settings.hpp"

#include "core/ascii.hpp"

#include <llmm/exceptions.hpp>

#include <arpa/inet.h>

#include <cstdio>
#include <optional>

namespace llmm::auth {

namespace {

constexpr std::size_t max_shown_length = 200;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Printable ASCII kept, anything else as \xNN, so a message cannot carry terminal escapes.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, max_shown_length)) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  if (s.size() > max_shown_length) out += "...";
  return out;
}

// The URL as shown in errors: userinfo (may hold a password) and query/fragment (may hold a
// signature or token) replaced.
std::string redacted(std::string_view url) {
  std::string out;
  std::size_t cut = url.find_first_of("?#");
  std::string_view head = url.substr(0, cut);
  std::size_t scheme_end = head.find("://");
  std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = head.find('/', authority_start);
  std::size_t at = head.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos && at >= authority_start) {
    out =
        std::string(head.substr(0, authority_start)) + "<redacted>" + std::string(head.substr(at));
  } else {
    out = std::string(head);
  }
  if (cut != std::string_view::npos) out += std::string(1, url[cut]) + "<redacted>";
  return printable(out);
}

[[noreturn]] void bad_url(std::string_view what, std::string_view url, std::string_view why) {
  throw ConfigurationError(std::string(what) + ": invalid endpoint URL '" + redacted(url) +
                           "': " + std::string(why));
}

// A DNS name or dotted IPv4 address. '_' is tolerated: container and compose host names use it.
bool valid_host_name(std::string_view host) {
  if (host.size() > 253) return false;
  bool numeric = true;
  for (char c : host) {
    if (!is_digit(c) && c != '.') numeric = false;
  }
  if (numeric) {
    in_addr address{};
    return ::inet_pton(AF_INET, std::string(host).c_str(), &address) == 1;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '_') return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// RFC 3986 pchar plus '/', with well-formed percent escapes.
bool valid_path_characters(std::string_view path) {
  static constexpr std::string_view allowed = "-._~!$&'()*+,;=:@/";
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size() || !is_hex(path[i + 1]) || !is_hex(path[i + 2])) return false;
      i += 2;
      continue;
    }
    if (!is_alpha(c) && !is_digit(c) && allowed.find(c) == std::string_view::npos) return false;
  }
  return true;
}

int parse_port(std::string_view text, std::string_view what, std::string_view url) {
  if (text.empty()) bad_url(what, url, "the port after ':' is empty");
  if (text.size() > 5) bad_url(what, url, "the port is not a number from 1 to 65535");
  int port = 0;
  for (char c : text) {
    if (!is_digit(c)) bad_url(what, url, "the port is not a number from 1 to 65535");
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) bad_url(what, url, "the port is not a number from 1 to 65535");
  return port;
}

int default_port(std::string_view scheme) { return scheme == "http" ? 80 : 443; }

// A boolean setting: the environment variable wins over the profile key, as in the SDKs.
bool flag_setting(const Environment& environment, const char* variable,
                  const std::optional<bool>& from_profile) {
  if (auto value = environment.get_non_empty(variable)) return parse_setting_bool(*value, variable);
  return from_profile.value_or(false);
}

std::string dns_suffix(std::string_view region, bool dualstack) {
  if (region.starts_with("cn-"))
    return dualstack ? "api.amazonwebservices.com.cn" : "amazonaws.com.cn";
  if (region.starts_with("us-isob-")) return "sc2s.sgov.gov";
  if (region.starts_with("us-iso-")) return "c2s.ic.gov";
  return dualstack ? "api.aws" : "amazonaws.com";
}

// Which service's settings: the runtime's or the control plane's.
struct Service {
  std::string_view field;         // "AuthConfig.runtime_endpoint"
  std::string_view variable;      // "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"
  std::string_view services_key;  // "bedrock_runtime" in a [services NAME] section
  std::string_view host_prefix;   // "bedrock-runtime"
  std::optional<std::string> ProfileSettings::*profile_url;
};

Endpoint resolve(const AuthConfig& config, std::string_view region, const std::string& explicit_url,
                 const Service& service) {
  validate_region(region);
  const Environment& environment = config.environment;
  const ProfileSettings profile = profile_settings(config);
  const bool fips = flag_setting(environment, "AWS_USE_FIPS_ENDPOINT", profile.use_fips_endpoint);
  const bool dualstack =
      flag_setting(environment, "AWS_USE_DUALSTACK_ENDPOINT", profile.use_dualstack_endpoint);
  // The endpoint rules refuse FIPS or dual-stack with a custom endpoint (wire doc §1.1).
  const auto custom = [&](const std::string& url, std::string_view what) {
    if (fips || dualstack) {
      throw ConfigurationError(
          std::string(what) + " sets a custom endpoint while " +
          (fips ? "use_fips_endpoint" : "use_dualstack_endpoint") +
          " is true (AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT or the profile): "
          "the two cannot be combined");
    }
    return parse_endpoint_url(url, what);
  };
  if (!explicit_url.empty()) return custom(explicit_url, service.field);

  bool ignore = profile.ignore_configured_endpoint_urls.value_or(false);
  if (auto value = environment.get_non_empty("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    ignore = parse_setting_bool(*value, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  }
  if (!ignore) {
    if (auto url = environment.get_non_empty(service.variable))
      return custom(*url, service.variable);
    if (auto url = environment.get_non_empty("AWS_ENDPOINT_URL"))
      return custom(*url, "AWS_ENDPOINT_URL");
    if (const auto& url = profile.*service.profile_url) {
      return custom(*url, std::string(service.services_key) +
                              " endpoint_url in the services section of " + profile.origin);
    }
    if (profile.endpoint_url)
      return custom(*profile.endpoint_url, "endpoint_url of " + profile.origin);
  }
  if (dualstack && region.starts_with("us-iso")) {
    throw ConfigurationError("dual-stack endpoints do not exist in region " + std::string(region) +
                             "'s partition (use_dualstack_endpoint / AWS_USE_DUALSTACK_ENDPOINT)");
  }
  return Endpoint{"https",
                  std::string(service.host_prefix) + (fips ? "-fips." : ".") + std::string(region) +
                      "." + dns_suffix(region, dualstack),
                  443, ""};
}

}  // namespace

std::string Endpoint::host_header() const {
  if (port == default_port(scheme)) return host;
  return host + ":" + std::to_string(port);
}

std::string Endpoint::url_for(std::string_view path_and_query) const {
  std::string url = scheme + "://" + host_header() + base_path;
  if (path_and_query.empty() || path_and_query.front() != '/') url += '/';
  url += path_and_query;
  return url;
}

Endpoint parse_endpoint_url(std::string_view url, std::string_view what) {
  if (url.empty()) bad_url(what, url, "it is empty");
  for (char c : url) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      bad_url(what, url, "it contains whitespace, a control or a non-ASCII character");
    }
  }
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    bad_url(what, url, "it has no scheme (expected http:// or https://)");
  }
  Endpoint endpoint;
  endpoint.scheme = core::to_lower_ascii(url.substr(0, scheme_end));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") {
    bad_url(what, url, "the scheme is not http or https");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('?') != std::string_view::npos) bad_url(what, url, "it has a query ('?')");
  if (rest.find('#') != std::string_view::npos) bad_url(what, url, "it has a fragment ('#')");

  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    bad_url(what, url, "it has userinfo ('user@'); put credentials elsewhere");
  }
  if (authority.empty()) bad_url(what, url, "it has no host");

  std::string_view port_text;
  bool has_port = false;
  if (authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) bad_url(what, url, "the IPv6 host has no closing ']'");
    std::string inner(authority.substr(1, close - 1));
    in6_addr address{};
    if (inner.empty() || ::inet_pton(AF_INET6, inner.c_str(), &address) != 1) {
      bad_url(what, url, "the host in brackets is not an IPv6 address");
    }
    endpoint.host = "[" + core::to_lower_ascii(inner) + "]";
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url(what, url, "unexpected text after the IPv6 host");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    std::size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
      if (port_text.find(':') != std::string_view::npos) {
        bad_url(what, url, "too many ':' (an IPv6 host must be written in brackets)");
      }
    }
    if (host.empty()) bad_url(what, url, "it has no host");
    if (!valid_host_name(host)) bad_url(what, url, "the host is not a valid name or IPv4 address");
    endpoint.host = core::to_lower_ascii(host);
  }
  endpoint.port = has_port ? parse_port(port_text, what, url) : default_port(endpoint.scheme);

  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!path.empty()) {
    if (!valid_path_characters(path)) {
      bad_url(what, url, "the path has a character that must be percent-encoded");
    }
    // Empty and dot segments would be rewritten by HTTP stacks and break the signature.
    std::size_t start = 1;
    for (;;) {
      std::size_t next = path.find('/', start);
      std::string_view segment =
          path.substr(start, next == std::string_view::npos ? next : next - start);
      if (segment.empty()) bad_url(what, url, "the path has an empty segment ('//')");
      if (segment == "." || segment == "..") {
        bad_url(what, url, "the path has a '.' or '..' segment");
      }
      if (next == std::string_view::npos) break;
      start = next + 1;
    }
    endpoint.base_path = std::string(path);
  }
  return endpoint;
}

void validate_region(std::string_view region) {
  if (region.empty()) throw ConfigurationError("AWS region is empty");
  for (char c : region) {
    if (!(c >= 'a' && c <= 'z') && !is_digit(c) && c != '-') {
      throw ConfigurationError("invalid AWS region '" + printable(region) +
                               "': only lower-case letters, digits and '-' are allowed");
    }
  }
}

Endpoint resolve_runtime_endpoint(const AuthConfig& config, std::string_view region) {
  static const Service kRuntime{"AuthConfig.runtime_endpoint", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
                                "bedrock_runtime", "bedrock-runtime",
                                &ProfileSettings::runtime_endpoint_url};
  return resolve(config, region, config.runtime_endpoint, kRuntime);
}

Endpoint resolve_control_endpoint(const AuthConfig& config, std::string_view region) {
  static const Service kControl{"AuthConfig.control_endpoint", "AWS_ENDPOINT_URL_BEDROCK",
                                "bedrock", "bedrock", &ProfileSettings::control_endpoint_url};
  return resolve(config, region, config.control_endpoint, kControl);
}

}  // namespace llmm::auth
