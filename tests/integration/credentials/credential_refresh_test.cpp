// Credentials that expire, end to end against the real emulator (its STS issues keys with the
// lifetime the test sets; its Bedrock answers ExpiredTokenException after it): the resend after
// ExpiredToken, one refresh for every waiting call, the windows on a shifted wall clock, a
// refresh that fails, the clock-skew correction, and a caller's own CredentialsProvider.
// The wall clock moves only through SimulatedClock::shift_wall; nothing waits for real time.
#include <llmm/auth_manager.hpp>
#include <llmm/credentials_provider.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>

#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "support/scoped_temp_dir.hpp"
#include "support/simulated_clock.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kEmulatorKey = "AKIDEXAMPLE";
constexpr const char* kEmulatorSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kWebToken = "WEB-TOKEN-SENTINEL.payload.signature";

std::vector<std::string> decisions(const BedrockResponse& response) {
  std::vector<std::string> names;
  for (const auto& attempt : response.attempts) names.emplace_back(to_string(attempt.decision));
  return names;
}

void expect_no_secret(const std::string& text) {
  for (const char* sentinel : {kEmulatorSecret, "WEB-TOKEN-SENTINEL"}) {
    EXPECT_EQ(text.find(sentinel), std::string::npos) << "secret leaked: " << text;
  }
}

class CredentialRefreshTest : public ::testing::Test {
 protected:
  test::EmulatorProcess emulator{BEDROCK_EMULATOR_PATH};
  test::ScopedTempDir home;
  std::shared_ptr<test::SimulatedClock> clock = std::make_shared<test::SimulatedClock>();

  void admin_credentials(const std::string& json) const {
    const auto reply = emulator.request("PUT", "/_emulator/credentials", json,
                                        {{"Content-Type", "application/json"}});
    ASSERT_EQ(reply.status, 200) << reply.body;
  }
  [[nodiscard]] int issued() const {
    return nlohmann::json::parse(emulator.request("GET", "/_emulator/credentials").body)
        .at("issuedCount")
        .get<int>();
  }
  void expire_all() const {
    ASSERT_EQ(emulator.request("POST", "/_emulator/credentials/expire").status, 200);
  }

  // Web identity (EKS IRSA) through the emulator's STS: temporary keys with an expiry.
  [[nodiscard]] AuthConfig web_identity() const {
    const auto token = home.write_file("token", kWebToken);
    AuthConfig config;
    config.runtime_endpoint = emulator.base_url();
    config.control_endpoint = emulator.base_url();
    config.environment =
        Environment::from_map({{"HOME", home.path().string()},
                               {"AWS_ENDPOINT_URL_STS", emulator.base_url()},
                               {"AWS_REGION", "us-east-1"},
                               {"AWS_EC2_METADATA_DISABLED", "true"},
                               {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Irsa"},
                               {"AWS_WEB_IDENTITY_TOKEN_FILE", token.string()}});
    return config;
  }

  [[nodiscard]] std::unique_ptr<AuthManager> manager(const AuthConfig& config) const {
    return std::make_unique<AuthManager>(config, ClientConfig{}, Seams{.clock = clock});
  }

  static BedrockResponse ask(AuthManager& auth, const std::string& prompt) {
    return auth.runtime_client("us-east-1")->converse(kModel, ConverseRequest::from_prompt(prompt));
  }

  // `count` calls at once, all in flight together; their responses.
  static std::vector<BedrockResponse> ask_concurrently(AuthManager& auth, int count) {
    std::vector<std::promise<BedrockResponse>> promises(count);
    std::vector<std::future<BedrockResponse>> futures;
    for (auto& promise : promises) futures.push_back(promise.get_future());
    auto client = auth.runtime_client("us-east-1");
    for (int i = 0; i < count; ++i) {
      client->converse_async(kModel, ConverseRequest::from_prompt("call " + std::to_string(i)),
                             [&promise = promises[i]](BedrockResponse response) {
                               promise.set_value(std::move(response));
                             });
    }
    std::vector<BedrockResponse> responses;
    for (auto& future : futures) responses.push_back(future.get());
    return responses;
  }
};

TEST_F(CredentialRefreshTest, ExpiredTokenRefreshesTheCredentialsAndResendsOnce) {
  auto auth = manager(web_identity());
  ASSERT_TRUE(ask(*auth, "before").ok());
  const int issued_before = issued();
  expire_all();

  const BedrockResponse response = ask(*auth, "after");
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"refresh_credentials", "succeeded"}));
  ASSERT_TRUE(response.attempts[0].error.has_value());
  EXPECT_EQ(response.attempts[0].error->aws_error_type, "ExpiredTokenException");
  EXPECT_EQ(issued(), issued_before + 1) << "one AssumeRoleWithWebIdentity for the refresh";
  const CredentialsInfo info = auth->credentials_info();
  EXPECT_EQ(info.provider, "web-identity");
  EXPECT_EQ(info.refreshes, 1U);
  EXPECT_EQ(info.failed_refreshes, 0U);

  // The refreshed keys serve the next call at once.
  const BedrockResponse next = ask(*auth, "again");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(decisions(next), (std::vector<std::string>{"succeeded"}));
}

