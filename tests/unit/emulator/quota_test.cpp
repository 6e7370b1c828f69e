// Quotas (docs/emulator.md "Quotas"): the --quota flag and the JSON rules, the token bucket's
// refill exact to the microsecond on an injected clock, the book's admission and counters, and
// the service's ThrottlingException replies. No test sleeps: time moves only when a test says so.
#include "quota_book.hpp"
#include "quota_rules.hpp"
#include "service_test_support.hpp"
#include "token_bucket.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

QuotaRule flag(const std::string& text) {
  auto parsed = parse_quota_flag(text);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << text << ": " << *problem;
    return {};
  }
  return std::get<QuotaRule>(parsed);
}

std::string flag_problem(const std::string& text) {
  auto parsed = parse_quota_flag(text);
  if (std::holds_alternative<QuotaRule>(parsed)) return "(accepted)";
  return std::get<std::string>(parsed);
}

std::string json_problem(const std::string& text) {
  auto parsed = parse_quota_rules_json(text);
  if (std::holds_alternative<std::vector<QuotaRule>>(parsed)) return "(accepted)";
  return std::get<std::string>(parsed);
}

// A monotonic clock that moves only when the test moves it.
struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  QuotaClock seam() {
    return [this] { return now; };
  }
};

// ---------------------------------------------------------------------------------- rules

TEST(QuotaRules, FlagWithEveryLimit) {
  const QuotaRule rule =
      flag("us-east-1:anthropic.claude-3-haiku-20240307-v1:0:rpm=60,tpm=100000,burst=2.5");
  EXPECT_EQ(rule.region, "us-east-1");
  EXPECT_EQ(rule.model, kHaiku);  // the model id keeps its own colon
  EXPECT_EQ(rule.rpm, 60);
  EXPECT_EQ(rule.tpm, 100000);
  EXPECT_EQ(rule.burst, 2500ms);
}

TEST(QuotaRules, FlagDefaults) {
  const QuotaRule rule = flag("*:*:rpm=12000");
  EXPECT_EQ(rule.region, "*");
  EXPECT_EQ(rule.model, "*");
  EXPECT_EQ(rule.rpm, 12000);
  EXPECT_FALSE(rule.tpm);
  EXPECT_EQ(rule.burst, 1s);  // kDefaultQuotaBurst
  EXPECT_EQ(flag("eu-west-1:amazon.nova-lite-v1:0:tpm=5").tpm, 5);
  EXPECT_FALSE(flag("eu-west-1:amazon.nova-lite-v1:0:tpm=5").rpm);
}

TEST(QuotaRules, BadFlagsSayWhatIsWrong) {
  EXPECT_EQ(flag_problem("rpm=5"), "'rpm=5': expected REGION:MODEL:rpm=N,tpm=N[,burst=S]");
  EXPECT_EQ(flag_problem("*:rpm=5"), "'*:rpm=5': expected REGION:MODEL:rpm=N,tpm=N[,burst=S]");
  EXPECT_EQ(flag_problem(":*:rpm=5"), "':*:rpm=5': empty REGION (use * for any)");
  EXPECT_EQ(flag_problem("*::rpm=5"), "'*::rpm=5': empty MODEL (use * for any)");
  EXPECT_EQ(flag_problem("*:*:"), "'*:*:': no limits after the last ':' (rpm=N and/or tpm=N)");
  EXPECT_EQ(flag_problem("*:*:burst=2"), "'*:*:burst=2': needs rpm=N or tpm=N");
  EXPECT_EQ(flag_problem("*:*:rpm=ten"), "'*:*:rpm=ten': rpm 'ten' is not an integer");
  EXPECT_EQ(flag_problem("*:*:rpm=1.5"), "'*:*:rpm=1.5': rpm '1.5' is not an integer");
  EXPECT_EQ(flag_problem("*:*:rpm=0"),
            "'*:*:rpm=0': rpm must be an integer from 1 to 1000000000, not 0");
  EXPECT_EQ(flag_problem("*:*:tpm=-3"),
            "'*:*:tpm=-3': tpm must be an integer from 1 to 1000000000, not -3");
  EXPECT_EQ(flag_problem("*:*:rpm=1,rpm=2"), "'*:*:rpm=1,rpm=2': rpm given twice");
  EXPECT_EQ(flag_problem("*:*:rpm=1,"), "'*:*:rpm=1,': trailing ','");
  EXPECT_EQ(flag_problem("*:*:rpm"), "'*:*:rpm': 'rpm' is not KEY=VALUE");
  EXPECT_EQ(flag_problem("*:*:rps=1"), "'*:*:rps=1': unknown limit 'rps' (rpm, tpm, burst)");
  EXPECT_EQ(flag_problem("*:*:rpm=1,burst=0"),
            "'*:*:rpm=1,burst=0': burst must be seconds from 0.000001 to 3600, not '0'");
  EXPECT_EQ(flag_problem("*:*:rpm=1,burst=3601"),
            "'*:*:rpm=1,burst=3601': burst must be seconds from 0.000001 to 3600, not '3601'");
  EXPECT_EQ(flag_problem("*:*:rpm=1,burst=x"),
            "'*:*:rpm=1,burst=x': burst must be seconds from 0.000001 to 3600, not 'x'");
}

