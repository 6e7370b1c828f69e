// The credential and region chain (wire doc §7.3), against temp shared files and a fixed
// Environment.

#include "auth/credential_chain.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace llmm::auth {
namespace {

// Distinctive secrets: no message or source may ever contain them.
const std::vector<std::string> sentinels = {
    "SECRET-SENTINEL-123",      "SESSION-SENTINEL-456",    "BEARER-SENTINEL-789",
    "FILE-SECRET-SENTINEL-321", "FILE-TOKEN-SENTINEL-654", "CONFIG-SECRET-SENTINEL-987"};

void expect_no_secret(const std::string& text) {
  for (const auto& sentinel : sentinels) {
    EXPECT_EQ(text.find(sentinel), std::string::npos) << "secret leaked: " << text;
  }
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

using Variables = std::map<std::string, std::string, std::less<>>;

// A per-test HOME from mkdtemp holding .aws/config and .aws/credentials, removed afterwards.
class CredentialChainTest : public ::testing::Test {
 protected:
  CredentialChainTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "llmm-cred-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    home_ = pattern;
    std::filesystem::create_directories(home_ / ".aws");
  }
  ~CredentialChainTest() override {
    std::error_code ignored;
    std::filesystem::remove_all(home_, ignored);
  }

  std::string config_path() const { return (home_ / ".aws" / "config").string(); }
  std::string credentials_path() const { return (home_ / ".aws" / "credentials").string(); }

  void write_config(const std::string& text) const { write(config_path(), text); }
  void write_credentials(const std::string& text) const { write(credentials_path(), text); }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  // HOME points at the temp dir unless the test overrides it.
  // IMDS is off unless a test says otherwise: unit tests open no sockets.
  AuthConfig config_with(Variables variables = {}) const {
    variables.try_emplace("HOME", home_.string());
    variables.try_emplace("AWS_EC2_METADATA_DISABLED", "true");
    AuthConfig config;
    config.environment = Environment::from_map(std::move(variables));
    return config;
  }

  // Runs `action`, expects exception type E, checks no secret leaked, returns the message.
  template <typename E>
  std::string error_of(const std::function<void()>& action) {
    try {
      action();
    } catch (const E& error) {
      std::string message = error.what();
      expect_no_secret(message);
      return message;
    } catch (const std::exception& other) {
      ADD_FAILURE() << "wrong exception type: " << other.what();
      expect_no_secret(other.what());
      return other.what();
    }
    ADD_FAILURE() << "no exception thrown";
    return {};
  }

  static const AwsCredentials& keys_of(const ResolvedCredentials& resolved) {
    return std::get<AwsCredentials>(resolved.value);
  }

  std::filesystem::path home_;
};

// ---- explicit types ------------------------------------------------------------------------

TEST_F(CredentialChainTest, ExplicitCredentialsAreUsed) {
  AuthConfig config = config_with({{"AWS_BEARER_TOKEN_BEDROCK", "BEARER-SENTINEL-789"}});
  config.type = AuthType::Credentials;
  config.access_key_id = "AKIDEXPLICIT";
  config.secret_access_key = "SECRET-SENTINEL-123";
  config.session_token = "SESSION-SENTINEL-456";
  auto resolved = resolve_credentials(config);
  // Choosing a type is choosing a source: the bearer variable does not override it.
  ASSERT_FALSE(resolved.is_bearer());
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDEXPLICIT");
  EXPECT_EQ(keys_of(resolved).secret_access_key, "SECRET-SENTINEL-123");
  EXPECT_EQ(keys_of(resolved).session_token, "SESSION-SENTINEL-456");
  expect_contains(resolved.source, "explicit");
  expect_no_secret(resolved.source);
}

TEST_F(CredentialChainTest, ExplicitCredentialsWithoutSecretNamesTheField) {
  AuthConfig config = config_with();
  config.type = AuthType::Credentials;
  config.access_key_id = "AKIDEXPLICIT";
  config.session_token = "SESSION-SENTINEL-456";
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "AuthConfig.secret_access_key");
}

