#include <llmm/client_config.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/parallel_llm_manager.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace llmm {
namespace {

using namespace std::chrono_literals;

// Asserts that `body` throws E whose message contains every one of `needles`.
template <typename E, typename F>
void expect_throw_mentioning(F&& body, std::initializer_list<std::string> needles) {
  try {
    body();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& error) {
    for (const auto& needle : needles) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos)
          << "message \"" << error.what() << "\" does not mention \"" << needle << "\"";
    }
  }
}

TEST(ClientConfigTest, DefaultsMatchTheSeed) {
  const ClientConfig config;
  EXPECT_EQ(config.read_timeout(), 600s);
  EXPECT_EQ(config.connect_timeout(), 60s);
  EXPECT_EQ(config.max_pool_connections(), 10);
  EXPECT_EQ(config.retries_max_attempts(), 3);
  EXPECT_EQ(ClientConfig(ClientConfig::Options{}), config);
}

TEST(ClientConfigTest, SubSecondDurationsWork) {
  const ClientConfig config({.read_timeout = 300ms, .connect_timeout = 1ms});
  EXPECT_EQ(config.read_timeout(), 300ms);
  EXPECT_EQ(config.to_transport_options().connect_timeout, 1ms);
}

TEST(ClientConfigTest, ZeroRetriesIsValid) {
  EXPECT_EQ(ClientConfig({.retries_max_attempts = 0}).retries_max_attempts(), 0);
}

TEST(ClientConfigTest, OutOfRangeValuesNameFieldAndValue) {
  expect_throw_mentioning<std::invalid_argument>([] { ClientConfig({.read_timeout = 0ms}); },
                                                 {"read_timeout", "0ms"});
  expect_throw_mentioning<std::invalid_argument>([] { ClientConfig({.connect_timeout = -5s}); },
                                                 {"connect_timeout", "-5000ms"});
  expect_throw_mentioning<std::invalid_argument>([] { ClientConfig({.max_pool_connections = 0}); },
                                                 {"max_pool_connections", "0"});
  expect_throw_mentioning<std::invalid_argument>([] { ClientConfig({.retries_max_attempts = -1}); },
                                                 {"retries_max_attempts", "-1"});
}

TEST(ClientConfigTest, IsImmutableAfterConstruction) {
  // Accessors return values: there is nothing to assign through.
  static_assert(
      !std::is_lvalue_reference_v<decltype(std::declval<ClientConfig&>().read_timeout())>);
  static_assert(
      !std::is_lvalue_reference_v<decltype(std::declval<ClientConfig&>().max_pool_connections())>);
  const ClientConfig config({.max_pool_connections = 4});
  auto options = config.options();
  options.max_pool_connections = 99;  // a copy: the config is unchanged
  EXPECT_EQ(config.max_pool_connections(), 4);
}

// The seed's "invalid type rejection" property: in C++ a value of the wrong type is a compile
// error, not a run-time one, so these are checked by the compiler.
TEST(ClientConfigTest, WrongTypesDoNotCompile) {
  using Strings = std::vector<std::string>;
  static_assert(!std::is_convertible_v<int, ClientConfig>);
  static_assert(!std::is_convertible_v<std::string, ClientConfig>);
  static_assert(
      !std::is_convertible_v<ClientConfig::Options, ClientConfig>);       // explicit: validated
  static_assert(!std::is_convertible_v<int, std::chrono::milliseconds>);  // no bare-int timeouts
  static_assert(
      !std::is_constructible_v<LLMManager, Strings, Strings, AuthConfig, RetryConfig, int>);
  static_assert(
      !std::is_constructible_v<LLMManager, Strings, Strings, AuthConfig, RetryConfig, std::string>);
  static_assert(
      std::is_constructible_v<LLMManager, Strings, Strings, AuthConfig, RetryConfig, ClientConfig>);
  static_assert(!std::is_constructible_v<ParallelLLMManager, Strings, Strings, AuthConfig,
                                         RetryConfig, double>);
  SUCCEED();
}

TEST(ClientConfigTest, CopiesAreEqualAndIndependent) {
  ClientConfig original({.read_timeout = 900s, .retries_max_attempts = 1});
  const ClientConfig copy = original;
  EXPECT_EQ(copy, original);
  original = ClientConfig{};  // replacing the whole value leaves the copy alone
  EXPECT_EQ(copy.read_timeout(), 900s);
  EXPECT_NE(copy, original);
}

TEST(ClientConfigTest, TransportOptionsCarryEveryField) {
  const ClientConfig config({.read_timeout = 1500ms,
                             .connect_timeout = 2s,
                             .max_pool_connections = 7,
                             .retries_max_attempts = 0});
  const TransportOptions options = config.to_transport_options();
  EXPECT_EQ(options, (TransportOptions{1500ms, 2s, 7}));
  EXPECT_EQ(config.to_attempt_limits(), (AttemptLimits{0}));
}

