#include "config/proxy_settings.hpp"

#include <llmm/exceptions.hpp>

#include "config/config_text.hpp"
#include "core/redacted_url.hpp"

namespace llmm::config {
namespace {

// Upper case first, as botocore (urllib) and the JS SDK read them.
std::string first_set(const Environment& environment, std::string_view upper,
                      std::string_view lower) {
  if (auto value = environment.get_non_empty(upper)) return *value;
  if (auto value = environment.get_non_empty(lower)) return *value;
  return {};
}

void check_proxy_url(const std::string& url, std::string_view origin) {
  if (url.empty()) return;
  const std::size_t scheme_end = url.find("://");
  const std::string scheme =
      scheme_end == std::string::npos ? std::string() : url.substr(0, scheme_end);
  const bool host_present = scheme_end != std::string::npos && scheme_end + 3 < url.size() &&
                            url.find_first_not_of('/', scheme_end + 3) != std::string::npos;
  if ((scheme != "http" && scheme != "https") || !host_present ||
      url.find_first_of(" \t\r\n") != std::string::npos) {
    throw ConfigurationError("proxy from " + std::string(origin) + ": " +
                             quote_for_error(core::redact_userinfo(url)) +
                             " is not an http:// or https:// URL with a host");
  }
}

}  // namespace

void apply_proxy_settings(TransportOptions& options, const ClientConfig& config,
                          const Environment& environment) {
  if (!config.proxy().empty()) {
    check_proxy_url(config.proxy(), "ClientConfig.proxy");
    options.https_proxy = config.proxy();
    options.http_proxy = config.proxy();
    options.no_proxy = config.no_proxy();
    return;
  }
  options.https_proxy = first_set(environment, "HTTPS_PROXY", "https_proxy");
  options.http_proxy = first_set(environment, "HTTP_PROXY", "http_proxy");
  options.no_proxy = first_set(environment, "NO_PROXY", "no_proxy");
  check_proxy_url(options.https_proxy, "HTTPS_PROXY");
  check_proxy_url(options.http_proxy, "HTTP_PROXY");
}

}  // namespace llmm::config
