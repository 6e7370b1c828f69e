// The client over HTTPS, against the emulator serving certificates made for each case: a trusted
// private CA works from the API, AWS_CA_BUNDLE or the profile's ca_bundle (in the SDKs' order);
// every certificate a client must refuse ends the attempt with ErrorCode::TlsFailed naming the
// host and the reason, and is not retried on the same target. Plus the response-size limit.
#include <llmm/auth_manager.hpp>
#include <llmm/runtime_client.hpp>

#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"
#include "tls_identity.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using bedrock_emulator::TlsIdentity;
using bedrock_emulator::TlsIdentityOptions;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

// An emulator serving `identity`, and the files a client may be pointed at.
struct ServedIdentity {
  explicit ServedIdentity(const TlsIdentity& identity)
      : ca(identity.ca_pem.empty() ? std::string()
                                   : dir.write_file("ca.pem", identity.ca_pem).string()),
        emulator(BEDROCK_EMULATOR_PATH,
                 {"--tls-cert", dir.write_file("cert.pem", identity.certificate_pem).string(),
                  "--tls-key", dir.write_file("key.pem", identity.private_key_pem).string()}) {}

  [[nodiscard]] std::string url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(emulator.port());
  }
  [[nodiscard]] AuthConfig auth(
      std::map<std::string, std::string, std::less<>> environment = {}) const {
    AuthConfig config = emulator.auth_config();
    config.runtime_endpoint = url();
    config.control_endpoint = url();
    config.environment = Environment::from_map(std::move(environment));
    return config;
  }

  test::ScopedTempDir dir;
  std::string ca;
  test::EmulatorProcess emulator;
};

BedrockResponse call(const AuthConfig& auth, ClientConfig::Options options = {}) {
  options.retries_max_attempts = 2;
  AuthManager manager(auth, ClientConfig(options));
  return manager.runtime_client("us-east-1")
      ->converse(kHaiku, ConverseRequest::from_prompt("hi"), BackoffPolicy{.base_delay = 1ms});
}

// Refused once, named, not retried.
void expect_refused(const BedrockResponse& response, const std::string& reason_fragment) {
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::TlsFailed) << response.error->describe();
  EXPECT_EQ(response.attempts.size(), 1u) << "a TLS failure must not be retried on the same host";
  EXPECT_NE(response.error->message.find("127.0.0.1"), std::string::npos)
      << response.error->message;
  EXPECT_NE(response.error->message.find(reason_fragment), std::string::npos)
      << response.error->message;
}

TEST(TlsTest, APrivateCaFromTheApiIsTrusted) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  const BedrockResponse response = call(served.auth(), {.ca_bundle = served.ca});
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.attempts.size(), 1u);
}

TEST(TlsTest, WithoutItsCaTheServerIsRefusedOnceWithTheReason) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  expect_refused(call(served.auth()), "certificate");
}

TEST(TlsTest, AwsCaBundleIsTrustedWhenTheApiNamesNone) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  const BedrockResponse response = call(served.auth({{"AWS_CA_BUNDLE", served.ca}}));
  ASSERT_TRUE(response.ok()) << response.error->describe();
}

TEST(TlsTest, TheProfilesCaBundleIsTrustedWhenNeitherApiNorEnvironmentNamesOne) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  const auto config = served.dir.write_file("config", "[default]\nca_bundle = " + served.ca + "\n");
  const BedrockResponse response =
      call(served.auth({{"AWS_CONFIG_FILE", config.string()},
                        {"AWS_SHARED_CREDENTIALS_FILE", (served.dir.path() / "none").string()}}));
  ASSERT_TRUE(response.ok()) << response.error->describe();
}

TEST(TlsTest, TheApiWinsOverAwsCaBundleWhichWinsOverTheProfile) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  const auto missing = (served.dir.path() / "missing.pem").string();
  const auto config = served.dir.write_file("config", "[default]\nca_bundle = " + missing + "\n");
  // API good, environment bad: the API is used.
  EXPECT_TRUE(call(served.auth({{"AWS_CA_BUNDLE", missing}}), {.ca_bundle = served.ca}).ok());
  // Environment good, profile bad: the environment is used.
  EXPECT_TRUE(
      call(served.auth({{"AWS_CA_BUNDLE", served.ca}, {"AWS_CONFIG_FILE", config.string()}})).ok());
  // Environment bad: refused, and the error says the bundle is what failed.
  const BedrockResponse bad = call(served.auth({{"AWS_CA_BUNDLE", missing}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error->code, ErrorCode::TlsFailed);
  EXPECT_NE(bad.error->message.find("CA bundle"), std::string::npos) << bad.error->message;
  EXPECT_EQ(bad.attempts.size(), 1u);
}

TEST(TlsTest, ACertificateForAnotherNameIsRefused) {
  TlsIdentityOptions options;
  options.names = {"other.example"};
  const ServedIdentity served(bedrock_emulator::generate_tls_identity(options));
  expect_refused(call(served.auth(), {.ca_bundle = served.ca}), "match");
}

TEST(TlsTest, AnExpiredCertificateIsRefused) {
  TlsIdentityOptions options;
  options.not_before = std::chrono::hours(-48);
  options.not_after = std::chrono::hours(-24);
  const ServedIdentity served(bedrock_emulator::generate_tls_identity(options));
  expect_refused(call(served.auth(), {.ca_bundle = served.ca}), "expired");
}

TEST(TlsTest, ASelfSignedCertificateIsRefused) {
  TlsIdentityOptions options;
  options.self_signed = true;
  const ServedIdentity served(bedrock_emulator::generate_tls_identity(options));
  expect_refused(call(served.auth()), "certificate");
}

TEST(TlsTest, PlaintextOnTheHttpsPortIsATlsFailureNotAHang) {
  test::EmulatorProcess plain(BEDROCK_EMULATOR_PATH);
  AuthConfig auth = plain.auth_config();
  auth.runtime_endpoint = "https://127.0.0.1:" + std::to_string(plain.port());
  const BedrockResponse response = call(auth, {.read_timeout = 5s, .connect_timeout = 5s});
  expect_refused(response, "TLS");
}

TEST(TlsTest, AResponseOverTheBodyLimitEndsTheAttemptWithTheLimitNamed) {
  const ServedIdentity served(bedrock_emulator::generate_tls_identity({}));
  // The emulator's answer to "hi" is a few hundred bytes of JSON.
  const BedrockResponse response =
      call(served.auth(), {.ca_bundle = served.ca, .max_response_bytes = 64});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Internal) << response.error->describe();
  EXPECT_NE(response.error->message.find("max_response_bytes"), std::string::npos)
      << response.error->message;
  EXPECT_EQ(response.attempts.size(), 1u) << "the same target would send the same answer";
}

}  // namespace
}  // namespace llmm
