// The settings real deployments set around the endpoint, each with the AWS SDKs' names and
// precedence: FIPS and dual-stack host names, the profile's endpoint_url and [services] section,
// ignore_configured_endpoint_urls from the profile, the user agent's app id, the Lambda trace
// header, the CA bundle and the proxies.
#include "auth/endpoint_resolver.hpp"
#include "auth/profile_settings.hpp"
#include "auth/sdk_headers.hpp"
#include "config/proxy_settings.hpp"

#include "support/scoped_temp_dir.hpp"

#include <llmm/exceptions.hpp>

#include <llmm/version.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace llmm::auth {
namespace {

using Variables = std::map<std::string, std::string, std::less<>>;

class NetworkSettingsTest : public ::testing::Test {
 protected:
  // An AuthConfig whose only shared file is a config file holding `text`.
  AuthConfig with_config_file(const std::string& text, Variables variables = {}) {
    variables["AWS_CONFIG_FILE"] = dir_.write_file("config", text).string();
    variables["AWS_SHARED_CREDENTIALS_FILE"] = (dir_.path() / "absent").string();
    AuthConfig config;
    config.environment = Environment::from_map(std::move(variables));
    return config;
  }
  static AuthConfig with(Variables variables) {
    AuthConfig config;
    config.environment = Environment::from_map(std::move(variables));
    return config;
  }