TEST(QuotaRules, JsonRules) {
  auto parsed = parse_quota_rules_json(
      R"({"rules":[{"region":"us-west-2","model":"amazon.nova-lite-v1:0","rpm":10,"tpm":null,"burst":0.5},
                   {"tpm":600}]})");
  ASSERT_TRUE(std::holds_alternative<std::vector<QuotaRule>>(parsed))
      << std::get<std::string>(parsed);
  const auto& rules = std::get<std::vector<QuotaRule>>(parsed);
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0], (QuotaRule{"us-west-2", "amazon.nova-lite-v1:0", 10, std::nullopt, 500ms}));
  EXPECT_EQ(rules[1], (QuotaRule{"*", "*", std::nullopt, 600, 1s}));
  EXPECT_EQ(json_problem(R"({"rules":[]})"), "(accepted)");
}

TEST(QuotaRules, BadJsonSaysWhatIsWrong) {
  EXPECT_EQ(json_problem("{"), "the body is not valid JSON");
  EXPECT_EQ(json_problem("[]"), R"(the body must be a JSON object {"rules": [...]})");
  EXPECT_EQ(json_problem(R"({"rule":[]})"), R"(unknown member 'rule' (only "rules"))");
  EXPECT_EQ(json_problem("{}"), R"("rules" must be an array)");
  EXPECT_EQ(json_problem(R"({"rules":[1]})"), "rules[0] must be an object");
  EXPECT_EQ(json_problem(R"({"rules":[{"rpm":1},{"region":""}]})"),
            R"(rules[1].region must be a non-empty string ("*" for any))");
  EXPECT_EQ(json_problem(R"({"rules":[{"rpm":"5"}]})"), "rules[0].rpm must be an integer or null");
  EXPECT_EQ(json_problem(R"({"rules":[{"rpm":0}]})"),
            "rules[0]: rpm must be an integer from 1 to 1000000000, not 0");
  EXPECT_EQ(json_problem(R"({"rules":[{"rpm":1,"burst":-1}]})"),
            "rules[0]: burst must be seconds from 0.000001 to 3600");
  EXPECT_EQ(json_problem(R"({"rules":[{"rpm":1,"rps":2}]})"),
            "rules[0]: unknown member 'rps' (region, model, rpm, tpm, burst)");
  EXPECT_EQ(json_problem(R"({"rules":[{"region":"*"}]})"), "rules[0] needs rpm or tpm");
}

TEST(QuotaRules, MatchesRegionAndModelOrAny) {
  EXPECT_TRUE(flag("*:*:rpm=1").matches("eu-west-1", kHaiku));
  EXPECT_TRUE(flag("eu-west-1:*:rpm=1").matches("eu-west-1", kHaiku));
  EXPECT_FALSE(flag("eu-west-1:*:rpm=1").matches("us-east-1", kHaiku));
  EXPECT_TRUE(flag(std::string("*:") + kHaiku + ":rpm=1").matches("us-east-1", kHaiku));
  EXPECT_FALSE(
      flag(std::string("*:") + kHaiku + ":rpm=1").matches("us-east-1", "amazon.nova-lite-v1:0"));
}

