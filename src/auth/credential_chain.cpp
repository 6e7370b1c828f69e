#include "auth/credential_chain.hpp"

#include "auth/aws_shared_file.hpp"
#include "auth/container_provider.hpp"
#include "auth/imds_provider.hpp"
#include "auth/process_provider.hpp"
#include "auth/sso_provider.hpp"
#include "auth/sts_client.hpp"
#include "auth/web_identity_provider.hpp"

#include <llmm/exceptions.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

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
  std::string origin;  // "AuthConfig.profile_name", "AWS_PROFILE" or "the default"
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

std::optional<ResolvedCredentials> environment_keys(const Environment& environment);

// What one resolution shares: the environment, "now", the region STS is reached in, and the
// profiles on the current role chain (loop detection).
struct ChainContext {
  const Environment& environment;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::optional<std::string> region;
  std::vector<std::string> role_chain;  // profiles whose role_arn is being resolved, in order
};

// A credential_process that never finishes must not hold the caller forever; botocore has no
// bound, a minute is far above any real helper (they answer in well under a second).
constexpr std::chrono::seconds kProcessTimeout{60};

std::string setting(const ProfileView& view, std::string_view key) {
  auto found = view.get(key, true);
  return found ? std::move(found->value) : std::string();
}

const std::string& file_of(const ProfileView& view, std::string_view key) {
  static const std::string none = "(no file)";
  const std::string* path = view.file_with(key);
  return path != nullptr ? *path : none;
}

std::optional<ResolvedCredentials> static_keys(const ProfileView& view) {
  auto id = view.get(key_id_key, true);
  auto secret = view.get(secret_key, true);
  if (!id && !secret) return std::nullopt;
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
  ResolvedCredentials resolved{std::move(keys), std::move(source)};
  resolved.provider = "shared-file";
  resolved.profile = view.name;
  return resolved;
}

std::optional<ResolvedCredentials> credentials_from_profile(const ProfileView& view,
                                                            ChainContext& context);

// role_arn with source_profile or credential_source: the source's credentials sign STS
// AssumeRole. A chain that comes back to a profile already on it is a ConfigurationError
// naming the whole loop (a profile naming itself with static keys of its own is botocore's
// allowed exception: its keys are the source).
ResolvedCredentials assume_role_profile(const ProfileView& view, ChainContext& context) {
  const std::string role_arn = setting(view, "role_arn");
  const std::string source_profile = setting(view, "source_profile");
  const std::string credential_source = setting(view, "credential_source");
  const std::string& file = file_of(view, "role_arn");
  const std::string who = "AWS profile " + in_quotes(view.name) + " in " + in_quotes(file);
  if (!source_profile.empty() && !credential_source.empty()) {
    throw ConfigurationError(who + " has both source_profile and credential_source; give one");
  }
  if (view.file_with("mfa_serial") != nullptr)
    unsupported(view, "mfa_serial", "an MFA prompt for assume role");

  ResolvedCredentials source;
  if (!source_profile.empty()) {
    context.role_chain.push_back(view.name);
    if (source_profile == view.name) {
      auto keys = static_keys(view);
      if (!keys) {
        throw ConfigurationError(
            who +
            " names itself as source_profile but has no static keys: the role chain "
            "loops (" +
            view.name + " -> " + view.name + ")");
      }
      source = std::move(*keys);
    } else {
      if (std::find(context.role_chain.begin(), context.role_chain.end(), source_profile) !=
          context.role_chain.end()) {
        std::string loop;
        for (const auto& name : context.role_chain) loop += name + " -> ";
        throw ConfigurationError(who + ": the role chain loops (" + loop + source_profile + ")");
      }
      ProfileView source_view(source_profile, *view.files);
      if (!source_view.exists()) {
        throw ConfigurationError(who + " names source_profile " + in_quotes(source_profile) +
                                 ", which is not in " + view.files->describe_both());
      }
      auto found = credentials_from_profile(source_view, context);
      if (!found) {
        throw ConfigurationError(who + " names source_profile " + in_quotes(source_profile) +
                                 ", which has no credentials (looked in " +
                                 view.files->describe_both() + ")");
      }
      source = std::move(*found);
    }
    context.role_chain.pop_back();
  } else if (credential_source == "Environment") {
    auto keys = environment_keys(context.environment);
    if (!keys) {
      throw AuthenticationError(who + " has credential_source = Environment, but " +
                                std::string(key_id_variable) + " and " +
                                std::string(secret_variable) + " are not set");
    }
    source = std::move(*keys);
  } else if (credential_source == "Ec2InstanceMetadata" || credential_source == "EcsContainer") {
    ProviderOutcome outcome = credential_source == "EcsContainer"
                                  ? container_credentials(context.environment, context.now)
                                  : imds_credentials(context.environment, context.now);
    if (!outcome.credentials) {
      throw AuthenticationError(who + " has credential_source = " + credential_source +
                                ", which gave none: " + outcome.passed);
    }
    source = std::move(*outcome.credentials);
  } else {
    throw ConfigurationError(
        who + " has credential_source " + in_quotes(credential_source) +
        ", which is not one of Environment, Ec2InstanceMetadata, EcsContainer");
  }
  if (source.is_bearer())
    throw ConfigurationError(who + ": a bearer token cannot sign STS AssumeRole");

  AssumeRoleInput input;
  input.role_arn = role_arn;
  input.session_name = setting(view, "role_session_name");
  input.external_id = setting(view, "external_id");
  if (const std::string duration = setting(view, "duration_seconds"); !duration.empty()) {
    const bool digits =
        duration.size() <= 5 &&
        std::all_of(duration.begin(), duration.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoi(duration) < 900 || std::stoi(duration) > 43200) {
      throw ConfigurationError(who + ": duration_seconds must be a whole number from 900 to 43200");
    }
    input.duration_seconds = std::stoi(duration);
  }
  const StsTarget sts = sts_target(context.environment, context.region);
  const AssumedRole role =
      assume_role(sts, input, std::get<AwsCredentials>(source.value), context.now);
  ResolvedCredentials resolved;
  resolved.value = role.keys;
  resolved.expiration = role.expiration;
  resolved.provider = "assume-role";
  resolved.profile = view.name;
  resolved.source = "assume role " + role_arn + " via STS " + sts.endpoint.host_header() +
                    " (profile " + in_quotes(view.name) + " in " + file +
                    "; source: " + source.source + ")";
  return resolved;
}

