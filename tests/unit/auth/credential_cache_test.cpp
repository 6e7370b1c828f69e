// The credential cache's refresh rules (auth/credential_cache.hpp) on a shifted wall clock: the
// windows, one refresh for every waiting call, failures inside and past the windows, the
// service's ExpiredToken, close(). The refresh function is the test's, gated by promises, so
// each step happens when the test says and nothing depends on how fast the machine is.
#include "auth/credential_cache.hpp"
#include "auth/clock_offset.hpp"
#include "auth/timestamp.hpp"

#include "support/simulated_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace llmm::auth {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr auto kHangGuard = 20s;  // only a broken cache waits this long

ResolvedCredentials keys(const std::string& id,
                         std::optional<std::chrono::system_clock::time_point> expiration) {
  ResolvedCredentials resolved{AwsCredentials{id, "SECRET-SENTINEL-" + id, "TOKEN-SENTINEL"},
                               "test source " + id};
  resolved.provider = "test";
  resolved.expiration = expiration;
  return resolved;
}

std::string key_id(const CredentialCache::Snapshot& snapshot) {
  return std::get<AwsCredentials>(snapshot.credentials->value).access_key_id;
}

// Collects what each waiting call is told.
struct Waiters {
  std::mutex mutex;
  std::deque<std::promise<std::optional<Error>>> promises;  // a deque: pointers stay valid
  std::vector<std::future<std::optional<Error>>> futures;

  CredentialCache::Resume next() {
    std::lock_guard lock(mutex);
    promises.emplace_back();
    futures.push_back(promises.back().get_future());
    auto* promise = &promises.back();
    return [promise](std::optional<Error> error) { promise->set_value(std::move(error)); };
  }
};

class CredentialCacheTest : public ::testing::Test {
 protected:
  std::shared_ptr<test::SimulatedClock> clock = std::make_shared<test::SimulatedClock>();
  std::shared_ptr<ClockOffset> offset = std::make_shared<ClockOffset>();
  std::atomic<int> fetches{0};
  // Each refresh waits for the test to open the gate, then answers with `next_answer`.
  std::promise<void> gate;
  std::shared_future<void> gate_open = gate.get_future().share();
  std::function<ResolvedCredentials()> next_answer;
  std::promise<void> fetched;  // set when a refresh has started
  Waiters waiters;             // outlives each test's cache, which may still resume them

  std::chrono::system_clock::time_point in(milliseconds from_now) const {
    return clock->wall_now() + from_now;
  }

  std::unique_ptr<CredentialCache> make(ResolvedCredentials initial, bool refreshable = true) {
    CredentialCache::Refresh refresh;
    if (refreshable) {
      refresh = [this] {
        if (fetches.fetch_add(1) == 0) fetched.set_value();
        EXPECT_EQ(gate_open.wait_for(kHangGuard), std::future_status::ready);
        return next_answer();
      };
    }
    return std::make_unique<CredentialCache>(std::move(initial), std::move(refresh), clock, offset);
  }

  void wait_until_fetching() {
    ASSERT_EQ(fetched.get_future().wait_for(kHangGuard), std::future_status::ready)
        << "no refresh started";
  }
};

TEST_F(CredentialCacheTest, WindowsAreBotocoresScaledToShortLifetimes) {
  const auto hour = RefreshWindows::for_lifetime(1h);
  EXPECT_EQ(hour.advisory, 15min);
  EXPECT_EQ(hour.mandatory, 10min);
  const auto short_lived = RefreshWindows::for_lifetime(5s);
  EXPECT_EQ(short_lived.advisory, 2500ms);
  EXPECT_EQ(short_lived.mandatory, 1250ms);
  EXPECT_EQ(RefreshWindows::for_lifetime(-1s).advisory, 0ms);
}

TEST_F(CredentialCacheTest, FreshCredentialsAreUsedWithoutARefresh) {
  auto cache = make(keys("A", in(1h)));
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  EXPECT_EQ(key_id(cache->current()), "A");
  EXPECT_EQ(cache->current().generation, 1U);
  clock->shift_wall(44min);  // 16 minutes left: still outside the advisory window
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  (void)cache->current();
  EXPECT_EQ(fetches.load(), 0);
}