TEST_F(CredentialChainTest, ExplicitCredentialsWithoutIdNamesTheField) {
  AuthConfig config = config_with();
  config.type = AuthType::Credentials;
  config.secret_access_key = "SECRET-SENTINEL-123";
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "AuthConfig.access_key_id");
}

TEST_F(CredentialChainTest, ExplicitBearerToken) {
  AuthConfig config = config_with(
      {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}});
  config.type = AuthType::BearerToken;
  config.bearer_token = "BEARER-SENTINEL-789";
  auto resolved = resolve_credentials(config);
  ASSERT_TRUE(resolved.is_bearer());
  EXPECT_EQ(std::get<BearerToken>(resolved.value).token, "BEARER-SENTINEL-789");
  expect_contains(resolved.source, "AuthConfig.bearer_token");
  expect_no_secret(resolved.source);
}

TEST_F(CredentialChainTest, ExplicitBearerTokenEmptyIsAnError) {
  AuthConfig config = config_with();
  config.type = AuthType::BearerToken;
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "AuthConfig.bearer_token");
}

// ---- Auto: environment ---------------------------------------------------------------------

TEST_F(CredentialChainTest, BearerTokenEnvironmentWinsOverKeys) {
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  AuthConfig config = config_with({{"AWS_BEARER_TOKEN_BEDROCK", "BEARER-SENTINEL-789"},
                                   {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}});
  auto resolved = resolve_credentials(config);
  ASSERT_TRUE(resolved.is_bearer());
  EXPECT_EQ(std::get<BearerToken>(resolved.value).token, "BEARER-SENTINEL-789");
  EXPECT_EQ(resolved.source, "environment (AWS_BEARER_TOKEN_BEDROCK)");
}

TEST_F(CredentialChainTest, EmptyBearerVariableIsUnset) {
  AuthConfig config = config_with({{"AWS_BEARER_TOKEN_BEDROCK", ""},
                                   {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}});
  EXPECT_FALSE(resolve_credentials(config).is_bearer());
}

TEST_F(CredentialChainTest, EnvironmentKeysWithSessionToken) {
  AuthConfig config = config_with({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"},
                                   {"AWS_SESSION_TOKEN", "SESSION-SENTINEL-456"}});
  auto resolved = resolve_credentials(config);
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDENV");
  EXPECT_EQ(keys_of(resolved).secret_access_key, "SECRET-SENTINEL-123");
  EXPECT_EQ(keys_of(resolved).session_token, "SESSION-SENTINEL-456");
  expect_contains(resolved.source, "environment (AWS_ACCESS_KEY_ID");
  expect_no_secret(resolved.source);
}

TEST_F(CredentialChainTest, EnvironmentBeatsSharedFiles) {
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n"
      "[dev]\naws_access_key_id = AKIDDEV\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  // Even with AWS_PROFILE set (the SDK guide / botocore order, not the JS quirk).
  AuthConfig config = config_with({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"},
                                   {"AWS_PROFILE", "dev"}});
  auto resolved = resolve_credentials(config);
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDENV");
  EXPECT_EQ(keys_of(resolved).session_token, "");
  EXPECT_EQ(resolved.source, "environment (AWS_ACCESS_KEY_ID)");
}

TEST_F(CredentialChainTest, PartialEnvironmentKeysNameTheMissingVariable) {
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"},
                                     {"AWS_SESSION_TOKEN", "SESSION-SENTINEL-456"}}));
  });
  expect_contains(message, "AWS_ACCESS_KEY_ID");
  message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_ACCESS_KEY_ID", "AKIDENV"}}));
  });
  expect_contains(message, "AWS_SECRET_ACCESS_KEY");
}

// ---- Auto and Profile: shared files -------------------------------------------------------

TEST_F(CredentialChainTest, DefaultProfileFromCredentialsFile) {
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n"
      "aws_session_token = FILE-TOKEN-SENTINEL-654\n");
  auto resolved = resolve_credentials(config_with());
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDFILE");
  EXPECT_EQ(keys_of(resolved).secret_access_key, "FILE-SECRET-SENTINEL-321");
  EXPECT_EQ(keys_of(resolved).session_token, "FILE-TOKEN-SENTINEL-654");
  EXPECT_EQ(resolved.source, "profile 'default' in " + credentials_path());
}