  test::ScopedTempDir dir_;
};

TEST_F(NetworkSettingsTest, FipsAndDualStackGiveTheServicesRealHostNames) {
  EXPECT_EQ(resolve_runtime_endpoint(with({{"AWS_USE_FIPS_ENDPOINT", "true"}}), "us-east-1").host,
            "bedrock-runtime-fips.us-east-1.amazonaws.com");
  EXPECT_EQ(
      resolve_control_endpoint(with({{"AWS_USE_FIPS_ENDPOINT", "true"}}), "us-gov-west-1").host,
      "bedrock-fips.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(
      resolve_runtime_endpoint(with({{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}), "eu-west-1").host,
      "bedrock-runtime.eu-west-1.api.aws");
  EXPECT_EQ(resolve_runtime_endpoint(
                with({{"AWS_USE_FIPS_ENDPOINT", "TRUE"}, {"AWS_USE_DUALSTACK_ENDPOINT", "true"}}),
                "us-west-2")
                .host,
            "bedrock-runtime-fips.us-west-2.api.aws");
  EXPECT_EQ(
      resolve_runtime_endpoint(with({{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}), "cn-north-1").host,
      "bedrock-runtime.cn-north-1.api.amazonwebservices.com.cn");
  EXPECT_EQ(resolve_runtime_endpoint(with({{"AWS_USE_FIPS_ENDPOINT", "false"}}), "us-east-1").host,
            "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_THROW(resolve_runtime_endpoint(with({{"AWS_USE_FIPS_ENDPOINT", "sure"}}), "us-east-1"),
               ConfigurationError);
  EXPECT_THROW(
      resolve_runtime_endpoint(with({{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}), "us-iso-east-1"),
      ConfigurationError);
}

TEST_F(NetworkSettingsTest, TheProfileSetsFipsAndTheVariableWins) {
  const AuthConfig fips = with_config_file("[default]\nuse_fips_endpoint = true\n");
  EXPECT_EQ(resolve_runtime_endpoint(fips, "us-east-1").host,
            "bedrock-runtime-fips.us-east-1.amazonaws.com");
  const AuthConfig overridden = with_config_file("[default]\nuse_fips_endpoint = true\n",
                                                 {{"AWS_USE_FIPS_ENDPOINT", "false"}});
  EXPECT_EQ(resolve_runtime_endpoint(overridden, "us-east-1").host,
            "bedrock-runtime.us-east-1.amazonaws.com");
}

TEST_F(NetworkSettingsTest, FipsWithACustomEndpointIsAConfigurationError) {
  AuthConfig config = with({{"AWS_USE_FIPS_ENDPOINT", "true"}});
  config.runtime_endpoint = "https://127.0.0.1:8443";
  try {
    resolve_runtime_endpoint(config, "us-east-1");
    FAIL() << "accepted FIPS with a custom endpoint";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("use_fips_endpoint"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("AuthConfig.runtime_endpoint"), std::string::npos)
        << error.what();
  }
}

TEST_F(NetworkSettingsTest, TheProfilesEndpointsComeAfterTheVariablesServicesFirst) {
  const std::string file =
      "[profile dev]\nendpoint_url = https://everything.corp\nservices = dev-endpoints\n"
      "[services dev-endpoints]\nbedrock_runtime =\n  endpoint_url = https://runtime.corp:8443\n";
  const AuthConfig dev = with_config_file(file, {{"AWS_PROFILE", "dev"}});
  EXPECT_EQ(resolve_runtime_endpoint(dev, "us-east-1").host_header(), "runtime.corp:8443");
  EXPECT_EQ(resolve_control_endpoint(dev, "us-east-1").host, "everything.corp");
  const AuthConfig variable_wins = with_config_file(
      file, {{"AWS_PROFILE", "dev"}, {"AWS_ENDPOINT_URL", "https://variable.corp"}});
  EXPECT_EQ(resolve_runtime_endpoint(variable_wins, "us-east-1").host, "variable.corp");
  // ignore_configured_endpoint_urls in the profile turns every configured URL off.
  const AuthConfig ignored = with_config_file(
      "[default]\nendpoint_url = https://everything.corp\nignore_configured_endpoint_urls = true\n",
      {{"AWS_ENDPOINT_URL", "https://variable.corp"}});
  EXPECT_EQ(resolve_runtime_endpoint(ignored, "us-east-1").host,
            "bedrock-runtime.us-east-1.amazonaws.com");
}

TEST_F(NetworkSettingsTest, AServicesKeyNamingNoSectionIsAnErrorNamingIt) {
  const AuthConfig config = with_config_file("[default]\nservices = nowhere\n");
  try {
    resolve_runtime_endpoint(config, "us-east-1");
    FAIL() << "accepted a missing services section";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("[services nowhere]"), std::string::npos)
        << error.what();
  }
}

TEST_F(NetworkSettingsTest, TheCaBundleComesFromTheVariableThenTheProfile) {
  EXPECT_EQ(resolve_ca_bundle(with_config_file("[default]\nca_bundle = /etc/profile-ca.pem\n")),
            "/etc/profile-ca.pem");
  EXPECT_EQ(resolve_ca_bundle(with_config_file("[default]\nca_bundle = /etc/profile-ca.pem\n",
                                               {{"AWS_CA_BUNDLE", "/etc/variable-ca.pem"}})),
            "/etc/variable-ca.pem");
  EXPECT_EQ(resolve_ca_bundle(with({})), std::nullopt);
}

TEST_F(NetworkSettingsTest, TheAppIdJoinsTheUserAgent) {
  EXPECT_EQ(SdkHeaders(with({})).user_agent(), "llmm/" LLMM_VERSION_STRING);
  EXPECT_EQ(SdkHeaders(with({{"AWS_SDK_UA_APP_ID", "batch-summarizer"}})).user_agent(),
            "llmm/" LLMM_VERSION_STRING " app/batch-summarizer");
  EXPECT_EQ(SdkHeaders(with_config_file("[default]\nsdk_ua_app_id = from-profile\n")).user_agent(),
            "llmm/" LLMM_VERSION_STRING " app/from-profile");
  EXPECT_THROW(SdkHeaders(with({{"AWS_SDK_UA_APP_ID", std::string(51, 'a')}})), ConfigurationError);
  EXPECT_THROW(SdkHeaders(with({{"AWS_SDK_UA_APP_ID", "two words"}})), ConfigurationError);
}

TEST_F(NetworkSettingsTest, TheTraceHeaderIsSentInLambdaOnly) {
  EXPECT_EQ(SdkHeaders(with({{"_X_AMZN_TRACE_ID", "Root=1-abc"}})).trace_id(), std::nullopt);
  EXPECT_EQ(SdkHeaders(with({{"_X_AMZN_TRACE_ID", "Root=1-5759e988;Parent=53995c3f;Sampled=1"},
                             {"AWS_LAMBDA_FUNCTION_NAME", "summarize"}}))
                .trace_id(),
            "Root=1-5759e988;Parent=53995c3f;Sampled=1");
  // What is outside botocore's safe set is percent-encoded, so no header can be split.
  EXPECT_EQ(
      SdkHeaders(with({{"_X_AMZN_TRACE_ID", "Root=a b\r\nx"}, {"AWS_LAMBDA_FUNCTION_NAME", "f"}}))
          .trace_id(),
      "Root=a%20b%0D%0Ax");
}

TEST_F(NetworkSettingsTest, ProxiesComeFromTheApiElseTheVariablesPerScheme) {
  TransportOptions options;
  config::apply_proxy_settings(options,
                               ClientConfig({.proxy = "http://api:3128", .no_proxy = "a.corp"}),
                               Environment::from_map({{"HTTPS_PROXY", "http://env:3128"}}));
  EXPECT_EQ(options.https_proxy, "http://api:3128");
  EXPECT_EQ(options.http_proxy, "http://api:3128");
  EXPECT_EQ(options.no_proxy, "a.corp");

  options = {};
  config::apply_proxy_settings(options, ClientConfig(),
                               Environment::from_map({{"https_proxy", "http://lower:1"},
                                                      {"HTTP_PROXY", "http://plain:2"},
                                                      {"no_proxy", "127.0.0.1"}}));
  EXPECT_EQ(options.https_proxy, "http://lower:1");
  EXPECT_EQ(options.http_proxy, "http://plain:2");
  EXPECT_EQ(options.no_proxy, "127.0.0.1");

  options = {};
  EXPECT_THROW(
      config::apply_proxy_settings(options, ClientConfig(),
                                   Environment::from_map({{"HTTPS_PROXY", "proxy.corp:3128"}})),
      ConfigurationError);
}

TEST_F(NetworkSettingsTest, ABadProxyUrlNeverEchoesItsPassword) {
  TransportOptions options;
  try {
    config::apply_proxy_settings(
        options, ClientConfig(),
        Environment::from_map({{"HTTPS_PROXY", "ftp://user:hunter2-secret@proxy:21"}}));
    FAIL() << "accepted an ftp proxy";
  } catch (const ConfigurationError& error) {
    EXPECT_EQ(std::string(error.what()).find("hunter2-secret"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("HTTPS_PROXY"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace llmm::auth