TEST(ClientConfigJsonTest, ReadsNumbersAndUnits) {
  const auto config = ClientConfig::from_json(
      R"({"read_timeout": 0.3, "connect_timeout": "250ms", "max_pool_connections": 4,
          "retries_max_attempts": 0})");
  EXPECT_EQ(config, ClientConfig({.read_timeout = 300ms,
                                  .connect_timeout = 250ms,
                                  .max_pool_connections = 4,
                                  .retries_max_attempts = 0}));
}

TEST(ClientConfigJsonTest, OmittedKeysKeepTheBase) {
  const ClientConfig base({.connect_timeout = 5s});
  const auto config = ClientConfig::from_json(R"({"read_timeout": "2m"})", base);
  EXPECT_EQ(config.read_timeout(), 120s);
  EXPECT_EQ(config.connect_timeout(), 5s);
}

TEST(ClientConfigJsonTest, BadInputNamesFieldAndText) {
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"read_timeout": "fast"})"); }, {"read_timeout", "fast"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"max_pool_connections": true})"); },
      {"max_pool_connections", "true", "wrong type"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"retries_max_attempts": -2})"); },
      {"retries_max_attempts", "-2", "negative"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"max_pool_connections": 99999999999})"); },
      {"max_pool_connections", "99999999999", "out of range"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"max_pool_connections": 0})"); },
      {"max_pool_connections", "0"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"read_timeot": 5})"); }, {"unknown key", "read_timeot"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"read_timeout": )"); }, {"not valid JSON"});
  expect_throw_mentioning<ConfigurationError>([] { ClientConfig::from_json(R"([1,2])"); },
                                              {"must be an object"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"connect_timeout": 1e300})"); },
      {"connect_timeout", "range"});
}

TEST(ClientConfigEnvironmentTest, AwsMaxAttemptsCountsTheFirstAttempt) {
  const auto env = Environment::from_map({{"AWS_MAX_ATTEMPTS", "5"}});
  EXPECT_EQ(ClientConfig::from_environment(env).retries_max_attempts(), 4);
  const auto one = Environment::from_map({{"AWS_MAX_ATTEMPTS", "1"}});
  EXPECT_EQ(ClientConfig::from_environment(one).retries_max_attempts(), 0);
}

TEST(ClientConfigEnvironmentTest, LlmmVariablesAndPrecedence) {
  const auto env = Environment::from_map({{"LLMM_READ_TIMEOUT", "900"},
                                          {"LLMM_CONNECT_TIMEOUT", "1.5s"},
                                          {"LLMM_MAX_POOL_CONNECTIONS", "32"},
                                          {"AWS_MAX_ATTEMPTS", "7"},
                                          {"LLMM_RETRIES_MAX_ATTEMPTS", "2"}});
  EXPECT_EQ(ClientConfig::from_environment(env), ClientConfig({.read_timeout = 900s,
                                                               .connect_timeout = 1500ms,
                                                               .max_pool_connections = 32,
                                                               .retries_max_attempts = 2}));
}

TEST(ClientConfigEnvironmentTest, UnsetOrEmptyKeepsTheBase) {
  const auto env = Environment::from_map({{"LLMM_READ_TIMEOUT", ""}});
  EXPECT_EQ(ClientConfig::from_environment(env), ClientConfig{});
}

TEST(ClientConfigEnvironmentTest, BadValuesNameTheVariable) {
  expect_throw_mentioning<ConfigurationError>(
      [] {
        ClientConfig::from_environment(Environment::from_map({{"AWS_MAX_ATTEMPTS", "0"}}));
      },
      {"AWS_MAX_ATTEMPTS", "0"});
  expect_throw_mentioning<ConfigurationError>(
      [] {
        ClientConfig::from_environment(Environment::from_map({{"AWS_MAX_ATTEMPTS", "three"}}));
      },
      {"AWS_MAX_ATTEMPTS", "three"});
  expect_throw_mentioning<ConfigurationError>(
      [] {
        ClientConfig::from_environment(Environment::from_map({{"LLMM_READ_TIMEOUT", "-1"}}));
      },
      {"LLMM_READ_TIMEOUT", "-1", "negative"});
  expect_throw_mentioning<ConfigurationError>(
      [] {
        ClientConfig::from_environment(
            Environment::from_map({{"LLMM_MAX_POOL_CONNECTIONS", "4294967296"}}));
      },
      {"LLMM_MAX_POOL_CONNECTIONS", "4294967296", "out of range"});
  expect_throw_mentioning<ConfigurationError>(
      [] {
        ClientConfig::from_environment(Environment::from_map({{"LLMM_CONNECT_TIMEOUT", "10 s"}}));
      },
      {"LLMM_CONNECT_TIMEOUT", "10 s"});
}