TEST_F(CredentialChainTest, AwsProfileSelects) {
  write_credentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n"
      "[dev]\naws_access_key_id = AKIDDEV\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  auto resolved = resolve_credentials(config_with({{"AWS_PROFILE", "dev"}}));
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDDEV");
  expect_contains(resolved.source, "profile 'dev'");
  EXPECT_EQ(active_profile(config_with({{"AWS_PROFILE", "dev"}})), "dev");
  EXPECT_EQ(active_profile(config_with()), "default");
}

TEST_F(CredentialChainTest, ExplicitProfileNameBeatsAwsProfile) {
  write_credentials(
      "[dev]\naws_access_key_id = AKIDDEV\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n"
      "[prod]\naws_access_key_id = AKIDPROD\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  AuthConfig config = config_with({{"AWS_PROFILE", "dev"}});
  config.profile_name = "prod";
  EXPECT_EQ(keys_of(resolve_credentials(config)).access_key_id, "AKIDPROD");
  config.type = AuthType::Profile;
  EXPECT_EQ(keys_of(resolve_credentials(config)).access_key_id, "AKIDPROD");
  EXPECT_EQ(active_profile(config), "prod");
}

TEST_F(CredentialChainTest, ProfileTypeIgnoresEnvironmentCredentials) {
  write_config(
      "[profile dev]\naws_access_key_id = AKIDCONFIG\n"
      "aws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n");
  AuthConfig config = config_with({{"AWS_BEARER_TOKEN_BEDROCK", "BEARER-SENTINEL-789"},
                                   {"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                   {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}});
  config.type = AuthType::Profile;
  config.profile_name = "dev";
  auto resolved = resolve_credentials(config);
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDCONFIG");
  EXPECT_EQ(resolved.source, "profile 'dev' in " + config_path());
}

TEST_F(CredentialChainTest, ProfileTypeWithoutNameIsAnError) {
  AuthConfig config = config_with();
  config.type = AuthType::Profile;
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "AuthConfig.profile_name");
}

TEST_F(CredentialChainTest, CredentialsFileBeatsConfigFileForKeys) {
  write_config(
      "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDCONFIG\n"
      "aws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n"
      "aws_session_token = SESSION-SENTINEL-456\n");
  write_credentials(
      "[dev]\naws_access_key_id = AKIDCREDS\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  auto resolved = resolve_credentials(config_with({{"AWS_PROFILE", "dev"}}));
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDCREDS");
  EXPECT_EQ(keys_of(resolved).secret_access_key, "FILE-SECRET-SENTINEL-321");
  // Merged key by key: the token only the config file has still applies.
  EXPECT_EQ(keys_of(resolved).session_token, "SESSION-SENTINEL-456");
  EXPECT_EQ(resolved.source, "profile 'dev' in " + credentials_path());
}

TEST_F(CredentialChainTest, KeysSplitAcrossFilesNameBothInSource) {
  write_config("[profile dev]\naws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n");
  write_credentials("[dev]\naws_access_key_id = AKIDCREDS\n");
  auto resolved = resolve_credentials(config_with({{"AWS_PROFILE", "dev"}}));
  EXPECT_EQ(keys_of(resolved).access_key_id, "AKIDCREDS");
  EXPECT_EQ(resolved.source, "profile 'dev' in " + credentials_path() + " and " + config_path());
  expect_no_secret(resolved.source);
}

TEST_F(CredentialChainTest, ProfilePrefixInConfigPlainNameInCredentials) {
  // "[dev]" in the config file is ignored; "[profile dev]" is the profile.
  write_config(
      "[dev]\naws_access_key_id = AKIDIGNORED\n"
      "aws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n"
      "[profile qa]\naws_access_key_id = AKIDQA\n"
      "aws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n");
  write_credentials(
      "[ops]\naws_access_key_id = AKIDOPS\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  EXPECT_EQ(keys_of(resolve_credentials(config_with({{"AWS_PROFILE", "qa"}}))).access_key_id,
            "AKIDQA");
  EXPECT_EQ(keys_of(resolve_credentials(config_with({{"AWS_PROFILE", "ops"}}))).access_key_id,
            "AKIDOPS");
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "dev"}}));
  });
  expect_contains(message, "'dev'");
  // The hint points at the missing "profile " prefix.
  expect_contains(message, "[profile dev]");
}

