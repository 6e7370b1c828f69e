#include "client_config_flags.hpp"

#include <llmm/environment.hpp>

namespace llmm::cli {

void ClientConfigFlags::add_to(CLI::App& command) {
  struct Flag {
    const char* name;
    const char* help;
  };
  static constexpr Flag kFlags[] = {
      {"--read-timeout", "Longest silence on a connection (600, 1.5s, 300ms, 2m; default 600s)"},
      {"--connect-timeout", "TCP and TLS connection setup (a duration; default 60s)"},
      {"--max-pool-connections", "Open connections per host (default 10)"},
      {"--retries-max-attempts",
       "Retries of one call on one target after its first attempt (default 3)"},
      {"--http-version", "auto (HTTP/2 over TLS when offered), 1.1 or 2 (default auto)"},
      {"--ca-bundle",
       "PEM file of trusted CAs for HTTPS (default: AWS_CA_BUNDLE, the profile's ca_bundle, the "
       "system's)"},
      {"--max-response-bytes", "Longest response body accepted (default 67108864)"},
      {"--proxy", "HTTP CONNECT proxy URL for every endpoint (default: HTTPS_PROXY / HTTP_PROXY)"},
      {"--no-proxy", "Hosts that bypass --proxy (comma-separated; default: none)"},
  };
  for (const Flag& flag : kFlags) {
    const std::string name = flag.name;
    command.add_option_function<std::string>(
        name,
        [this, name](const std::string& value) {
          arguments_.push_back(name);
          arguments_.push_back(value);
        },
        flag.help);
  }
}

ClientConfig ClientConfigFlags::resolve(const std::string& json_text) const {
  auto config = ClientConfig::from_environment(Environment::process());
  if (!json_text.empty()) config = ClientConfig::from_json(json_text, config);
  return ClientConfig::from_flags(arguments_, config);
}

}  // namespace llmm::cli
