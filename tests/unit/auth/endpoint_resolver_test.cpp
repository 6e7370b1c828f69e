// Endpoint precedence and strict endpoint URL parsing (wire doc §1.1, §7.1).

#include "auth/endpoint_resolver.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace llmm::auth {
namespace {

AuthConfig config_with(std::map<std::string, std::string, std::less<>> variables = {}) {
  AuthConfig config;
  config.environment = Environment::from_map(std::move(variables));
  return config;
}

std::string parse_error(std::string_view url, std::string_view what = "AWS_ENDPOINT_URL") {
  try {
    parse_endpoint_url(url, what);
  } catch (const ConfigurationError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << url;
  return {};
}

TEST(EndpointResolverTest, RegionalDefaults) {
  auto runtime = resolve_runtime_endpoint(config_with(), "us-east-1");
  EXPECT_EQ(runtime, (Endpoint{"https", "bedrock-runtime.us-east-1.amazonaws.com", 443, ""}));
  EXPECT_EQ(runtime.url_for("/model/x/converse"),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse");
  EXPECT_EQ(runtime.host_header(), "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(resolve_control_endpoint(config_with(), "eu-west-3").host,
            "bedrock.eu-west-3.amazonaws.com");
}

TEST(EndpointResolverTest, ChinaAndIsoPartitions) {
  EXPECT_EQ(resolve_runtime_endpoint(config_with(), "cn-north-1").host,
            "bedrock-runtime.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(resolve_control_endpoint(config_with(), "cn-northwest-1").host,
            "bedrock.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(resolve_runtime_endpoint(config_with(), "us-gov-west-1").host,
            "bedrock-runtime.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(resolve_runtime_endpoint(config_with(), "us-iso-east-1").host,
            "bedrock-runtime.us-iso-east-1.c2s.ic.gov");
  EXPECT_EQ(resolve_runtime_endpoint(config_with(), "us-isob-east-1").host,
            "bedrock-runtime.us-isob-east-1.sc2s.sgov.gov");
}

TEST(EndpointResolverTest, Precedence) {
  std::map<std::string, std::string, std::less<>> all = {
      {"AWS_ENDPOINT_URL", "http://global:1000"},
      {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://runtime:2000"},
      {"AWS_ENDPOINT_URL_BEDROCK", "http://control:3000"}};

  AuthConfig config = config_with(all);
  config.runtime_endpoint = "http://explicit-runtime:4000";
  config.control_endpoint = "http://explicit-control:5000";
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-east-1").host, "explicit-runtime");
  EXPECT_EQ(resolve_control_endpoint(config, "us-east-1").host, "explicit-control");

  config = config_with(all);
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-east-1").host_header(), "runtime:2000");
  EXPECT_EQ(resolve_control_endpoint(config, "us-east-1").host_header(), "control:3000");

  config = config_with({{"AWS_ENDPOINT_URL", "http://global:1000"}});
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-east-1").host_header(), "global:1000");
  EXPECT_EQ(resolve_control_endpoint(config, "us-east-1").host_header(), "global:1000");

  // The runtime variable does not leak into the control plane or the other way round.
  config = config_with({{"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://runtime:2000"}});
  EXPECT_EQ(resolve_control_endpoint(config, "us-east-1").host, "bedrock.us-east-1.amazonaws.com");
  config = config_with({{"AWS_ENDPOINT_URL_BEDROCK", "http://control:3000"}});
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-east-1").host,
            "bedrock-runtime.us-east-1.amazonaws.com");

  // Empty variables count as unset.
  config = config_with(
      {{"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", ""}, {"AWS_ENDPOINT_URL", "http://global:1000"}});
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-east-1").host, "global");
}

TEST(EndpointResolverTest, IgnoreConfiguredEndpointUrls) {
  auto variables = std::map<std::string, std::string, std::less<>>{
      {"AWS_ENDPOINT_URL", "http://global:1000"},
      {"AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://runtime:2000"},
      {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"}};
  AuthConfig config = config_with(variables);
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-west-2").host,
            "bedrock-runtime.us-west-2.amazonaws.com");
  // The explicit field is not "configured": it still applies.
  config.runtime_endpoint = "http://127.0.0.1:8080";
  EXPECT_EQ(resolve_runtime_endpoint(config, "us-west-2").host_header(), "127.0.0.1:8080");

  variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "false";
  EXPECT_EQ(resolve_runtime_endpoint(config_with(variables), "us-west-2").host, "runtime");

  variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "yes please";
  EXPECT_THROW(resolve_runtime_endpoint(config_with(variables), "us-west-2"), ConfigurationError);
}

TEST(EndpointResolverTest, PortInHostHeaderOnlyWhenNotDefault) {
  EXPECT_EQ(parse_endpoint_url("http://localhost", "x").port, 80);
  EXPECT_EQ(parse_endpoint_url("http://localhost", "x").host_header(), "localhost");
  EXPECT_EQ(parse_endpoint_url("http://localhost:80", "x").host_header(), "localhost");
  EXPECT_EQ(parse_endpoint_url("https://localhost:443", "x").host_header(), "localhost");
  EXPECT_EQ(parse_endpoint_url("https://localhost:80", "x").host_header(), "localhost:80");
  EXPECT_EQ(parse_endpoint_url("http://localhost:443", "x").host_header(), "localhost:443");
  EXPECT_EQ(parse_endpoint_url("http://127.0.0.1:46119", "x").host_header(), "127.0.0.1:46119");
  EXPECT_EQ(parse_endpoint_url("http://127.0.0.1:46119", "x").url_for("/model/m/converse"),
            "http://127.0.0.1:46119/model/m/converse");
  EXPECT_EQ(parse_endpoint_url("https://h:443", "x").url_for("/a"), "https://h/a");
}

TEST(EndpointResolverTest, SchemeAndHostAreLowerCased) {
  auto endpoint = parse_endpoint_url("HTTPS://Bedrock.Example.COM:8443", "x");
  EXPECT_EQ(endpoint, (Endpoint{"https", "bedrock.example.com", 8443, ""}));
}

TEST(EndpointResolverTest, BasePath) {
  auto endpoint = parse_endpoint_url("https://proxy.example.com/bedrock/v1/", "x");
  EXPECT_EQ(endpoint.base_path, "/bedrock/v1");
  EXPECT_EQ(endpoint.url_for("/model/m/converse"),
            "https://proxy.example.com/bedrock/v1/model/m/converse");
  EXPECT_EQ(endpoint.url_for("foundation-models?byProvider=x"),
            "https://proxy.example.com/bedrock/v1/foundation-models?byProvider=x");
  EXPECT_EQ(parse_endpoint_url("http://h/", "x").base_path, "");
  EXPECT_EQ(parse_endpoint_url("http://h///", "x").base_path, "");
  EXPECT_EQ(parse_endpoint_url("http://h/a%2Fb/c~d", "x").base_path, "/a%2Fb/c~d");
  EXPECT_EQ(parse_endpoint_url("http://h", "x").url_for(""), "http://h/");
}

TEST(EndpointResolverTest, Ipv6Hosts) {
  auto endpoint = parse_endpoint_url("http://[::1]:8080/base", "x");
  EXPECT_EQ(endpoint.host, "[::1]");
  EXPECT_EQ(endpoint.port, 8080);
  EXPECT_EQ(endpoint.host_header(), "[::1]:8080");
  EXPECT_EQ(endpoint.url_for("/p"), "http://[::1]:8080/base/p");
  EXPECT_EQ(parse_endpoint_url("https://[2001:DB8::A]", "x").host_header(), "[2001:db8::a]");
  EXPECT_EQ(parse_endpoint_url("http://[::ffff:127.0.0.1]", "x").host, "[::ffff:127.0.0.1]");
}

TEST(EndpointResolverTest, HostNamesAndIpv4) {
  EXPECT_EQ(parse_endpoint_url("http://10.0.0.1", "x").host, "10.0.0.1");
  EXPECT_EQ(parse_endpoint_url("http://my_service-1.internal", "x").host, "my_service-1.internal");
  EXPECT_EQ(parse_endpoint_url("http://localhost:65535", "x").port, 65535);
}

TEST(EndpointResolverTest, BadUrlsNameTheVariableAndUrl) {
  const std::vector<std::string> bad = {
      "",
      "localhost:8080",
      "ftp://host",
      "http://",
      "http:///path",
      "http://:8080",
      "http://host:",
      "http://host:0",
      "http://host:65536",
      "http://host:123456",
      "http://host:8o",
      "http://host:80:81",
      "http://::1",
      "http://[::1",
      "http://[::1]x",
      "http://[not-ipv6]",
      "http://[]",
      "http://[fe80::1%25eth0]",
      "http://999.1.1.1",
      "http://1.2.3",
      "http://a..b",
      "http://.a",
      "http://a.",
      "http://-a.com",
      "http://a-.com",
      "http://ho st",
      "http://host/a b",
      "http://host/a\"b",
      "http://host/a%zz",
      "http://host/a%2",
      "http://host/a//b",
      "http://host/./a",
      "http://host/a/..",
      "http://host?x=1",
      "http://host/p?x=1",
      "http://host#frag",
      "http://user@host",
      " http://host",
      "http://host\n",
      "http://h\xc3\xa9.com",
  };
  for (const auto& url : bad) {
    std::string message = parse_error(url, "AWS_ENDPOINT_URL_BEDROCK_RUNTIME");
    EXPECT_NE(message.find("AWS_ENDPOINT_URL_BEDROCK_RUNTIME"), std::string::npos)
        << url << " -> " << message;
    // The URL is quoted (printable); no raw control bytes reach the message.
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  EXPECT_NE(parse_error("ftp://host:21/x").find("'ftp://host:21/x'"), std::string::npos);
}

TEST(EndpointResolverTest, BadExplicitEndpointNamesTheField) {
  AuthConfig config = config_with();
  config.runtime_endpoint = "gopher://h";
  try {
    resolve_runtime_endpoint(config, "us-east-1");
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("AuthConfig.runtime_endpoint"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("gopher://h"), std::string::npos);
  }
  config = config_with({{"AWS_ENDPOINT_URL_BEDROCK", "http://h:99999"}});
  try {
    resolve_control_endpoint(config, "us-east-1");
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find("AWS_ENDPOINT_URL_BEDROCK"), std::string::npos);
  }
}

TEST(EndpointResolverTest, SecretsInUrlsAreRedacted) {
  std::string message = parse_error("https://user:SECRET-SENTINEL-123@host/p");
  EXPECT_EQ(message.find("SECRET-SENTINEL-123"), std::string::npos) << message;
  EXPECT_NE(message.find("https://<redacted>@host/p"), std::string::npos) << message;
  message = parse_error("https://host/p?X-Amz-Security-Token=SECRET-SENTINEL-123");
  EXPECT_EQ(message.find("SECRET-SENTINEL-123"), std::string::npos) << message;
  message = parse_error("https://host/p#SECRET-SENTINEL-123");
  EXPECT_EQ(message.find("SECRET-SENTINEL-123"), std::string::npos) << message;
}

TEST(EndpointResolverTest, RegionIsValidated) {
  for (std::string_view region : {"", "US-EAST-1", "us_east_1", "us-east-1/", "us east",
                                  "us-east-1.evil.com", "us-east-1\n"}) {
    EXPECT_THROW(resolve_runtime_endpoint(config_with(), region), ConfigurationError) << region;
    EXPECT_THROW(validate_region(region), ConfigurationError) << region;
  }
  // Validated even when a custom endpoint makes it unused for the host: it is still signed.
  AuthConfig config = config_with();
  config.runtime_endpoint = "http://127.0.0.1:8080";
  EXPECT_THROW(resolve_runtime_endpoint(config, "Bad Region"), ConfigurationError);
  EXPECT_NO_THROW(validate_region("eu-central-2"));
}

}  // namespace
}  // namespace llmm::auth