TEST(ClientConfigFlagsTest, BothFlagFormsWork) {
  const auto config =
      ClientConfig::from_flags({"--read-timeout", "300ms", "--connect-timeout=2s",
                                "--max-pool-connections", "4", "--retries-max-attempts=0"});
  EXPECT_EQ(config, ClientConfig({.read_timeout = 300ms,
                                  .connect_timeout = 2s,
                                  .max_pool_connections = 4,
                                  .retries_max_attempts = 0}));
}

TEST(ClientConfigFlagsTest, BadFlagsAreNamed) {
  expect_throw_mentioning<ConfigurationError>([] { ClientConfig::from_flags({"--read-timeout"}); },
                                              {"--read-timeout", "needs a value"});
  expect_throw_mentioning<ConfigurationError>([] { ClientConfig::from_flags({"--pool=3"}); },
                                              {"unknown", "--pool=3"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_flags({"--retries-max-attempts=-1"}); },
      {"retries_max_attempts", "--retries-max-attempts", "-1"});
}

TEST(ClientConfigJsonTest, ToJsonRoundTrips) {
  const ClientConfig config({.read_timeout = 1500ms,
                             .connect_timeout = 3s,
                             .max_pool_connections = 2,
                             .retries_max_attempts = 5});
  EXPECT_EQ(ClientConfig::from_json(config.to_json()), config);
}

TEST(ClientConfigNetworkTest, TheNetworkSettingsReadFromEverySource) {
  const ClientConfig json = ClientConfig::from_json(
      R"({"http_version": "1.1", "ca_bundle": "/etc/ca.pem", "max_response_bytes": 1024,
          "proxy": "http://proxy:3128", "no_proxy": "localhost"})");
  EXPECT_EQ(json.http_version(), HttpVersion::Http1_1);
  EXPECT_EQ(json.ca_bundle(), "/etc/ca.pem");
  EXPECT_EQ(json.max_response_bytes(), 1024u);
  EXPECT_EQ(json.proxy(), "http://proxy:3128");
  EXPECT_EQ(json.no_proxy(), "localhost");
  EXPECT_EQ(ClientConfig::from_json(json.to_json()), json);

  const ClientConfig environment = ClientConfig::from_environment(
      Environment::from_map({{"LLMM_HTTP_VERSION", "2"}, {"LLMM_MAX_RESPONSE_BYTES", "4096"}}));
  EXPECT_EQ(environment.http_version(), HttpVersion::Http2);
  EXPECT_EQ(environment.max_response_bytes(), 4096u);

  const ClientConfig flags = ClientConfig::from_flags(
      {"--http-version=auto", "--ca-bundle", "/ca.pem", "--proxy=http://p:1", "--no-proxy", "a,b"});
  EXPECT_EQ(flags.http_version(), HttpVersion::Auto);
  EXPECT_EQ(flags.ca_bundle(), "/ca.pem");
  EXPECT_EQ(flags.proxy(), "http://p:1");
  EXPECT_EQ(flags.no_proxy(), "a,b");

  const TransportOptions transport = json.to_transport_options();
  EXPECT_EQ(transport.http_version, HttpVersion::Http1_1);
  EXPECT_EQ(transport.ca_bundle, "/etc/ca.pem");
  EXPECT_EQ(transport.max_response_bytes, 1024u);
}

TEST(ClientConfigNetworkTest, BadNetworkSettingsAreNamed) {
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"http_version": "3"})"); }, {"http_version", "\"3\""});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_json(R"({"ca_bundle": 5})"); }, {"ca_bundle", "wrong type"});
  expect_throw_mentioning<ConfigurationError>(
      [] { ClientConfig::from_flags({"--max-response-bytes=0"}); }, {"max_response_bytes"});
  expect_throw_mentioning<std::invalid_argument>([] { ClientConfig({.max_response_bytes = 0}); },
                                                 {"max_response_bytes"});
}

TEST(ClientConfigNetworkTest, AProxyPasswordIsNeverPrinted) {
  const ClientConfig config({.proxy = "http://user:pa55word-secret@proxy:3128"});
  EXPECT_EQ(config.to_json().find("pa55word-secret"), std::string::npos) << config.to_json();
  EXPECT_NE(config.to_json().find("http://***@proxy:3128"), std::string::npos) << config.to_json();
}

}  // namespace
}  // namespace llmm