// ---------------------------------------------------------------------------------- bucket

TEST(TokenBucket, RefillsContinuouslyUpToItsCapacity) {
  FakeClock clock;
  // 60 a minute, 2 s of burst: capacity 2, one back each second.
  TokenBucket bucket(60, 2s, clock.now);
  EXPECT_EQ(bucket.available(), 2);
  ASSERT_TRUE(bucket.can_take(1, clock.now));
  bucket.take(1);
  ASSERT_TRUE(bucket.can_take(1, clock.now));
  bucket.take(1);
  EXPECT_FALSE(bucket.can_take(1, clock.now));
  clock.now += 999'999us;
  EXPECT_FALSE(bucket.can_take(1, clock.now));  // one microsecond short
  clock.now += 1us;
  EXPECT_TRUE(bucket.can_take(1, clock.now));
  EXPECT_EQ(bucket.available(), 1);
  clock.now += 1h;  // never beyond the capacity
  EXPECT_TRUE(bucket.can_take(2, clock.now));
  EXPECT_EQ(bucket.available(), 2);
}

TEST(TokenBucket, SubMicrosecondStepsAddUp) {
  FakeClock clock;
  TokenBucket bucket(60, 1s, clock.now);
  bucket.take(1);
  for (int i = 0; i < 2'000'000; ++i) {  // 2,000,000 * 500 ns = 1 s
    clock.now += 500ns;
    if (i < 1'999'999) {
      ASSERT_FALSE(bucket.can_take(1, clock.now)) << i;
    }
  }
  EXPECT_TRUE(bucket.can_take(1, clock.now));
}

TEST(TokenBucket, MoreThanAFullBucketIsTakenFromAFullOneAndLeavesDebt) {
  FakeClock clock;
  TokenBucket bucket(600, 1s, clock.now);       // capacity 10
  ASSERT_TRUE(bucket.can_take(25, clock.now));  // full: admitted despite the size
  bucket.take(25);
  EXPECT_EQ(bucket.available(), -15);
  clock.now += 2s;                               // +20
  EXPECT_FALSE(bucket.can_take(25, clock.now));  // 5: not full yet
  EXPECT_FALSE(bucket.can_take(6, clock.now));
  EXPECT_TRUE(bucket.can_take(5, clock.now));
  clock.now += 500ms;  // +5: full
  EXPECT_TRUE(bucket.can_take(25, clock.now));
}

TEST(TokenBucket, RefillMakesItFull) {
  FakeClock clock;
  TokenBucket bucket(60, 1s, clock.now);
  bucket.take(1);
  EXPECT_FALSE(bucket.can_take(1, clock.now));
  bucket.refill(clock.now);
  EXPECT_TRUE(bucket.can_take(1, clock.now));
}

// ---------------------------------------------------------------------------------- book

TEST(QuotaBook, AdmitsAtTheRateAndCountsThrottles) {
  FakeClock clock;
  QuotaBook book({flag("*:*:rpm=60,burst=1")}, clock.seam());
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 10), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 10), QuotaVerdict::ThrottledRequests);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 10), QuotaVerdict::ThrottledRequests);
  // Each region and model has its own buckets.
  EXPECT_EQ(book.admit("us-west-2", kHaiku, 10), QuotaVerdict::Admitted);
  clock.now += 1s;
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 10), QuotaVerdict::Admitted);
  const json state = json::parse(book.json());
  EXPECT_EQ(state["rules"],
            json::parse(R"([{"region":"*","model":"*","rpm":60,"tpm":null,"burst":1.0}])"));
  ASSERT_EQ(state["buckets"].size(), 2u);
  EXPECT_EQ(state["buckets"][0],
            json::parse(R"({"region":"us-east-1","model":")" + std::string(kHaiku) +
                        R"(","admitted":2,"throttledRpm":2,"throttledTpm":0,)"
                        R"("requestsAvailable":0,"tokensAvailable":null})"));
  EXPECT_EQ(state["buckets"][1]["region"], "us-west-2");
  EXPECT_EQ(state["buckets"][1]["admitted"], 1);
}

