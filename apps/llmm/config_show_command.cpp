#include "config_show_command.hpp"

#include "exit_codes.hpp"

#include "auth/timestamp.hpp"

#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace llmm::cli {
namespace {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// "credentials" and "region" members for the default chain; errors are reported, not thrown,
// so the rest of the configuration still shows. Messages never hold secrets (the chain's rule).
std::string credential_members(const ClientConfig& client_config) {
  const AuthConfig auth_config;
  std::string credentials;
  try {
    const AuthManager manager(auth_config, client_config);
    const CredentialsInfo info = manager.credentials_info();
    credentials =
        "{\"provider\":" + json_string(info.provider) + ",\"source\":" + json_string(info.source);
    if (!info.profile.empty()) credentials += ",\"profile\":" + json_string(info.profile);
    if (info.expiration)
      credentials += ",\"expiration\":" + json_string(auth::format_iso8601(*info.expiration));
    credentials += "}";
  } catch (const ConfigurationError& error) {
    credentials = "{\"error\":" + json_string(error.what()) + "}";
  } catch (const AuthenticationError& error) {
    credentials = "{\"error\":" + json_string(error.what()) + "}";
  }
  std::string region = "null";
  try {
    if (auto found = configured_region(auth_config)) region = json_string(*found);
  } catch (const ConfigurationError&) {
    // Already reported under "credentials" (the same shared files).
  }
  return ",\"credentials\":" + credentials + ",\"region\":" + region;
}

}  // namespace

ConfigShowCommand::ConfigShowCommand(CLI::App& app) {
  auto* config = app.add_subcommand("config", "Show the effective client configuration");
  config->require_subcommand(1);
  show_ =
      config->add_subcommand("show", "Print the ClientConfig as JSON (environment, then flags)");
  client_flags_.add_to(*show_);
  show_->add_option("--json", json_text_, "A ClientConfig JSON document, applied before flags");
  show_->add_flag(
      "--credentials", credentials_,
      "Also run the credential chain and show where credentials come from (provider, "
      "source, profile, expiry; never a secret) and the configured region; may call STS, "
      "SSO, a container endpoint or IMDS");
}

int ConfigShowCommand::run() const {
  const ClientConfig config = client_flags_.resolve(json_text_);
  std::string text = config.to_json();
  if (credentials_ && !text.empty() && text.back() == '}') {
    text.pop_back();
    std::string members = credential_members(config);
    if (text == "{") members.erase(0, 1);  // no member before ours: no comma
    text += members + "}";
  }
  std::cout << text << '\n';
  return kExitSuccess;
}

}  // namespace llmm::cli