std::optional<WebIdentitySource> web_identity_source(const ProfileView* view,
                                                     const Environment& environment) {
  WebIdentitySource source;
  auto token_file = environment.get_non_empty("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role_arn = environment.get_non_empty("AWS_ROLE_ARN");
  if (token_file) {
    source.token_file = *token_file;
    source.origin = "environment (AWS_WEB_IDENTITY_TOKEN_FILE)";
  } else if (view != nullptr && view->file_with("web_identity_token_file") != nullptr) {
    source.token_file = setting(*view, "web_identity_token_file");
    source.origin =
        "profile " + in_quotes(view->name) + " in " + file_of(*view, "web_identity_token_file");
    source.profile = view->name;
    if (!role_arn && view->file_with("role_arn") != nullptr) role_arn = setting(*view, "role_arn");
  } else {
    return std::nullopt;
  }
  if (source.token_file.empty())
    throw ConfigurationError("web identity: " + source.origin + " names no token file");
  if (!role_arn || role_arn->empty()) {
    throw ConfigurationError("web identity: a token file is configured by " + source.origin +
                             " but no role: set AWS_ROLE_ARN or the profile's role_arn");
  }
  source.role_arn = *role_arn;
  if (auto session = environment.get_non_empty("AWS_ROLE_SESSION_NAME")) {
    source.session_name = *session;
  } else if (view != nullptr) {
    source.session_name = setting(*view, "role_session_name");
  }
  return source;
}

std::optional<ResolvedCredentials> sso_profile(const ProfileView& view, ChainContext& context) {
  const bool session_form = view.file_with("sso_session") != nullptr;
  const bool legacy_form = view.file_with("sso_start_url") != nullptr;
  if (!session_form && !legacy_form) {
    for (std::string_view key : {"sso_account_id", "sso_role_name", "sso_region"}) {
      if (view.file_with(key) != nullptr) {
        throw ConfigurationError("AWS profile " + in_quotes(view.name) + " in " +
                                 in_quotes(file_of(view, key)) + " has " + std::string(key) +
                                 " but neither sso_session nor sso_start_url");
      }
    }
    return std::nullopt;
  }
  SsoSource source;
  source.profile = view.name;
  source.file = file_of(view, session_form ? "sso_session" : "sso_start_url");
  const std::string who = "SSO profile " + in_quotes(view.name) + " in " + in_quotes(source.file);
  if (session_form) {
    source.session_name = setting(view, "sso_session");
    const SharedFileSection* section =
        view.files->config ? view.files->config->sso_session(source.session_name) : nullptr;
    if (section == nullptr) {
      throw ConfigurationError(who + " names sso_session " + in_quotes(source.session_name) +
                               ", but there is no [sso-session " + source.session_name + "] in " +
                               view.files->describe_config());
    }
    source.start_url = section->value("sso_start_url").value_or("");
    source.sso_region = section->value("sso_region").value_or("");
    if (source.start_url.empty() || source.sso_region.empty()) {
      throw ConfigurationError(who + ": [sso-session " + source.session_name +
                               "] needs sso_start_url and sso_region");
    }
  } else {
    source.start_url = setting(view, "sso_start_url");
    source.sso_region = setting(view, "sso_region");
    if (source.sso_region.empty())
      throw ConfigurationError(who + " has sso_start_url but no sso_region");
  }
  source.account_id = setting(view, "sso_account_id");
  source.role_name = setting(view, "sso_role_name");
  if (source.account_id.empty() || source.role_name.empty()) {
    throw ConfigurationError(who + " needs sso_account_id and sso_role_name");
  }
  return credentials_from_sso(source, context.environment, context.now);
}

// Credentials from an existing profile, in botocore's order: assume role, web identity, SSO,
// static keys, credential_process. nullopt when it holds no credential settings at all.
// Static keys in the config file come before credential_process here (botocore tries the
// process between the two files); the two files' keys are merged key by key instead.
std::optional<ResolvedCredentials> credentials_from_profile(const ProfileView& view,
                                                            ChainContext& context) {
  const bool has_role = view.file_with("role_arn") != nullptr;
  if (has_role && (view.file_with("source_profile") != nullptr ||
                   view.file_with("credential_source") != nullptr)) {
    return assume_role_profile(view, context);
  }
  if (view.file_with("web_identity_token_file") != nullptr) {
    // The profile's own web identity only (in Auto the environment's came first, in
    // credentials_from_files; AuthType::Profile never reads the environment's).
    auto source = web_identity_source(&view, Environment::from_map({}));
    return credentials_from_web_identity(*source, sts_target(context.environment, context.region),
                                         context.now);
  }
  if (auto sso = sso_profile(view, context)) return sso;
  if (auto keys = static_keys(view)) return keys;
  if (view.file_with("credential_process") != nullptr) {
    const std::string command = setting(view, "credential_process");
    return credentials_from_process(
        ProcessSource{command, view.name, file_of(view, "credential_process")}, kProcessTimeout,
        context.now);
  }
  if (has_role) {
    throw ConfigurationError(
        "AWS profile " + in_quotes(view.name) + " in " + in_quotes(file_of(view, "role_arn")) +
        " has role_arn but no source_profile, credential_source or web_identity_token_file");
  }
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
// is the implicit "default" and does not exist); `tried` then says why. With `web_identity_env`
// (Auto), the environment's web identity is tried after the profile's assume role and before
// its other settings, botocore's order.
std::optional<ResolvedCredentials> credentials_from_files(const ProfileChoice& choice,
                                                          ChainContext& context, std::string& tried,
                                                          bool web_identity_env,
                                                          std::string& web_identity_tried) {
  SharedFiles files(context.environment);
  ProfileView view(choice.name, files);
  const bool exists = view.exists();
  if (!exists && choice.asked_for_explicitly) missing_profile(choice, files);
  if (exists && view.file_with("role_arn") != nullptr &&
      (view.file_with("source_profile") != nullptr ||
       view.file_with("credential_source") != nullptr)) {
    return assume_role_profile(view, context);
  }
  if (web_identity_env) {
    if (auto source = web_identity_source(exists ? &view : nullptr, context.environment)) {
      return credentials_from_web_identity(*source, sts_target(context.environment, context.region),
                                           context.now);
    }
    web_identity_tried = "web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set" +
                         std::string(exists ? ", no web_identity_token_file in the profile" : "") +
                         ")";
  }
  if (!exists) {
    tried = "profile " + in_quotes(choice.name) + " (not found in " + files.describe_credentials() +
            " or " + files.describe_config() + ")";
    return std::nullopt;
  }
  if (auto found = credentials_from_profile(view, context)) return found;
  tried = "profile " + in_quotes(choice.name) + " (no " + std::string(key_id_key) + "/" +
          std::string(secret_key) +
          ", role_arn, sso_session, sso_start_url or credential_process in " +
          files.describe_both() + ")";
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
  ResolvedCredentials resolved{
      AwsCredentials{config.access_key_id, config.secret_access_key, config.session_token},
      "explicit credentials (AuthConfig.access_key_id)"};
  resolved.provider = "explicit";
  return resolved;
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
  ResolvedCredentials resolved{std::move(keys), std::move(source)};
  resolved.provider = "environment";
  return resolved;
}

ResolvedCredentials provided_credentials(const AuthConfig& config) {
  if (!config.credentials_provider) {
    throw ConfigurationError(
        "AuthType::Provider needs AuthConfig.credentials_provider, it is null");
  }
  CredentialsProvider& provider = *config.credentials_provider;
  const std::string name = in_quotes(provider.name());
  ProvidedCredentials provided;
  try {
    provided = provider.fetch();
  } catch (const std::exception& error) {
    throw AuthenticationError("credentials provider " + name + " failed: " + error.what());
  } catch (...) {
    throw AuthenticationError("credentials provider " + name +
                              " failed with an exception that is not a std::exception");
  }
  if (provided.access_key_id.empty() || provided.secret_access_key.empty()) {
    throw AuthenticationError(
        "credentials provider " + name + " returned no " +
        (provided.access_key_id.empty() ? "access key id" : "secret access key"));
  }
  ResolvedCredentials resolved{
      AwsCredentials{std::move(provided.access_key_id), std::move(provided.secret_access_key),
                     std::move(provided.session_token)},
      "credentials provider " + name};
  resolved.provider = "custom";
  resolved.expiration = provided.expiration;
  return resolved;
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
    case AuthType::Credentials: return explicit_credentials(config);

    case AuthType::BearerToken:
      if (config.bearer_token.empty()) {
        throw ConfigurationError(
            "AuthType::BearerToken needs AuthConfig.bearer_token, it is empty");
      }
      {
        ResolvedCredentials resolved{BearerToken{config.bearer_token},
                                     "explicit bearer token (AuthConfig.bearer_token)"};
        resolved.provider = "bearer";
        return resolved;
      }

    case AuthType::Profile: {
      if (config.profile_name.empty()) {
        throw ConfigurationError("AuthType::Profile needs AuthConfig.profile_name, it is empty");
      }
      ProfileChoice choice{config.profile_name, "AuthConfig.profile_name", true};
      ChainContext context{environment};
      context.region = resolve_region(config);
      std::string tried;
      std::string unused;
      if (auto found = credentials_from_files(choice, context, tried, false, unused)) return *found;
      throw AuthenticationError("No AWS credentials in " + tried);
    }

    case AuthType::Provider: return provided_credentials(config);

    case AuthType::Auto: break;
  }

  if (auto token = environment.get_non_empty(bearer_variable)) {
    ResolvedCredentials resolved{BearerToken{std::move(*token)},
                                 "environment (" + std::string(bearer_variable) + ")"};
    resolved.provider = "bearer";
    return resolved;
  }
  if (auto keys = environment_keys(environment)) return *keys;
  ChainContext context{environment};
  context.region = resolve_region(config);
  std::string tried;
  std::string web_identity_tried;
  if (auto found = credentials_from_files(choose_profile(config), context, tried, true,
                                          web_identity_tried)) {
    return *found;
  }
  ProviderOutcome container = container_credentials(environment, context.now);
  if (container.credentials) return *container.credentials;
  ProviderOutcome imds = imds_credentials(environment, context.now);
  if (imds.credentials) return *imds.credentials;
  throw AuthenticationError(
      "No AWS credentials found. Tried, in order: " + std::string(bearer_variable) +
      " (not set); " + std::string(key_id_variable) + " and " + std::string(secret_variable) +
      " (not set); " + web_identity_tried + "; " + tried + "; " + container.passed + "; " +
      imds.passed);
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
      "profile " +
      in_quotes(choice.name) + " (from " + choice.origin + ") has no region in " +
      files.describe_config() + " or " + files.describe_credentials() +
      "; pass a region (the CLI's -r/--region) or set AWS_REGION");
}

}  // namespace llmm::auth

namespace llmm {

std::optional<std::string> configured_region(const AuthConfig& config) {
  return auth::resolve_region(config);
}

}  // namespace llmm