TEST(QuotaBook, TokensThrottleWithoutTakingARequest) {
  FakeClock clock;
  QuotaBook book({flag("*:*:rpm=120,tpm=600,burst=1")}, clock.seam());  // 2 requests, 10 tokens
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 8), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 8), QuotaVerdict::ThrottledTokens);
  // The token throttle took no request: one request and two tokens are left.
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 2), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 0), QuotaVerdict::ThrottledRequests);
  const json bucket = json::parse(book.json())["buckets"][0];
  EXPECT_EQ(bucket["admitted"], 2);
  EXPECT_EQ(bucket["throttledRpm"], 1);
  EXPECT_EQ(bucket["throttledTpm"], 1);
  EXPECT_EQ(bucket["tokensAvailable"], 0);
}

TEST(QuotaBook, FirstMatchingRuleAppliesAndUnmatchedIsUnlimited) {
  FakeClock clock;
  QuotaBook book(
      {flag(std::string("us-east-1:") + kHaiku + ":rpm=60"), flag("us-east-1:*:rpm=120")},
      clock.seam());
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::ThrottledRequests);
  EXPECT_EQ(book.admit("us-east-1", "amazon.nova-lite-v1:0", 1), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", "amazon.nova-lite-v1:0", 1), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", "amazon.nova-lite-v1:0", 1), QuotaVerdict::ThrottledRequests);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(book.admit("eu-west-1", kHaiku, 1), QuotaVerdict::Unlimited);
  EXPECT_EQ(json::parse(book.json())["buckets"].size(), 2u);  // the unlimited pair has none
}

TEST(QuotaBook, RefillKeepsRulesAndZeroesCounters) {
  FakeClock clock;
  QuotaBook book({flag("*:*:rpm=60")}, clock.seam());
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::Admitted);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::ThrottledRequests);
  book.refill();
  json state = json::parse(book.json());
  EXPECT_EQ(state["rules"].size(), 1u);
  EXPECT_EQ(state["buckets"][0]["admitted"], 0);
  EXPECT_EQ(state["buckets"][0]["throttledRpm"], 0);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::Admitted);
  // New rules: new, full buckets.
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::ThrottledRequests);
  book.set_rules({flag("*:*:rpm=60")});
  EXPECT_EQ(json::parse(book.json())["buckets"].size(), 0u);
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::Admitted);
  book.set_rules({});
  EXPECT_EQ(book.admit("us-east-1", kHaiku, 1), QuotaVerdict::Unlimited);
}

TEST(QuotaBook, ConcurrentAdmissionsNeverExceedTheBucket) {
  FakeClock clock;  // time stands still: exactly the capacity is admitted, however threads race
  QuotaBook book({flag("*:*:rpm=60,tpm=6000,burst=100")},
                 clock.seam());  // 100 requests, 10,000 tokens
  std::atomic<int> admitted{0};
  std::atomic<int> throttled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        const QuotaVerdict verdict = book.admit("us-east-1", kHaiku, 50);
        (verdict == QuotaVerdict::Admitted ? admitted : throttled).fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(admitted.load(), 100);
  EXPECT_EQ(throttled.load(), 300);
  const json bucket = json::parse(book.json())["buckets"][0];
  EXPECT_EQ(bucket["admitted"], 100);
  EXPECT_EQ(bucket["throttledRpm"], 300);
  EXPECT_EQ(bucket["tokensAvailable"], 5000);
}

// ---------------------------------------------------------------------------------- service

