// Every credential provider end to end against the real emulator (its STS, SSO, IMDS and
// container endpoints on one port), then a Bedrock call signed with what it found; the chain's
// order as a table; the bad-input cases (expiry and refresh: credential_refresh_test.cpp). Real
// processes and sockets, no mocks. Files live in a per-test HOME.
#include "auth/credential_chain.hpp"
#include "auth/crypto.hpp"
#include "auth/sigv4_signer.hpp"

#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>

#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace llmm {
namespace {

using Variables = std::map<std::string, std::string, std::less<>>;
constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kEmulatorKey = "AKIDEXAMPLE";
constexpr const char* kEmulatorSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::vector<std::string> kSentinels = {kEmulatorSecret, "WEB-TOKEN-SENTINEL",
                                             "SSO-TOKEN-SENTINEL", "CONTAINER-TOKEN-SENTINEL"};

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

void expect_no_secret(const std::string& text) {
  for (const auto& sentinel : kSentinels) {
    EXPECT_EQ(text.find(sentinel), std::string::npos) << "secret leaked: " << text;
  }
}

class CredentialChainEmulatorTest : public ::testing::Test {
 protected:
  test::EmulatorProcess emulator{BEDROCK_EMULATOR_PATH};
  test::ScopedTempDir home;

  CredentialChainEmulatorTest() { std::filesystem::create_directories(home.path() / ".aws"); }

