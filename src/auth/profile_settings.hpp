#pragma once
// The active profile's settings that are not credentials (endpoints, TLS trust, the user agent),
// read from the shared config file as botocore reads them: `[profile NAME]` (or `[default]`) of
// AWS_CONFIG_FILE (default ~/.aws/config), and the `[services NAME]` section the profile's
// `services` key names. The credentials file is not read for these, as in botocore.
//
//   [profile dev]
//   ca_bundle = /etc/corp/ca.pem
//   use_fips_endpoint = true
//   endpoint_url = https://proxy.corp:8443          ; every service
//   services = dev-endpoints
//   sdk_ua_app_id = batch-summarizer
//
//   [services dev-endpoints]
//   bedrock_runtime =
//     endpoint_url = https://runtime.corp:8443
//   bedrock =
//     endpoint_url = https://control.corp:8443
//
// Thread-safe: plain functions over values; each call reads the file again.

#include <llmm/auth_config.hpp>

#include <optional>
#include <string>

namespace llmm::auth {

struct ProfileSettings {
  std::optional<std::string> ca_bundle;
  std::optional<std::string> endpoint_url;          // the profile's, for every service
  std::optional<std::string> runtime_endpoint_url;  // [services X] bedrock_runtime.endpoint_url
  std::optional<std::string> control_endpoint_url;  // [services X] bedrock.endpoint_url
  std::optional<bool> ignore_configured_endpoint_urls;
  std::optional<bool> use_fips_endpoint;
  std::optional<bool> use_dualstack_endpoint;
  std::optional<std::string> sdk_ua_app_id;
  std::optional<std::string> retry_mode;
  std::optional<std::string> max_attempts;
  std::string origin;  // "profile 'dev' in config file '/home/u/.aws/config'", for errors
};

// The settings of active_profile(config). Empty when the file or the profile does not exist.
// ConfigurationError naming the file, the profile and the key when a boolean is not true/false,
// or `services` names a section that does not exist.
ProfileSettings profile_settings(const AuthConfig& config);

// The CA bundle when ClientConfig names none, with the SDKs' precedence: AWS_CA_BUNDLE, then
// `ca_bundle` of the active profile. nullopt: the system's trust store. Not checked here: a path
// that cannot be read fails the first HTTPS attempt with ErrorCode::TlsFailed naming it.
std::optional<std::string> resolve_ca_bundle(const AuthConfig& config);

// AWS_RETRY_MODE, else the profile's retry_mode: "standard" and "legacy" are accepted (the call
// engine's retries are the standard mode's: exponential backoff with full jitter, capped, the
// server's Retry-After honoured, a per-call cap); "adaptive" (client-side rate limiting) is a
// ConfigurationError saying so, as is any other value. Also refuses the profile's max_attempts
// when it is not a whole number >= 1 (it is read where ClientConfig::from_environment reads
// AWS_MAX_ATTEMPTS; see docs/ClientConfig.md).
void check_retry_settings(const AuthConfig& config);

// true/false in any case, as the SDKs accept; anything else is a ConfigurationError naming
// `what` (a variable or a profile key).
bool parse_setting_bool(const std::string& value, const std::string& what);

}  // namespace llmm::auth