TEST_F(CredentialChainTest, MissingProfileNamesProfileAndFiles) {
  write_config("[default]\nregion = us-east-1\n");
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "nosuch"}}));
  });
  expect_contains(message, "'nosuch'");
  expect_contains(message, "AWS_PROFILE");
  expect_contains(message, credentials_path());
  expect_contains(message, config_path());

  AuthConfig config = config_with();
  config.type = AuthType::Profile;
  config.profile_name = "other";
  message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "'other'");
  expect_contains(message, credentials_path());
  expect_contains(message, config_path());
}

TEST_F(CredentialChainTest, MissingProfileSaysWhichFilesWereNotFound) {
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "nosuch"}}));
  });
  expect_contains(message, credentials_path() + "' (not found)");
  expect_contains(message, config_path() + "' (not found)");
}

TEST_F(CredentialChainTest, NoCredentialsAnywhereListsWhatWasTried) {
  write_config("[default]\nregion = us-east-1\n");
  auto message = error_of<AuthenticationError>([&] {
    resolve_credentials(config_with({{"AWS_SESSION_TOKEN", "SESSION-SENTINEL-456"}}));
  });
  expect_contains(message, "AWS_BEARER_TOKEN_BEDROCK");
  expect_contains(message, "AWS_ACCESS_KEY_ID");
  expect_contains(message, "profile 'default'");
  expect_contains(message, credentials_path());
  expect_contains(message, config_path());
  expect_contains(message, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set");
  expect_contains(message, "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  expect_contains(message, "disabled by AWS_EC2_METADATA_DISABLED");
  // In the chain's order.
  EXPECT_LT(message.find("AWS_ACCESS_KEY_ID"), message.find("web identity")) << message;
  EXPECT_LT(message.find("web identity"), message.find("profile 'default'")) << message;
  EXPECT_LT(message.find("profile 'default'"), message.find("container")) << message;
  EXPECT_LT(message.find("container"), message.find("IMDS")) << message;

  // No files at all: still an AuthenticationError, not a missing-profile error.
  std::filesystem::remove(config_path());
  message = error_of<AuthenticationError>([&] { resolve_credentials(config_with()); });
  expect_contains(message, "(not found)");
}

TEST_F(CredentialChainTest, ProfileWithoutKeysIsAnAuthenticationError) {
  write_config("[profile dev]\nregion = us-east-1\n");
  AuthConfig config = config_with();
  config.type = AuthType::Profile;
  config.profile_name = "dev";
  auto message = error_of<AuthenticationError>([&] { resolve_credentials(config); });
  expect_contains(message, "profile 'dev'");
  expect_contains(message, "aws_access_key_id");
}

TEST_F(CredentialChainTest, GarbledFileNamesFileProfileAndLine) {
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "[dev]\naws_access_key_id = AKIDDEV\n"
      "aws_secret_access_key FILE-SECRET-SENTINEL-321\n");
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config_with()); });
  expect_contains(message, credentials_path());
  expect_contains(message, "line 5");
  expect_contains(message, "profile 'dev'");
}

TEST_F(CredentialChainTest, OnlyAccessKeyIdNamesFileProfileAndMissingKey) {
  write_credentials(
      "[dev]\naws_access_key_id = AKIDDEV\n"
      "aws_session_token = FILE-TOKEN-SENTINEL-654\n");
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "dev"}}));
  });
  expect_contains(message, credentials_path());
  expect_contains(message, "'dev'");
  expect_contains(message, "aws_secret_access_key");
}

TEST_F(CredentialChainTest, OnlySecretNamesMissingAccessKeyId) {
  write_config("[default]\naws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n");
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config_with()); });
  expect_contains(message, config_path());
  expect_contains(message, "'default'");
  expect_contains(message, "no aws_access_key_id");
}