TEST_F(CredentialCacheTest, AdvisoryWindowRefreshesInTheBackgroundWithoutHoldingCalls) {
  auto cache = make(keys("A", in(1h)));
  next_answer = [this] { return keys("B", in(2h)); };
  clock->shift_wall(46min);  // 14 minutes left
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()))
      << "a call in the advisory window must not wait";
  wait_until_fetching();
  // While the refresh runs, calls go on with the old credentials, and no second refresh starts.
  EXPECT_EQ(key_id(cache->current()), "A");
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  gate.set_value();
  cache->close();  // joins the worker: the refresh has ended
  EXPECT_EQ(key_id(cache->current()), "B");
  EXPECT_EQ(cache->current().generation, 2U);
  EXPECT_EQ(fetches.load(), 1);
  EXPECT_EQ(cache->info().refreshes, 1U);
}

TEST_F(CredentialCacheTest, MandatoryWindowHoldsEveryCallForOneRefresh) {
  auto cache = make(keys("A", in(1h)));
  next_answer = [this] { return keys("B", in(2h)); };
  clock->shift_wall(52min);  // 8 minutes left
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(cache->wait_if_needed(waiters.next()));
  wait_until_fetching();
  for (auto& future : waiters.futures) EXPECT_EQ(future.wait_for(0ms), std::future_status::timeout);
  gate.set_value();
  for (auto& future : waiters.futures) {
    ASSERT_EQ(future.wait_for(kHangGuard), std::future_status::ready);
    EXPECT_FALSE(future.get().has_value());
  }
  EXPECT_EQ(fetches.load(), 1);
  EXPECT_EQ(key_id(cache->current()), "B");
  EXPECT_FALSE(cache->wait_if_needed(waiters.next())) << "the new credentials are fresh";
}

TEST_F(CredentialCacheTest, FailedRefreshInTheWindowsKeepsTheOldCredentialsAndBacksOff) {
  auto cache = make(keys("A", in(1h)));
  next_answer = []() -> ResolvedCredentials { throw std::runtime_error("IMDS answered 500"); };
  clock->shift_wall(52min);
  ASSERT_TRUE(cache->wait_if_needed(waiters.next()));
  gate.set_value();
  ASSERT_EQ(waiters.futures[0].wait_for(kHangGuard), std::future_status::ready);
  EXPECT_FALSE(waiters.futures[0].get().has_value())
      << "still-valid credentials serve the waiting call";
  EXPECT_EQ(key_id(cache->current()), "A");
  const CredentialsInfo info = cache->info();
  EXPECT_EQ(info.failed_refreshes, 1U);
  EXPECT_EQ(info.last_refresh_error, "IMDS answered 500");
  // Within the back-off (a tenth of the 8 minutes left, at most 30 s) nobody waits and nothing
  // is fetched.
  clock->shift_wall(52min + 20s);
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  (void)cache->current();
  EXPECT_EQ(fetches.load(), 1);
  // After it, the next call waits for a new attempt.
  clock->shift_wall(52min + 40s);
  EXPECT_TRUE(cache->wait_if_needed(waiters.next()));
  ASSERT_EQ(waiters.futures.back().wait_for(kHangGuard), std::future_status::ready);
  EXPECT_EQ(fetches.load(), 2);
}

TEST_F(CredentialCacheTest, ExpiredCredentialsWhoseRefreshFailsFailTheCallNamingSourceAndCause) {
  auto cache = make(keys("A", in(1h)));
  next_answer = []() -> ResolvedCredentials { throw std::runtime_error("STS said AccessDenied"); };
  clock->shift_wall(61min);
  ASSERT_TRUE(cache->wait_if_needed(waiters.next()));
  gate.set_value();
  ASSERT_EQ(waiters.futures[0].wait_for(kHangGuard), std::future_status::ready);
  const auto error = waiters.futures[0].get();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, ErrorCode::Unauthenticated);
  EXPECT_NE(error->message.find("test source A"), std::string::npos) << error->message;
  EXPECT_NE(error->message.find("STS said AccessDenied"), std::string::npos) << error->message;
  EXPECT_EQ(error->message.find("SENTINEL"), std::string::npos) << error->message;
  // Expired credentials are refreshed again by the next call, back-off or not.
  EXPECT_TRUE(cache->wait_if_needed(waiters.next()));
}