TEST_F(CredentialRefreshTest, EveryCallRefusedForExpiryWaitsForOneRefresh) {
  auto auth = manager(web_identity());
  ASSERT_TRUE(ask(*auth, "warm up").ok());
  const int issued_before = issued();
  expire_all();
  const auto responses = ask_concurrently(*auth, 32);
  for (const auto& response : responses) {
    ASSERT_TRUE(response.ok()) << response.error->describe();
    EXPECT_LE(response.attempts.size(), 2U);
  }
  EXPECT_EQ(issued(), issued_before + 1);
  EXPECT_EQ(auth->credentials_info().refreshes, 1U);
}

TEST_F(CredentialRefreshTest,
       AFailedRefreshOfExpiredCredentialsFailsTheCallAndTheNextCallTriesAgain) {
  auto auth = manager(web_identity());
  ASSERT_TRUE(ask(*auth, "warm up").ok());
  expire_all();
  admin_credentials(R"({"faults": {"sts": "500"}})");
  const BedrockResponse failed = ask(*auth, "while STS fails");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error->code, ErrorCode::Unauthenticated);
  EXPECT_NE(failed.error->message.find("refreshing them failed"), std::string::npos)
      << failed.error->message;
  EXPECT_NE(failed.error->message.find("arn:aws:iam::123456789012:role/Irsa"), std::string::npos)
      << failed.error->message;
  expect_no_secret(failed.error->message);
  EXPECT_EQ(decisions(failed), (std::vector<std::string>{"refresh_credentials"}));
  const CredentialsInfo info = auth->credentials_info();
  EXPECT_EQ(info.failed_refreshes, 1U);
  EXPECT_FALSE(info.last_refresh_error.empty());
  expect_no_secret(info.last_refresh_error);

  admin_credentials(R"({"faults": {}})");
  const BedrockResponse recovered = ask(*auth, "after STS recovered");
  ASSERT_TRUE(recovered.ok()) << recovered.error->describe();
  EXPECT_EQ(auth->credentials_info().refreshes, 1U);
}

// 360 s keys: the advisory window opens 180 s before expiry, the mandatory one 90 s before. The
// shifted clock stays within the 5 minutes SigV4 allows, so the emulator still takes the
// signatures.
TEST_F(CredentialRefreshTest, TheMandatoryWindowHoldsCallsForOneRefreshBeforeExpiry) {
  admin_credentials(R"({"lifetimeSeconds": 360})");
  auto auth = manager(web_identity());
  const int issued_before = issued();
  clock->shift_wall(275s);  // 85 s left
  const auto responses = ask_concurrently(*auth, 16);
  for (const auto& response : responses) {
    ASSERT_TRUE(response.ok()) << response.error->describe();
    EXPECT_EQ(decisions(response), (std::vector<std::string>{"succeeded"}))
        << "refreshed before it was refused";
  }
  EXPECT_EQ(issued(), issued_before + 1);
  EXPECT_EQ(auth->credentials_info().refreshes, 1U);
}