// Profiles whose provider is configured wrongly fail before any network call, naming the
// profile, the key and the file.
TEST_F(CredentialChainTest, MisconfiguredProfilesNameKeyProfileAndFile) {
  write_config(
      "[profile assume]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = base\n"
      "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = base\n"
      "credential_source = Environment\n"
      "[profile badsource]\nrole_arn = arn:aws:iam::123456789012:role/X\ncredential_source = Moon\n"
      "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/X\nsource_profile = mfa\n"
      "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
      "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
      "[profile nosession]\nsso_session = nosuch\nsso_account_id = 1\nsso_role_name = R\n"
      "[profile legacy_sso]\nsso_start_url = https://example.awsapps.com/start\n"
      "[profile halfsso]\nsso_account_id = 123456789012\n"
      "[profile roleonly]\nrole_arn = arn:aws:iam::123456789012:role/X\n"
      "[profile quote]\ncredential_process = /bin/echo 'SECRET-SENTINEL-123\n"
      "[sso-session corp]\nsso_region = us-east-1\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"assume", "source_profile 'base'"},
      {"both", "both source_profile and credential_source"},
      {"badsource", "credential_source 'Moon'"},
      {"mfa", "mfa_serial"},
      {"sso", "sso_start_url and sso_region"},
      {"nosession", "[sso-session nosuch]"},
      {"legacy_sso", "sso_region"},
      {"halfsso", "sso_account_id"},
      {"roleonly", "role_arn"},
      {"quote", "closing single quotation"}};
  for (const auto& [profile, part] : cases) {
    auto message = error_of<ConfigurationError>([&] {
      resolve_credentials(config_with({{"AWS_PROFILE", profile}}));
    });
    expect_contains(message, "'" + profile + "'");
    expect_contains(message, part);
    expect_contains(message, config_path());
  }
}

TEST_F(CredentialChainTest, RoleChainLoopIsNamed) {
  write_config(
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = c\n"
      "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/C\nsource_profile = a\n"
      "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/S\nsource_profile = self\n");
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "a"}}));
  });
  expect_contains(message, "loops (a -> b -> c -> a)");
  message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_PROFILE", "self"}}));
  });
  expect_contains(message, "loops (self -> self)");
}

TEST_F(CredentialChainTest, StaticKeysBeatCredentialProcess) {
  write_config(
      "[profile mixed]\ncredential_process = /bin/false\n"
      "aws_access_key_id = AKIDMIXED\n"
      "aws_secret_access_key = CONFIG-SECRET-SENTINEL-987\n");
  EXPECT_EQ(keys_of(resolve_credentials(config_with({{"AWS_PROFILE", "mixed"}}))).access_key_id,
            "AKIDMIXED");
}

TEST_F(CredentialChainTest, FileLocationVariablesAndTildeExpansion) {
  std::filesystem::create_directories(home_ / "alt");
  write((home_ / "alt" / "creds").string(),
        "[default]\naws_access_key_id = AKIDALT\n"
        "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n");
  write((home_ / "alt" / "conf").string(), "[default]\nregion = ap-south-1\n");
  AuthConfig config = config_with({{"AWS_SHARED_CREDENTIALS_FILE", "~/alt/creds"},
                                   {"AWS_CONFIG_FILE", (home_ / "alt" / "conf").string()}});
  auto paths = shared_file_paths(config.environment);
  EXPECT_EQ(paths.credentials, (home_ / "alt" / "creds").string());
  EXPECT_EQ(paths.config, (home_ / "alt" / "conf").string());
  EXPECT_EQ(keys_of(resolve_credentials(config)).access_key_id, "AKIDALT");
  EXPECT_EQ(resolve_region(config), "ap-south-1");
}

TEST_F(CredentialChainTest, DefaultFileLocationsComeFromHome) {
  auto paths = shared_file_paths(Environment::from_map({{"HOME", "/home/someone"}}));
  EXPECT_EQ(paths.config, "/home/someone/.aws/config");
  EXPECT_EQ(paths.credentials, "/home/someone/.aws/credentials");
  paths = shared_file_paths(Environment::from_map({}));
  EXPECT_EQ(paths.config, "");
  EXPECT_EQ(paths.credentials, "");
}

