#include "auth/credential_chain.hpp"

#include "auth/aws_shared_file.hpp"

#include <llmm/exceptions.hpp>

#include <array>
#include <string_view>
#include <utility>

namespace llmm::auth {

namespace {

constexpr std::string_view bearer_variable = "AWS_BEARER_TOKEN_BEDROCK";
constexpr std::string_view key_id_variable = "AWS_ACCESS_KEY_ID";
constexpr std::string_view secret_variable = "AWS_SECRET_ACCESS_KEY";
constexpr std::string_view token_variable = "AWS_SESSION_TOKEN";

constexpr std::string_view key_id_key = "aws_access_key_id";
constexpr std::string_view secret_key = "aws_secret_access_key";
constexpr std::string_view token_key = "aws_session_token";

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string expand_home(const std::string& value, std::string_view variable,
                        const Environment& environment) {
  if (value != "~" && !value.starts_with("~/")) return value;
  auto home = environment.get_non_empty("HOME");
  if (!home) {
    throw ConfigurationError(std::string(variable) + " starts with '~' but HOME is not set");
  }
  return *home + value.substr(1);
}

std::string file_path(const Environment& environment, std::string_view variable,
                      std::string_view default_suffix) {
  if (auto named = environment.get_non_empty(variable)) {
    return expand_home(*named, variable, environment);
  }
  if (auto home = environment.get_non_empty("HOME")) return *home + std::string(default_suffix);
  return {};
}

// Which profile applies and why, for messages.
struct ProfileChoice {
  std::string name;
  std::string origin;           // "AuthConfig.profile_name", "AWS_PROFILE" or "the default"
  bool asked_for_explicitly = false;
};

ProfileChoice choose_profile(const AuthConfig& config) {
  if (!config.profile_name.empty()) return {config.profile_name, "AuthConfig.profile_name", true};
  if (auto named = config.environment.get_non_empty("AWS_PROFILE")) {
    return {*named, "AWS_PROFILE", true};
  }
  return {"default", "the default", false};
}

// Both shared files, loaded once per resolution.
struct SharedFiles {
  SharedFilePaths paths;
  std::optional<AwsSharedFile> credentials;
  std::optional<AwsSharedFile> config;

  explicit SharedFiles(const Environment& environment) : paths(shared_file_paths(environment)) {
    if (!paths.credentials.empty()) {
      credentials = AwsSharedFile::load(paths.credentials, SharedFileKind::Credentials);
    }
    if (!paths.config.empty()) {
      config = AwsSharedFile::load(paths.config, SharedFileKind::Config);
    }
  }

  static std::string describe(const std::string& path, const std::optional<AwsSharedFile>& file,
                              std::string_view label, std::string_view variable) {
    if (path.empty()) {
      return std::string(label) + " (" + std::string(variable) + " and HOME are not set)";
    }
    return std::string(label) + " '" + path + "'" + (file ? "" : " (not found)");
  }
  [[nodiscard]] std::string describe_credentials() const {
    return describe(paths.credentials, credentials, "credentials file",
                    "AWS_SHARED_CREDENTIALS_FILE");
  }
  [[nodiscard]] std::string describe_config() const {
    return describe(paths.config, config, "config file", "AWS_CONFIG_FILE");
  }
  [[nodiscard]] std::string describe_both() const {
    return describe_credentials() + " and " + describe_config();
  }
};

// One profile seen through both files.
struct ProfileView {
  std::string name;
  const SharedFiles* files = nullptr;
  const SharedFileSection* in_credentials = nullptr;
  const SharedFileSection* in_config = nullptr;

  ProfileView(std::string profile, const SharedFiles& shared)
      : name(std::move(profile)), files(&shared) {
    if (shared.credentials) in_credentials = shared.credentials->profile(name);
    if (shared.config) in_config = shared.config->profile(name);
  }

  [[nodiscard]] bool exists() const { return in_credentials != nullptr || in_config != nullptr; }

  struct Found {
    std::string value;
    const std::string* path;
  };

  // A non-empty value; the credentials file first when `credentials_first`.
  [[nodiscard]] std::optional<Found> get(std::string_view key, bool credentials_first) const {
    std::array<std::pair<const SharedFileSection*, const std::string*>, 2> order{{
        {in_credentials, &files->paths.credentials},
        {in_config, &files->paths.config},
    }};
    if (!credentials_first) std::swap(order[0], order[1]);
    for (const auto& [section, path] : order) {
      if (section == nullptr) continue;
      if (auto value = section->value(key)) return Found{std::move(*value), path};
    }
    return std::nullopt;
  }