TEST_F(CredentialRefreshTest, AFailedRefreshInTheMandatoryWindowKeepsTheValidCredentials) {
  admin_credentials(R"({"lifetimeSeconds": 360})");
  auto auth = manager(web_identity());
  admin_credentials(R"({"faults": {"sts": "500"}})");
  clock->shift_wall(275s);
  const BedrockResponse response = ask(*auth, "with STS down");
  ASSERT_TRUE(response.ok()) << response.error->describe();
  const CredentialsInfo info = auth->credentials_info();
  EXPECT_EQ(info.failed_refreshes, 1U);
  EXPECT_EQ(info.refreshes, 0U);
  expect_no_secret(info.last_refresh_error);
}

// ---- clock skew ---------------------------------------------------------------------------------

TEST_F(CredentialRefreshTest, AClockAnHourSlowIsCorrectedFromTheReplysDateAndTheCallResentOnce) {
  for (const auto shift : {-1h, 1h}) {
    clock->shift_wall(shift);
    auto auth = manager(emulator.auth_config());
    const BedrockResponse response = ask(*auth, "skewed");
    ASSERT_TRUE(response.ok()) << response.error->describe();
    EXPECT_EQ(decisions(response), (std::vector<std::string>{"correct_clock_skew", "succeeded"}));
    EXPECT_EQ(response.attempts[0].error->aws_error_type, "InvalidSignatureException");
    // The offset is learned once for the AuthManager: later calls are signed right at once.
    const BedrockResponse next = ask(*auth, "corrected");
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(decisions(next), (std::vector<std::string>{"succeeded"}));
  }
}

TEST_F(CredentialRefreshTest, ConcurrentSkewedCallsAllRecover) {
  clock->shift_wall(-2h);
  auto auth = manager(emulator.auth_config());
  for (const auto& response : ask_concurrently(*auth, 16)) {
    ASSERT_TRUE(response.ok()) << response.error->describe();
    EXPECT_LE(response.attempts.size(), 2U);
  }
}

TEST_F(CredentialRefreshTest, ASkewWithinToleranceNeedsNoCorrection) {
  clock->shift_wall(-4min);
  auto auth = manager(emulator.auth_config());
  const BedrockResponse response = ask(*auth, "nearly right");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"succeeded"}));
}

// ---- a caller's own provider --------------------------------------------------------------------

class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(std::shared_ptr<Clock> clock) : clock_(std::move(clock)) {}
  ProvidedCredentials fetch() override {
    const int n = ++fetches;
    if (n > 1 && refresh_gate.valid() && refresh_gate.wait_for(20s) != std::future_status::ready) {
      throw std::runtime_error("the test never opened the gate");
    }
    if (n > 1 && fail_refreshes)
      throw std::runtime_error("vault sealed (fetch " + std::to_string(n) + ")");
    return ProvidedCredentials{kEmulatorKey, kEmulatorSecret, "", clock_->wall_now() + lifetime};
  }
  [[nodiscard]] std::string name() const override { return "test-vault"; }

  std::atomic<int> fetches{0};
  std::atomic<bool> fail_refreshes{false};
  std::chrono::seconds lifetime{360};
  std::shared_future<void> refresh_gate;  // when valid, refreshes wait for it

 private:
  std::shared_ptr<Clock> clock_;
};

AuthConfig with_provider(const test::EmulatorProcess& emulator,
                         std::shared_ptr<CredentialsProvider> provider) {
  AuthConfig config = emulator.auth_config();
  config.type = AuthType::Provider;
  config.access_key_id.clear();
  config.secret_access_key.clear();
  config.credentials_provider = std::move(provider);
  return config;
}

TEST_F(CredentialRefreshTest, ACustomProviderSignsAndIsRefreshedAheadOfItsExpiry) {
  auto provider = std::make_shared<CountingProvider>(clock);
  auto auth = manager(with_provider(emulator, provider));
  EXPECT_EQ(auth->credentials_info().provider, "custom");
  EXPECT_EQ(auth->credentials_info().source, "credentials provider 'test-vault'");
  ASSERT_TRUE(ask(*auth, "first").ok());
  EXPECT_EQ(provider->fetches.load(), 1);
  clock->shift_wall(275s);  // the mandatory window of its 360 s keys
  ASSERT_TRUE(ask(*auth, "second").ok());
  EXPECT_EQ(provider->fetches.load(), 2);
  EXPECT_EQ(auth->credentials_info().refreshes, 1U);
}