  void write_config(const std::string& text) const { home.write_file(".aws/config", text); }
  void write_credentials(const std::string& text) const {
    home.write_file(".aws/credentials", text);
  }
  std::string write(const std::string& name, const std::string& text,
                    bool executable = false) const {
    const auto path = home.write_file(name, text);
    if (executable) ::chmod(path.c_str(), 0755);
    return path.string();
  }
  void admin_credentials(const std::string& json) const {
    const auto reply = emulator.request("PUT", "/_emulator/credentials", json,
                                        {{"Content-Type", "application/json"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  // HOME here, STS and SSO on the emulator, IMDS off unless a test turns it on.
  AuthConfig config_with(Variables extra = {}) const {
    Variables variables = {{"HOME", home.path().string()},
                           {"AWS_ENDPOINT_URL_STS", emulator.base_url()},
                           {"AWS_ENDPOINT_URL_SSO", emulator.base_url()},
                           {"AWS_REGION", "us-east-1"},
                           {"AWS_EC2_METADATA_DISABLED", "true"}};
    for (auto& [name, value] : extra) variables[name] = value;
    std::erase_if(variables, [](const auto& entry) { return entry.second == "<unset>"; });
    AuthConfig config;
    config.runtime_endpoint = emulator.base_url();
    config.control_endpoint = emulator.base_url();
    config.environment = Environment::from_map(std::move(variables));
    return config;
  }

  // What the chain found, after checking Bedrock (the emulator) accepts it.
  auth::ResolvedCredentials resolve_and_call(const AuthConfig& config) const {
    auto resolved = auth::resolve_credentials(config);
    expect_no_secret(resolved.source);
    AuthManager manager(config);
    const BedrockResponse response = manager.runtime_client("us-east-1")
                                         ->converse(kModel, ConverseRequest::from_prompt("hello"));
    EXPECT_TRUE(response.ok()) << (response.error ? response.error->describe() : "") << " with "
                               << resolved.source;
    return resolved;
  }

  template <typename E>
  std::string error_of(const AuthConfig& config) const {
    try {
      (void)auth::resolve_credentials(config);
    } catch (const E& error) {
      expect_no_secret(error.what());
      return error.what();
    } catch (const std::exception& other) {
      ADD_FAILURE() << "wrong exception type: " << other.what();
      return other.what();
    }
    ADD_FAILURE() << "no exception";
    return {};
  }

  std::string static_profile(const std::string& name) const {
    return "[" + name + "]\naws_access_key_id = " + kEmulatorKey +
           "\naws_secret_access_key = " + kEmulatorSecret + "\n";
  }
};

// ---- each provider ----------------------------------------------------------------------------

TEST_F(CredentialChainEmulatorTest, WebIdentityFromTheEnvironment) {
  const std::string token = write("token", "WEB-TOKEN-SENTINEL.payload.signature\n");
  const auto resolved =
      resolve_and_call(config_with({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Irsa"},
                                    {"AWS_WEB_IDENTITY_TOKEN_FILE", token},
                                    {"AWS_ROLE_SESSION_NAME", "pod-1"}}));
  EXPECT_EQ(resolved.provider, "web-identity");
  ASSERT_TRUE(resolved.expiration.has_value());
  EXPECT_GT(*resolved.expiration, std::chrono::system_clock::now());
  expect_contains(resolved.source, "arn:aws:iam::123456789012:role/Irsa");
  EXPECT_EQ(std::get<auth::AwsCredentials>(resolved.value).access_key_id.substr(0, 4), "ASIA");
}

TEST_F(CredentialChainEmulatorTest, WebIdentityFromAProfile) {
  const std::string token = write("token", "WEB-TOKEN-SENTINEL.payload.signature");
  write_config(
      "[profile irsa]\nrole_arn = "
      "arn:aws:iam::123456789012:role/FromProfile\nweb_identity_token_file = " +
      token + "\n");
  for (auto type : {AuthType::Auto, AuthType::Profile}) {
    AuthConfig config = config_with({{"AWS_PROFILE", "irsa"}});
    config.type = type;
    config.profile_name = "irsa";
    const auto resolved = resolve_and_call(config);
    EXPECT_EQ(resolved.provider, "web-identity");
    EXPECT_EQ(resolved.profile, "irsa");
  }
}

TEST_F(CredentialChainEmulatorTest, AssumeRoleWithSourceProfileAndChains) {
  write_credentials(static_profile("base"));
  write_config(
      "[profile one]\nrole_arn = arn:aws:iam::123456789012:role/One\nsource_profile = base\n"
      "role_session_name = s1\n"
      "[profile two]\nrole_arn = arn:aws:iam::210987654321:role/Two\nsource_profile = one\n"
      "[profile envsource]\nrole_arn = arn:aws:iam::123456789012:role/E\ncredential_source = "
      "Environment\n");
  auto resolved = resolve_and_call(config_with({{"AWS_PROFILE", "one"}}));
  EXPECT_EQ(resolved.provider, "assume-role");
  EXPECT_EQ(resolved.profile, "one");
  expect_contains(resolved.source, "role/One");
  expect_contains(resolved.source, "profile 'base'");

  resolved = resolve_and_call(config_with({{"AWS_PROFILE", "two"}}));
  expect_contains(resolved.source, "role/Two");
  expect_contains(resolved.source, "role/One");  // the source's own source

  // credential_source = Environment takes the keys from the environment even though they would
  // have won the chain on their own in Auto: the profile is asked for explicitly.
  AuthConfig config = config_with(
      {{"AWS_ACCESS_KEY_ID", kEmulatorKey}, {"AWS_SECRET_ACCESS_KEY", kEmulatorSecret}});
  config.type = AuthType::Profile;
  config.profile_name = "envsource";
  resolved = resolve_and_call(config);
  EXPECT_EQ(resolved.provider, "assume-role");
  expect_contains(resolved.source, "environment (AWS_ACCESS_KEY_ID)");
}

TEST_F(CredentialChainEmulatorTest, CredentialProcessFromAProfile) {
  const std::string helper =
      write("helper.sh",
            "#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"%s\"}' "
            "\"$1\" \"$2\"\n",
            true);
  write_config("[profile proc]\ncredential_process = " + helper + " " + kEmulatorKey + " '" +
               kEmulatorSecret + "'\n");
  const auto resolved = resolve_and_call(config_with({{"AWS_PROFILE", "proc"}}));
  EXPECT_EQ(resolved.provider, "process");
  EXPECT_EQ(resolved.expiration, std::nullopt);
}

TEST_F(CredentialChainEmulatorTest, SsoBothForms) {
  const std::string future = "2999-01-01T00:00:00Z";
  write_config(
      "[profile new]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Reader\n"
      "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
      "[profile old]\nsso_start_url = https://old.awsapps.com/start\nsso_region = us-east-1\n"
      "sso_account_id = 123456789012\nsso_role_name = Reader\n");
  write(".aws/sso/cache/" + auth::sha1_hex("corp") + ".json",
        R"({"accessToken": "SSO-TOKEN-SENTINEL-1", "expiresAt": ")" + future + R"("})");
  write(".aws/sso/cache/" + auth::sha1_hex("https://old.awsapps.com/start") + ".json",
        R"({"accessToken": "SSO-TOKEN-SENTINEL-2", "expiresAt": ")" + future + R"("})");
  admin_credentials(R"({"ssoAccessTokens": ["SSO-TOKEN-SENTINEL-1", "SSO-TOKEN-SENTINEL-2"]})");
  for (const char* profile : {"new", "old"}) {
    const auto resolved = resolve_and_call(config_with({{"AWS_PROFILE", profile}}));
    EXPECT_EQ(resolved.provider, "sso");
    EXPECT_EQ(resolved.profile, profile);
    EXPECT_TRUE(resolved.expiration.has_value());
  }
  // A token the portal no longer accepts: refused, with the way out.
  admin_credentials(R"({"ssoAccessTokens": ["another"]})");
  const auto message = error_of<AuthenticationError>(config_with({{"AWS_PROFILE", "new"}}));
  expect_contains(message, "HTTP 401");
  expect_contains(message, "aws sso login --sso-session corp");
  expect_contains(message, "127.0.0.1:" + std::to_string(emulator.port()));
}

TEST_F(CredentialChainEmulatorTest, ContainerFullUriWithTokenAndTokenFile) {
  admin_credentials(R"({"containerAuthorizationToken": "CONTAINER-TOKEN-SENTINEL"})");
  const std::string uri = emulator.base_url() + "/v2/credentials/task-1";
  auto resolved = resolve_and_call(
      config_with({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "CONTAINER-TOKEN-SENTINEL"}}));
  EXPECT_EQ(resolved.provider, "container");
  // The token file wins over the variable (EKS Pod Identity's form).
  const std::string file = write("eks-token", "CONTAINER-TOKEN-SENTINEL\n");
  resolved = resolve_and_call(
      config_with({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", emulator.base_url() + "/v1/credentials"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file}}));
  EXPECT_EQ(resolved.provider, "container");

  const auto message =
      error_of<AuthenticationError>(config_with({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri},
                                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"}}));
  expect_contains(message, "HTTP 401");
  expect_contains(message, "127.0.0.1:" + std::to_string(emulator.port()));
}

TEST_F(CredentialChainEmulatorTest, InstanceMetadataV2) {
  const auto resolved =
      resolve_and_call(config_with({{"AWS_EC2_METADATA_DISABLED", "<unset>"},
                                    {"AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator.base_url()}}));
  EXPECT_EQ(resolved.provider, "imds");
  expect_contains(resolved.source, "emulator-instance-role");
  // The emulator requires the token: the provider sent one (the log shows the PUT first).
  const std::string log = emulator.admin_requests();
  expect_contains(log, "imds:token");
}

// ---- the chain's order ---------------------------------------------------------------------

TEST_F(CredentialChainEmulatorTest, ChainOrderTable) {
  const std::string token = write("token", "WEB-TOKEN-SENTINEL.p.s");
  write_credentials(static_profile("default") + static_profile("base"));
  write_config(
      "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = base\n");
  const Variables env_keys = {{"AWS_ACCESS_KEY_ID", kEmulatorKey},
                              {"AWS_SECRET_ACCESS_KEY", kEmulatorSecret}};
  const Variables web = {{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/W"},
                         {"AWS_WEB_IDENTITY_TOKEN_FILE", token}};
  const Variables container = {
      {"AWS_CONTAINER_CREDENTIALS_FULL_URI", emulator.base_url() + "/v2/credentials/x"}};
  const Variables imds = {{"AWS_EC2_METADATA_DISABLED", "<unset>"},
                          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator.base_url()}};
  const auto merge = [](std::vector<Variables> parts) {
    Variables out;
    for (auto& part : parts) out.insert(part.begin(), part.end());
    return out;
  };
  struct Row {
    const char* what;
    Variables variables;
    bool with_default_profile;
    const char* provider;
  };
  const std::vector<Row> rows = {
      {"env keys beat everything",
       merge({env_keys, web, container, imds, {{"AWS_PROFILE", "role"}}}), true, "environment"},
      {"a profile's assume role beats env web identity",
       merge({web, container, imds, {{"AWS_PROFILE", "role"}}}), true, "assume-role"},
      {"env web identity beats the profile's static keys", merge({web, container, imds}), true,
       "web-identity"},
      {"static keys beat the container", merge({container, imds}), true, "shared-file"},
      {"the container beats IMDS", merge({container, imds}), false, "container"},
      {"IMDS last", imds, false, "imds"},
  };
  for (const Row& row : rows) {
    if (row.with_default_profile) {
      write_credentials(static_profile("default") + static_profile("base"));
    } else {
      write_credentials(static_profile("base"));
    }
    const auto resolved = resolve_and_call(config_with(row.variables));
    EXPECT_EQ(resolved.provider, row.provider) << row.what << ": " << resolved.source;
  }
}

// ---- bad input -------------------------------------------------------------------------------

TEST_F(CredentialChainEmulatorTest, ImdsFailuresAreListedWithHostAndCause) {
  const Variables imds = {{"AWS_EC2_METADATA_DISABLED", "<unset>"},
                          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", emulator.base_url()},
                          {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/c"}};
  const std::string host = "127.0.0.1:" + std::to_string(emulator.port());
  const std::vector<std::pair<std::string, std::string>> faults = {
      {"404", "HTTP 404"}, {"500", "HTTP 500"}, {"stall", "Timeout"}};
  for (const auto& [fault, cause] : faults) {
    admin_credentials(R"({"faults": {"imds": ")" + fault + R"("}})");
    const auto message = error_of<AuthenticationError>(config_with(imds));
    expect_contains(message, "instance metadata (IMDS) at host '" + host + "'");
    expect_contains(message, cause);
  }
  // The role name is read from IMDS, not assumed: a renamed role still works once faults end.
  admin_credentials(R"({"faults": {}, "imdsRoleName": "other-role"})");
  EXPECT_EQ(auth::resolve_credentials(config_with(imds)).provider, "imds");
}

TEST_F(CredentialChainEmulatorTest, StsErrorsNameOperationRoleHostAndCode) {
  write_credentials(static_profile("base"));
  write_config(
      "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/DeniedRole\nsource_profile = "
      "base\n"
      "[profile badarn]\nrole_arn = not-an-arn\nsource_profile = base\n");
  auto message = error_of<AuthenticationError>(config_with({{"AWS_PROFILE", "denied"}}));
  expect_contains(message, "AssumeRole for role 'arn:aws:iam::123456789012:role/DeniedRole'");
  expect_contains(message, "STS host '127.0.0.1:" + std::to_string(emulator.port()) + "'");
  expect_contains(message, "HTTP 403 AccessDenied");
  message = error_of<AuthenticationError>(config_with({{"AWS_PROFILE", "badarn"}}));
  expect_contains(message, "ValidationError");

  // A web identity token that is not a JWT.
  const std::string token = write("token", "WEB-TOKEN-SENTINEL");
  message = error_of<AuthenticationError>(
      config_with({{"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/W"},
                   {"AWS_WEB_IDENTITY_TOKEN_FILE", token}}));
  expect_contains(message, "AssumeRoleWithWebIdentity");
  expect_contains(message, "InvalidIdentityToken");

  // STS that never answers: bounded, named.
  admin_credentials(R"({"faults": {"sts": "500"}})");
  message = error_of<AuthenticationError>(config_with({{"AWS_PROFILE", "denied"}}));
  expect_contains(message, "HTTP 500");
}

TEST_F(CredentialChainEmulatorTest, ContainerEndpointFailures) {
  const std::string uri = emulator.base_url() + "/v2/credentials/x";
  admin_credentials(R"({"faults": {"container": "500"}})");
  auto message =
      error_of<AuthenticationError>(config_with({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}));
  expect_contains(message, "container credentials from host '127.0.0.1:" +
                               std::to_string(emulator.port()) + "'");
  expect_contains(message, "HTTP 500");
  admin_credentials(R"({"faults": {"container": "stall"}})");
  message =
      error_of<AuthenticationError>(config_with({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}));
  expect_contains(message, "Timeout");
}

// STS GetCallerIdentity signed with issued credentials names the assumed role; the XML has
// the service's shape.
TEST_F(CredentialChainEmulatorTest, GetCallerIdentityNamesTheAssumedRole) {
  write_credentials(static_profile("base"));
  write_config(
      "[profile one]\nrole_arn = arn:aws:iam::123456789012:role/One\nsource_profile = base\n"
      "role_session_name = me\n");
  const auto resolved = auth::resolve_credentials(config_with({{"AWS_PROFILE", "one"}}));
  const auto& keys = std::get<auth::AwsCredentials>(resolved.value);
  const std::string body = "Action=GetCallerIdentity&Version=2011-06-15";
  const std::string host = "127.0.0.1:" + std::to_string(emulator.port());
  auth::SigningInput input{"POST",
                           "/",
                           {},
                           {{"host", host}, {"content-type", "application/x-www-form-urlencoded"}},
                           body};
  const auto signed_request = auth::sign_request(
      input, keys, auth::SigningScope{"us-east-1", "sts"}, std::chrono::system_clock::now());
  std::vector<std::pair<std::string, std::string>> headers = {
      {"content-type", "application/x-www-form-urlencoded"}};
  for (const auto& header : signed_request.headers_to_add) headers.push_back(header);
  const auto reply = emulator.request("POST", "/", body, headers);
  ASSERT_EQ(reply.status, 200) << reply.body;
  expect_contains(
      reply.body,
      "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">");
  expect_contains(reply.body, "<Arn>arn:aws:sts::123456789012:assumed-role/One/me</Arn>");
  expect_contains(reply.body, "<Account>123456789012</Account>");
  expect_contains(reply.body, "<ResponseMetadata>");
}

}  // namespace
}  // namespace llmm
