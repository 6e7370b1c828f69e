#include "auth/profile_settings.hpp"

#include "auth/aws_shared_file.hpp"
#include "auth/credential_chain.hpp"
#include "core/ascii.hpp"

#include <llmm/exceptions.hpp>

namespace llmm::auth {

bool parse_setting_bool(const std::string& value, const std::string& what) {
  const std::string lowered = core::to_lower_ascii(value);
  if (lowered == "true") return true;
  if (lowered == "false") return false;
  // Booleans are not secrets, but keep the message bounded and printable.
  throw ConfigurationError(what + " must be 'true' or 'false', not '" +
                           (value.size() > 40 ? value.substr(0, 40) + "..." : value) + "'");
}

ProfileSettings profile_settings(const AuthConfig& config) {
  ProfileSettings settings;
  const SharedFilePaths paths = shared_file_paths(config.environment);
  if (paths.config.empty()) return settings;
  const auto file = AwsSharedFile::load(paths.config, SharedFileKind::Config);
  if (!file) return settings;
  const std::string name = active_profile(config);
  const SharedFileSection* profile = file->profile(name);
  if (profile == nullptr) return settings;
  settings.origin = "profile '" + name + "' in config file '" + paths.config + "'";
  const auto boolean = [&](const char* key) -> std::optional<bool> {
    auto value = profile->value(key);
    if (!value) return std::nullopt;
    return parse_setting_bool(*value, std::string(key) + " of " + settings.origin);
  };
  settings.ca_bundle = profile->value("ca_bundle");
  settings.endpoint_url = profile->value("endpoint_url");
  settings.sdk_ua_app_id = profile->value("sdk_ua_app_id");
  settings.retry_mode = profile->value("retry_mode");
  settings.max_attempts = profile->value("max_attempts");
  settings.ignore_configured_endpoint_urls = boolean("ignore_configured_endpoint_urls");
  settings.use_fips_endpoint = boolean("use_fips_endpoint");
  settings.use_dualstack_endpoint = boolean("use_dualstack_endpoint");
  if (auto services = profile->value("services")) {
    const SharedFileSection* section = file->services(*services);
    if (section == nullptr) {
      throw ConfigurationError("services = " + *services + " of " + settings.origin +
                               " names no [services " + *services + "] section");
    }
    const auto endpoint_of = [&](const char* service) -> std::optional<std::string> {
      const SharedFileEntry* entry = section->find(service);
      if (entry == nullptr) return std::nullopt;
      const auto found = entry->sub_values.find("endpoint_url");
      if (found == entry->sub_values.end() || found->second.empty()) return std::nullopt;
      return found->second;
    };
    settings.runtime_endpoint_url = endpoint_of("bedrock_runtime");
    settings.control_endpoint_url = endpoint_of("bedrock");
  }
  return settings;
}

void check_retry_settings(const AuthConfig& config) {
  std::optional<std::string> mode = config.environment.get_non_empty("AWS_RETRY_MODE");
  std::string origin = "AWS_RETRY_MODE";
  const ProfileSettings profile = profile_settings(config);
  if (!mode) {
    mode = profile.retry_mode;
    origin = "retry_mode of " + profile.origin;
  }
  if (mode) {
    const std::string lowered = core::to_lower_ascii(*mode);
    if (lowered == "adaptive") {
      throw ConfigurationError(
          origin +
          " is 'adaptive': client-side adaptive rate limiting is not supported; use "
          "'standard' (what the call engine does) or leave it unset");
    }
    if (lowered != "standard" && lowered != "legacy") {
      throw ConfigurationError(origin + " must be 'standard', 'legacy' or 'adaptive', not '" +
                               (mode->size() > 40 ? mode->substr(0, 40) + "..." : *mode) + "'");
    }
  }
  if (profile.max_attempts) {
    const std::string& text = *profile.max_attempts;
    const bool whole = !text.empty() && text.size() < 6 &&
                       text.find_first_not_of("0123456789") == std::string::npos;
    if (!whole || std::stoi(text) < 1) {
      throw ConfigurationError("max_attempts of " + profile.origin +
                               " must be a whole number >= 1");
    }
  }
}

std::optional<std::string> resolve_ca_bundle(const AuthConfig& config) {
  if (auto path = config.environment.get_non_empty("AWS_CA_BUNDLE")) return path;
  return profile_settings(config).ca_bundle;
}

}  // namespace llmm::auth