TEST_F(CredentialRefreshTest, ACustomProvidersFailureIsATypedErrorNamingIt) {
  class Broken final : public CredentialsProvider {
   public:
    ProvidedCredentials fetch() override { throw std::runtime_error("no route to vault"); }
    [[nodiscard]] std::string name() const override { return "broken-vault"; }
  };
  class Empty final : public CredentialsProvider {
   public:
    ProvidedCredentials fetch() override { return {kEmulatorKey, "", "", std::nullopt}; }
    [[nodiscard]] std::string name() const override { return "empty-vault"; }
  };
  const auto message_of = [&](std::shared_ptr<CredentialsProvider> provider) -> std::string {
    try {
      (void)manager(with_provider(emulator, std::move(provider)));
    } catch (const AuthenticationError& error) {
      return error.what();
    }
    ADD_FAILURE() << "no AuthenticationError";
    return {};
  };
  EXPECT_EQ(message_of(std::make_shared<Broken>()),
            "credentials provider 'broken-vault' failed: no route to vault");
  EXPECT_EQ(message_of(std::make_shared<Empty>()),
            "credentials provider 'empty-vault' returned no secret access key");
  AuthConfig missing = with_provider(emulator, nullptr);
  EXPECT_THROW((void)manager(missing), ConfigurationError);
}

// The refresh is held by the provider until the test lets it go: had the call waited for it,
// it could not have come back before the gate opened.
TEST_F(CredentialRefreshTest, TheAdvisoryWindowNeverHoldsACall) {
  auto provider = std::make_shared<CountingProvider>(clock);
  std::promise<void> gate;
  provider->refresh_gate = gate.get_future().share();
  auto auth = manager(with_provider(emulator, provider));
  clock->shift_wall(200s);  // 160 s left of 360: advisory
  const BedrockResponse response = ask(*auth, "during a held refresh");
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(decisions(response), (std::vector<std::string>{"succeeded"}));
  EXPECT_EQ(auth->credentials_info().refreshes, 0U) << "the refresh is still held";
  gate.set_value();
}

// The call's total deadline holds while it waits for a refresh the provider is holding. (With
// the simulated clock an idle loop jumps to its next timer, here the deadline, at once: on real
// time the deadline would pass only if the refresh outlasted it.)
TEST_F(CredentialRefreshTest, TheTotalDeadlineHoldsWhileACallWaitsForCredentials) {
  auto provider = std::make_shared<CountingProvider>(clock);
  std::promise<void> gate;
  provider->refresh_gate = gate.get_future().share();
  RetryConfig retry;
  retry.total_deadline = 5000ms;
  LLMManager llm({kModel}, {"us-east-1"}, with_provider(emulator, provider), retry, ClientConfig{},
                 test::offline_catalog(), Seams{.clock = clock});
  clock->shift_wall(400s);  // the 360 s keys have expired: the call must wait for new ones
  const BedrockResponse response = llm.converse(ConverseRequest::from_prompt("waiting"));
  gate.set_value();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::Timeout);
  EXPECT_NE(response.error->message.find("while the call waited for fresh credentials"),
            std::string::npos)
      << response.error->message;
  EXPECT_TRUE(response.attempts.empty()) << "nothing was sent with expired keys";
}

TEST_F(CredentialRefreshTest, ACustomProviderFailingToRefreshInTheMandatoryWindowKeepsCallsGoing) {
  auto provider = std::make_shared<CountingProvider>(clock);
  provider->fail_refreshes = true;
  auto auth = manager(with_provider(emulator, provider));
  clock->shift_wall(275s);
  ASSERT_TRUE(ask(*auth, "with the vault sealed").ok());
  const CredentialsInfo info = auth->credentials_info();
  EXPECT_EQ(info.failed_refreshes, 1U);
  EXPECT_EQ(info.last_refresh_error,
            "credentials provider 'test-vault' failed: vault sealed (fetch 2)");
}

}  // namespace
}  // namespace llmm