TEST_F(CredentialCacheTest, ExpiredTokenFromTheServiceInvalidatesOnlyTheGenerationItSigned) {
  auto cache = make(keys("A", std::nullopt));  // long-term-looking keys the service refused
  next_answer = [this] { return keys("B", std::nullopt); };
  gate.set_value();
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()))
      << "keys without expiry are never refreshed on time";
  EXPECT_TRUE(cache->invalidate(1));
  ASSERT_TRUE(cache->wait_if_needed(waiters.next()));
  ASSERT_EQ(waiters.futures.back().wait_for(kHangGuard), std::future_status::ready);
  EXPECT_FALSE(waiters.futures.back().get().has_value());
  EXPECT_EQ(key_id(cache->current()), "B");
  // A late ExpiredToken for generation 1 (a call signed before the refresh) changes nothing.
  EXPECT_TRUE(cache->invalidate(1));
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  EXPECT_EQ(fetches.load(), 1);
}

TEST_F(CredentialCacheTest, ExplicitCredentialsAreNeverRefreshed) {
  auto cache = make(keys("A", in(1min)), /*refreshable=*/false);
  clock->shift_wall(2min);
  EXPECT_FALSE(cache->refreshable());
  EXPECT_FALSE(cache->wait_if_needed(waiters.next()));
  EXPECT_FALSE(cache->invalidate(1));
  EXPECT_EQ(key_id(cache->current()), "A");
}

TEST_F(CredentialCacheTest, CloseLeavesNoCallWaiting) {
  auto cache = make(keys("A", in(1h)));
  next_answer = [this] { return keys("B", in(2h)); };
  clock->shift_wall(61min);
  ASSERT_TRUE(cache->wait_if_needed(waiters.next()));
  wait_until_fetching();
  gate.set_value();  // the refresh ends while close() waits for the worker
  cache->close();
  ASSERT_EQ(waiters.futures[0].wait_for(0ms), std::future_status::ready);
  (void)waiters.futures[0].get();  // resumed exactly once, by the refresh or by close()
  EXPECT_FALSE(cache->wait_if_needed(waiters.next())) << "a closed cache never holds a call";
}

TEST_F(CredentialCacheTest, TheLearnedClockOffsetDecidesTheWindows) {
  auto cache = make(keys("A", in(1h)));
  next_answer = [this] { return keys("B", in(2h)); };
  gate.set_value();
  // This machine is 50 minutes slow: by the service's clock only 10 minutes are left.
  const std::string service_date = "Wed, 02 Dec 2026 15:00:00 GMT";
  const auto service_time = *parse_http_date(service_date);
  ASSERT_TRUE(offset->learn(service_date, service_time - 50min));
  EXPECT_EQ(offset->offset(), 50min);
  ASSERT_TRUE(cache->wait_if_needed(waiters.next()));
  ASSERT_EQ(waiters.futures[0].wait_for(kHangGuard), std::future_status::ready);
  EXPECT_EQ(key_id(cache->current()), "B");
}

TEST(ClockOffsetTest, LearnsOnlyASkewOfFiveMinutesOrMore) {
  ClockOffset offset;
  const std::string date = "Wed, 02 Dec 2026 15:00:00 GMT";
  const auto server = *parse_http_date(date);
  EXPECT_FALSE(offset.learn(std::nullopt, server));
  EXPECT_FALSE(offset.learn(std::string("yesterday"), server));
  EXPECT_FALSE(offset.learn(date, server - 4min));
  EXPECT_EQ(offset.offset(), 0ms);
  EXPECT_TRUE(offset.learn(date, server + 1h));  // this machine runs an hour fast
  EXPECT_EQ(offset.offset(), -1h);
  EXPECT_EQ(offset.corrected(server + 1h), server);
  EXPECT_FALSE(offset.learn(date, server + 1h)) << "already corrected";
}

TEST(ClockOffsetTest, SigningTimeErrorsAreTheSdksList) {
  for (const char* type :
       {"InvalidSignatureException", "SignatureDoesNotMatch", "RequestTimeTooSkewed",
        "RequestExpired", "RequestInTheFuture", "AuthFailure"}) {
    EXPECT_TRUE(is_signing_time_error(type)) << type;
  }
  EXPECT_FALSE(is_signing_time_error("ExpiredTokenException"));
  EXPECT_TRUE(is_expired_credentials_error("ExpiredTokenException"));
  EXPECT_TRUE(is_expired_credentials_error("ExpiredToken"));
  EXPECT_FALSE(is_expired_credentials_error("UnrecognizedClientException"));
}

TEST(HttpDateTest, ParsesImfFixdateOnly) {
  const auto parsed = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(format_iso8601(*parsed), "1994-11-06T08:49:37Z");
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC").has_value());
  EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sun, 06 Noz 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("").has_value());
}

}  // namespace
}  // namespace llmm::auth