TEST_F(CredentialChainTest, TildeWithoutHomeIsAnError) {
  AuthConfig config;
  config.environment = Environment::from_map({{"AWS_CONFIG_FILE", "~/conf"}});
  auto message = error_of<ConfigurationError>([&] { resolve_credentials(config); });
  expect_contains(message, "AWS_CONFIG_FILE");
  expect_contains(message, "HOME");
}

TEST_F(CredentialChainTest, NoHomeAndNoVariablesIsAnAuthenticationError) {
  AuthConfig config;
  config.environment = Environment::from_map({{"AWS_EC2_METADATA_DISABLED", "true"}});
  auto message = error_of<AuthenticationError>([&] { resolve_credentials(config); });
  expect_contains(message, "HOME");
}

TEST_F(CredentialChainTest, SharedFileThatIsADirectoryIsAnError) {
  std::filesystem::create_directories(home_ / "dir");
  auto message = error_of<ConfigurationError>([&] {
    resolve_credentials(config_with({{"AWS_SHARED_CREDENTIALS_FILE", (home_ / "dir").string()}}));
  });
  expect_contains(message, (home_ / "dir").string());
}

// ---- region --------------------------------------------------------------------------------

TEST_F(CredentialChainTest, RegionPrecedence) {
  write_config("[default]\nregion = us-west-2\n[profile dev]\nregion = eu-west-1\n");
  write_credentials("[dev]\nregion = ap-northeast-1\n[ops]\nregion = sa-east-1\n");
  EXPECT_EQ(resolve_region(
                config_with({{"AWS_REGION", "us-east-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}})),
            "us-east-1");
  EXPECT_EQ(resolve_region(config_with({{"AWS_DEFAULT_REGION", "us-east-2"}})), "us-east-2");
  EXPECT_EQ(resolve_region(config_with({{"AWS_REGION", ""}})), "us-west-2");
  // The config file wins for region; the credentials file is a fallback.
  EXPECT_EQ(resolve_region(config_with({{"AWS_PROFILE", "dev"}})), "eu-west-1");
  EXPECT_EQ(resolve_region(config_with({{"AWS_PROFILE", "ops"}})), "sa-east-1");
  AuthConfig config = config_with({{"AWS_PROFILE", "ops"}});
  config.profile_name = "dev";
  EXPECT_EQ(resolve_region(config), "eu-west-1");
}

TEST_F(CredentialChainTest, RegionAbsent) {
  EXPECT_EQ(resolve_region(config_with()), std::nullopt);
  write_config("[default]\nregion = us-west-2\n");
  EXPECT_EQ(resolve_region(config_with({{"AWS_PROFILE", "nosuch"}})), std::nullopt);
}

TEST_F(CredentialChainTest, DefaultRegionFollowsTheSameOrder) {
  write_config("[default]\nregion = us-west-2\n[profile dev]\nregion = eu-west-1\n");
  EXPECT_EQ(default_region(
                config_with({{"AWS_REGION", "us-east-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}})),
            "us-east-1");
  EXPECT_EQ(default_region(config_with({{"AWS_DEFAULT_REGION", "us-east-2"}})), "us-east-2");
  EXPECT_EQ(default_region(config_with()), "us-west-2");
  EXPECT_EQ(default_region(config_with({{"AWS_PROFILE", "dev"}})), "eu-west-1");
}

TEST_F(CredentialChainTest, DefaultRegionAbsentSaysWhereItLooked) {
  write_config("[profile dev]\noutput = json\n");
  auto message = error_of<ConfigurationError>([&] {
    (void)default_region(config_with({{"AWS_PROFILE", "dev"}}));
  });
  expect_contains(message, "AWS_REGION");
  expect_contains(message, "AWS_DEFAULT_REGION");
  expect_contains(message, "'dev'");
  expect_contains(message, "AWS_PROFILE");
  expect_contains(message, config_path());
  expect_contains(message, "--region");
}

// ---- secrets never leak --------------------------------------------------------------------

// Every error path above, once more in one place, each with secrets planted where a careless
// message could pick them up.
TEST_F(CredentialChainTest, NoSecretInAnyErrorOrSource) {
  auto env_with_secrets = [&](Variables extra) {
    extra.try_emplace("AWS_SESSION_TOKEN", "SESSION-SENTINEL-456");
    return config_with(std::move(extra));
  };
  std::vector<std::function<void()>> failing = {
      [&] {
        AuthConfig c = env_with_secrets({});
        c.type = AuthType::Credentials;
        c.access_key_id = "AKID";
        c.session_token = "SESSION-SENTINEL-456";
        resolve_credentials(c);
      },
      [&] {
        AuthConfig c = env_with_secrets({});
        c.type = AuthType::Credentials;
        c.secret_access_key = "SECRET-SENTINEL-123";
        resolve_credentials(c);
      },
      [&] {
        AuthConfig c = env_with_secrets({{"AWS_BEARER_TOKEN_BEDROCK", "BEARER-SENTINEL-789"}});
        c.type = AuthType::BearerToken;
        resolve_credentials(c);
      },
      [&] {
        resolve_credentials(env_with_secrets({{"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}}));
      },
      [&] {
        resolve_credentials(env_with_secrets({{"AWS_PROFILE", "nosuch"}}));
      },
      [&] { resolve_credentials(env_with_secrets({})); },
  };
  for (const auto& action : failing) {
    try {
      action();
      ADD_FAILURE() << "expected an exception";
    } catch (const std::exception& error) {
      expect_no_secret(error.what());
    }
  }

  // File-based failures: each file content is written, then resolution must fail cleanly.
  const std::vector<std::pair<std::string, std::string>> bad_files = {
      {"credentials", "[dev]\naws_secret_access_key = FILE-SECRET-SENTINEL-321\n"},
      {"credentials",
       "[dev]\naws_access_key_id = A\naws_session_token = FILE-TOKEN-SENTINEL-654\n"},
      {"credentials", "[dev]\nFILE-SECRET-SENTINEL-321\n"},
      {"credentials", "[dev]\n  FILE-SECRET-SENTINEL-321\n"},
      {"credentials", "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n[dev]\n"},
      {"credentials", "[dev\naws_secret_access_key = FILE-SECRET-SENTINEL-321\n"},
      {"credentials", "[dev]\n= FILE-SECRET-SENTINEL-321\n"},
      {"config", "[profile dev]\ncredential_process = echo CONFIG-SECRET-SENTINEL-987\n"},
      {"config", "[profile dev]\nx =\n  CONFIG-SECRET-SENTINEL-987\n"},
      {"config",
       "[profile dev]\nregion = us-east-1\n"
       "aws_session_token = FILE-TOKEN-SENTINEL-654\n"},
  };
  for (const auto& [which, text] : bad_files) {
    std::filesystem::remove(config_path());
    std::filesystem::remove(credentials_path());
    write(which == "config" ? config_path() : credentials_path(), text);
    for (auto type : {AuthType::Auto, AuthType::Profile}) {
      AuthConfig c = env_with_secrets({{"AWS_PROFILE", "dev"}});
      c.type = type;
      c.profile_name = type == AuthType::Profile ? "dev" : "";
      try {
        resolve_credentials(c);
        ADD_FAILURE() << "expected an exception for: " << text;
      } catch (const std::exception& error) {
        expect_no_secret(error.what());
      }
    }
  }

  // Successful sources.
  std::filesystem::remove(config_path());
  write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\n"
      "aws_secret_access_key = FILE-SECRET-SENTINEL-321\n"
      "aws_session_token = FILE-TOKEN-SENTINEL-654\n");
  expect_no_secret(resolve_credentials(config_with()).source);
  expect_no_secret(
      resolve_credentials(env_with_secrets({{"AWS_ACCESS_KEY_ID", "AKID"},
                                            {"AWS_SECRET_ACCESS_KEY", "SECRET-SENTINEL-123"}}))
          .source);
  expect_no_secret(
      resolve_credentials(env_with_secrets({{"AWS_BEARER_TOKEN_BEDROCK", "BEARER-SENTINEL-789"}}))
          .source);
}

}  // namespace
}  // namespace llmm::auth