  // The file naming `key` at all (even with an empty value), credentials file first.
  [[nodiscard]] const std::string* file_with(std::string_view key) const {
    if (in_credentials != nullptr && in_credentials->find(key) != nullptr) {
      return &files->paths.credentials;
    }
    if (in_config != nullptr && in_config->find(key) != nullptr) return &files->paths.config;
    return nullptr;
  }
};

[[noreturn]] void unsupported(const ProfileView& view, std::string_view key,
                              std::string_view what) {
  throw ConfigurationError("AWS profile " + in_quotes(view.name) + " in " +
                           in_quotes(*view.file_with(key)) + " uses " + std::string(key) + " (" +
                           std::string(what) +
                           "), which llmm does not support yet; give the profile "
                           "aws_access_key_id and aws_secret_access_key, or use environment "
                           "variables or a bearer token");
}

// Credentials from an existing profile; nullopt when it holds no credential settings at all.
// The order follows the JS fromIni: assume-role, static keys, web identity, process, SSO.
std::optional<ResolvedCredentials> credentials_from_profile(const ProfileView& view) {
  const bool has_role = view.file_with("role_arn") != nullptr;
  if (has_role && (view.file_with("source_profile") != nullptr ||
                   view.file_with("credential_source") != nullptr)) {
    unsupported(view, "role_arn", "assume role");
  }

  auto id = view.get(key_id_key, true);
  auto secret = view.get(secret_key, true);
  if (id || secret) {
    if (!id || !secret) {
      const auto& present = id ? *id : *secret;
      std::string_view present_key = id ? key_id_key : secret_key;
      std::string_view missing_key = id ? secret_key : key_id_key;
      throw ConfigurationError("AWS profile " + in_quotes(view.name) + " in " +
                               in_quotes(*present.path) + " has " + std::string(present_key) +
                               " but no " + std::string(missing_key) + " (looked in " +
                               view.files->describe_both() + ")");
    }
    AwsCredentials keys;
    keys.access_key_id = std::move(id->value);
    keys.secret_access_key = std::move(secret->value);
    if (auto token = view.get(token_key, true)) keys.session_token = std::move(token->value);
    std::string source = "profile " + in_quotes(view.name) + " in " + *id->path;
    if (*secret->path != *id->path) source += " and " + *secret->path;
    return ResolvedCredentials{std::move(keys), std::move(source)};
  }

  if (view.file_with("web_identity_token_file") != nullptr) {
    unsupported(view, "web_identity_token_file", "web identity");
  }
  if (view.file_with("credential_process") != nullptr) {
    unsupported(view, "credential_process", "an external credential process");
  }
  for (std::string_view key : {"sso_session", "sso_start_url", "sso_account_id", "sso_role_name"}) {
    if (view.file_with(key) != nullptr) unsupported(view, key, "IAM Identity Center / SSO");
  }
  if (has_role) unsupported(view, "role_arn", "assume role");
  if (view.file_with("login_session") != nullptr) {
    unsupported(view, "login_session", "console login session");
  }
  return std::nullopt;
}

[[noreturn]] void missing_profile(const ProfileChoice& choice, const SharedFiles& files) {
  std::string message = "AWS profile " + in_quotes(choice.name) + " (from " + choice.origin +
                        ") was not found in " + files.describe_credentials() + " or " +
                        files.describe_config();
  if (files.config) {
    for (const auto& ignored : files.config->ignored_sections()) {
      if (ignored == choice.name) {
        message += "; the config file has a section [" + choice.name +
                   "], but profiles there must be written [profile " + choice.name + "]";
        break;
      }
    }
  }
  throw ConfigurationError(message);
}

// The shared-file step for both Profile and Auto. nullopt: the profile has no credentials (or
// is the implicit "default" and does not exist); `tried` then says why.
std::optional<ResolvedCredentials> credentials_from_files(const ProfileChoice& choice,
                                                          const Environment& environment,
                                                          std::string& tried) {
  SharedFiles files(environment);
  ProfileView view(choice.name, files);
  if (!view.exists()) {
    if (choice.asked_for_explicitly) missing_profile(choice, files);
    tried = "profile " + in_quotes(choice.name) + " (not found in " + files.describe_credentials() +
            " or " + files.describe_config() + ")";
    return std::nullopt;
  }
  if (auto found = credentials_from_profile(view)) return found;
  tried = "profile " + in_quotes(choice.name) + " (no " + std::string(key_id_key) + "/" +
          std::string(secret_key) + " in " + files.describe_both() + ")";
  return std::nullopt;
}

ResolvedCredentials explicit_credentials(const AuthConfig& config) {
  if (config.access_key_id.empty() && config.secret_access_key.empty()) {
    throw ConfigurationError(
        "AuthType::Credentials needs AuthConfig.access_key_id and AuthConfig.secret_access_key, "
        "both are empty");
  }
  if (config.access_key_id.empty()) {
    throw ConfigurationError("AuthType::Credentials needs AuthConfig.access_key_id, it is empty");
  }
  if (config.secret_access_key.empty()) {
    throw ConfigurationError(
        "AuthType::Credentials needs AuthConfig.secret_access_key, it is empty");
  }
  return {AwsCredentials{config.access_key_id, config.secret_access_key, config.session_token},
          "explicit credentials (AuthConfig.access_key_id)"};
}

std::optional<ResolvedCredentials> environment_keys(const Environment& environment) {
  auto id = environment.get_non_empty(key_id_variable);
  auto secret = environment.get_non_empty(secret_variable);
  if (!id && !secret) return std::nullopt;
  // Partial keys are a mistake worth stopping on (botocore does too), not a reason to fall
  // through to a profile the user may not expect.
  if (!id || !secret) {
    std::string_view present = id ? key_id_variable : secret_variable;
    std::string_view missing = id ? secret_variable : key_id_variable;
    throw ConfigurationError(std::string(present) + " is set but " + std::string(missing) +
                             " is not; both are needed");
  }
  AwsCredentials keys{std::move(*id), std::move(*secret), {}};
  std::string source = "environment (" + std::string(key_id_variable);
  if (auto token = environment.get_non_empty(token_variable)) {
    keys.session_token = std::move(*token);
    source += ", " + std::string(token_variable);
  }
  source += ")";
  return ResolvedCredentials{std::move(keys), std::move(source)};
}

}  // namespace

SharedFilePaths shared_file_paths(const Environment& environment) {
  return {file_path(environment, "AWS_CONFIG_FILE", "/.aws/config"),
          file_path(environment, "AWS_SHARED_CREDENTIALS_FILE", "/.aws/credentials")};
}

std::string active_profile(const AuthConfig& config) { return choose_profile(config).name; }

ResolvedCredentials resolve_credentials(const AuthConfig& config) {
  const Environment& environment = config.environment;
  switch (config.type) {
    case AuthType::Credentials:
      return explicit_credentials(config);

    case AuthType::BearerToken:
      if (config.bearer_token.empty()) {
        throw ConfigurationError("AuthType::BearerToken needs AuthConfig.bearer_token, it is empty");
      }
      return {BearerToken{config.bearer_token}, "explicit bearer token (AuthConfig.bearer_token)"};

    case AuthType::Profile: {
      if (config.profile_name.empty()) {
        throw ConfigurationError("AuthType::Profile needs AuthConfig.profile_name, it is empty");
      }
      ProfileChoice choice{config.profile_name, "AuthConfig.profile_name", true};
      std::string tried;
      if (auto found = credentials_from_files(choice, environment, tried)) return *found;
      throw AuthenticationError("No AWS credentials in " + tried);
    }

    case AuthType::Auto:
      break;
  }

  if (auto token = environment.get_non_empty(bearer_variable)) {
    return {BearerToken{std::move(*token)}, "environment (" + std::string(bearer_variable) + ")"};
  }
  if (auto keys = environment_keys(environment)) return *keys;
  std::string tried;
  if (auto found = credentials_from_files(choose_profile(config), environment, tried)) {
    return *found;
  }
  throw AuthenticationError("No AWS credentials found. Tried: " + std::string(bearer_variable) +
                            " (not set); " + std::string(key_id_variable) + " and " +
                            std::string(secret_variable) + " (not set); " + tried);
}

std::optional<std::string> resolve_region(const AuthConfig& config) {
  const Environment& environment = config.environment;
  if (auto region = environment.get_non_empty("AWS_REGION")) return region;
  if (auto region = environment.get_non_empty("AWS_DEFAULT_REGION")) return region;
  SharedFiles files(environment);
  ProfileView view(choose_profile(config).name, files);
  if (auto found = view.get("region", false)) return std::move(found->value);
  return std::nullopt;
}

std::string default_region(const AuthConfig& config) {
  if (auto region = resolve_region(config)) return *region;
  const ProfileChoice choice = choose_profile(config);
  SharedFiles files(config.environment);
  throw ConfigurationError(
      "no region given and none configured: AWS_REGION and AWS_DEFAULT_REGION are not set, and "
      "profile " + in_quotes(choice.name) + " (from " + choice.origin + ") has no region in " +
      files.describe_config() + " or " + files.describe_credentials() +
      "; pass a region (the CLI's -r/--region) or set AWS_REGION");
}

}  // namespace llmm::auth