TEST(QuotaService, ThrottledConverseIsBedrocksThrottlingException) {
  FakeClock clock;
  EmulatorService service({.quotas = {flag("*:*:rpm=60,burst=1")}, .quota_clock = clock.seam()});
  const auto request = converse_request(user_text_body("hello world"));
  EXPECT_EQ(service.handle(request).status, 200);
  for (int i = 0; i < 2; ++i) {
    const ResponsePlan plan = service.handle(request);
    EXPECT_EQ(plan.status, 429);
    EXPECT_EQ(header(plan, "x-amzn-ErrorType"),
              "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    EXPECT_EQ(json::parse(plan.body),
              json::parse(R"({"message":"Too many requests, please wait before trying again."})"));
    EXPECT_EQ(plan.outcome, "429 ThrottlingException");
    EXPECT_EQ(plan.rule_name, "quota:rpm");
    EXPECT_EQ(plan.model_id, kHaiku);
  }
  // ConverseStream draws on the same bucket, and is refused before any event.
  const ResponsePlan stream = service.handle(converse_request(
      user_text_body("hello world"), kHaiku, "us-east-1", Operation::ConverseStream));
  EXPECT_EQ(stream.status, 429);
  EXPECT_FALSE(stream.streaming);
  clock.now += 1s;
  EXPECT_EQ(service.handle(request).status, 200);
  const json bucket = json::parse(service.quotas_json())["buckets"][0];
  EXPECT_EQ(bucket["admitted"], 2);
  EXPECT_EQ(bucket["throttledRpm"], 3);
}

TEST(QuotaService, TokensAreTheAnswersInputPlusOutput) {
  FakeClock clock;
  // "hello world": 6 input tokens (3 per message + ceil(11 / 4)), 2 output (echo): 8 a call.
  EmulatorService service(
      {.quotas = {flag("*:*:tpm=960,burst=1")}, .quota_clock = clock.seam()});  // 16
  const auto request = converse_request(user_text_body("hello world"));
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(service.handle(request).status, 200);
  const ResponsePlan plan = service.handle(request);
  EXPECT_EQ(plan.status, 429);
  EXPECT_EQ(json::parse(plan.body)["message"], "Too many tokens, please wait before trying again.");
  EXPECT_EQ(plan.rule_name, "quota:tpm");
  clock.now += 500ms;  // 8 tokens back
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(json::parse(service.quotas_json())["buckets"][0]["tokensAvailable"], 0);
}

TEST(QuotaService, ProfilesCountAgainstTheirModel) {
  FakeClock clock;
  EmulatorService service({.quotas = {flag(std::string("us-east-1:") + kHaiku + ":rpm=60")},
                           .quota_clock = clock.seam()});
  EXPECT_EQ(service.handle(converse_request(user_text_body("a"), kHaiku)).status, 200);
  const ResponsePlan plan =
      service.handle(converse_request(user_text_body("a"), std::string("us.") + kHaiku));
  EXPECT_EQ(plan.status, 429) << plan.body;
  EXPECT_EQ(json::parse(service.quotas_json())["buckets"].size(), 1u);
}

TEST(QuotaService, InvalidRequestsAndScenarioErrorsTakeNothing) {
  FakeClock clock;
  EmulatorService service({.quotas = {flag("*:*:rpm=60")}, .quota_clock = clock.seam()});
  EXPECT_EQ(service.handle(converse_request("{}")).status, 400);
  EXPECT_EQ(service.handle(converse_request(user_text_body("a"), "no.such-model")).status, 400);
  ASSERT_FALSE(service.set_scenario(
      R"({"rules":[{"name":"once","match":{"calls":[1]},"action":{"type":"error","exception":"InternalServerException"}}]})"));
  EXPECT_EQ(service.handle(converse_request(user_text_body("a"))).status, 500);
  EXPECT_EQ(service.handle(converse_request(user_text_body("a"))).status, 200);
}

TEST(QuotaService, ResetRefillsAndSetQuotasReplaces) {
  FakeClock clock;
  EmulatorService service({.quotas = {flag("*:*:rpm=60")}, .quota_clock = clock.seam()});
  const auto request = converse_request(user_text_body("a"));
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(service.handle(request).status, 429);
  service.reset();
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(json::parse(service.quotas_json())["buckets"][0]["admitted"], 1);
  EXPECT_EQ(service.set_quotas(R"({"rules":[{"rpm":"x"}]})"),
            "rules[0].rpm must be an integer or null");
  EXPECT_EQ(service.handle(request).status, 429);  // the old rules stay
  EXPECT_FALSE(service.set_quotas(R"({"rules":[]})"));
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(service.handle(request).status, 200);
}

}  // namespace
