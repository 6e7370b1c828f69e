// Prompt caching on Converse / ConverseStream: cache points are refused where the model has no
// caching (or past four); otherwise the longest prefix seen before is read, the rest up to the
// last cache point written, and usage reports both (docs/emulator.md "Prompt caching").
#include "prompt_cache.hpp"
#include "capability_check.hpp"
#include "service_test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

constexpr const char* kClaude35Haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";  // all parts
constexpr const char* kClaude3Haiku = "anthropic.claude-3-haiku-20240307-v1:0";     // no caching
constexpr const char* kNovaLite = "amazon.nova-lite-v1:0";  // system and messages, not tools

const json kCachePoint = {{"cachePoint", {{"type", "default"}}}};
const json kTool = {
    {"toolSpec", {{"name", "lookup"}, {"inputSchema", {{"json", {{"type", "object"}}}}}}}};

// 400 characters of system text: 100 tokens by the emulator's estimate.
std::string system_text(char fill = 's') { return std::string(400, fill); }

// system [text, cachePoint], one user message "hello" (3 + 2 tokens) after it.
json system_cached_body(const std::string& system = system_text(),
                        const std::string& user = "hello") {
  return {{"system", {{{"text", system}}, kCachePoint}},
          {"messages", {{{"role", "user"}, {"content", {{{"text", user}}}}}}}};
}

json usage_of(const ResponsePlan& plan) {
  EXPECT_EQ(plan.status, 200) << plan.body;
  if (plan.status != 200) return json::object();
  return json::parse(plan.body).at("usage");
}

ResponsePlan call(EmulatorService& service, const json& body, const std::string& model,
                  Operation operation = Operation::Converse) {
  return service.handle(converse_request(body.dump(), model, "us-east-1", operation));
}

void expect_usage(const json& usage, std::int64_t input, std::int64_t read, std::int64_t write) {
  EXPECT_EQ(usage.at("inputTokens"), input) << usage;
  EXPECT_EQ(usage.at("cacheReadInputTokens"), read) << usage;
  EXPECT_EQ(usage.at("cacheWriteInputTokens"), write) << usage;
  EXPECT_EQ(usage.at("totalTokens"),
            input + usage.at("outputTokens").get<std::int64_t>() + read + write)
      << "Bedrock's total counts the cached input";
}

void expect_refused(const ResponsePlan& plan, const std::string& message) {
  EXPECT_EQ(plan.status, 400) << plan.body;
  EXPECT_FALSE(plan.streaming);
  EXPECT_EQ(error_type(plan), "ValidationException");
  EXPECT_EQ(error_message(plan), message);
}

TEST(EmulatorPromptCache, FirstWritesTheSameReadsAChangedPrefixWritesAgain) {
  EmulatorService service({});
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 0, 100);
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 100, 0);
  // Only what follows the cache point changed: the prefix is still read.
  expect_usage(usage_of(call(service, system_cached_body(system_text(), "hello again friend"),
                             kClaude35Haiku)),
               8, 100, 0);
  // The prefix changed: a miss, written again; then that one is read.
  expect_usage(usage_of(call(service, system_cached_body(system_text('t')), kClaude35Haiku)), 5, 0,
               100);
  expect_usage(usage_of(call(service, system_cached_body(system_text('t')), kClaude35Haiku)), 5,
               100, 0);
}

TEST(EmulatorPromptCache, WithoutACachePointUsageHasNoCacheFields) {
  EmulatorService service({});
  json body = system_cached_body();
  body["system"].erase(1);
  for (int i = 0; i < 2; ++i) {
    const json usage = usage_of(call(service, body, kClaude35Haiku));
    EXPECT_EQ(usage.at("inputTokens"), 105);
    EXPECT_FALSE(usage.contains("cacheReadInputTokens")) << usage;
    EXPECT_FALSE(usage.contains("cacheWriteInputTokens")) << usage;
    EXPECT_EQ(usage.at("totalTokens"), 105 + usage.at("outputTokens").get<std::int64_t>());
  }
}

TEST(EmulatorPromptCache, EachModelHasItsOwnCache) {
  EmulatorService service({});
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 0, 100);
  expect_usage(usage_of(call(service, system_cached_body(), kNovaLite)), 5, 0, 100);
  expect_usage(usage_of(call(service, system_cached_body(), kNovaLite)), 5, 100, 0);
}

TEST(EmulatorPromptCache, TheLongestPrefixSeenIsReadAndTheRestWritten) {
  EmulatorService service({});
  // Turn one: system cached, and the first user message (3 + 20 tokens) after it.
  json first = system_cached_body(system_text(), std::string(80, 'a'));
  first["messages"][0]["content"].push_back(kCachePoint);
  expect_usage(usage_of(call(service, first, kClaude35Haiku)), 0, 0, 123);
  // Turn two moves the message cache point to its new last user message: the system prefix (100)
  // is read, the messages after it up to the new point (23 + 4 + 4) written.
  json second = system_cached_body(system_text(), std::string(80, 'a'));
  second["messages"].push_back({{"role", "assistant"}, {"content", {{{"text", "ok"}}}}});
  second["messages"].push_back(
      {{"role", "user"}, {"content", {{{"text", "next"}}, kCachePoint, {{"text", "tail text"}}}}});
  expect_usage(usage_of(call(service, second, kClaude35Haiku)), 3, 100, 31);
  // The same again reads all of it.
  expect_usage(usage_of(call(service, second, kClaude35Haiku)), 3, 131, 0);
}

TEST(EmulatorPromptCache, ToolsComeFirstInThePrompt) {
  EmulatorService service({});
  const json tools = {{"tools", {kTool, kCachePoint}}};
  const std::int64_t tool_tokens = static_cast<std::int64_t>((kTool.dump().size() + 3) / 4);
  const std::int64_t config_tokens = static_cast<std::int64_t>((tools.dump().size() + 3) / 4);
  json body = system_cached_body();
  body["toolConfig"] = tools;
  expect_usage(usage_of(call(service, body, kClaude35Haiku)), 5, 0, config_tokens + 100);
  // Another system text: the tools' prefix is still cached, everything after it is written.
  body["system"][0]["text"] = system_text('u');
  expect_usage(usage_of(call(service, body, kClaude35Haiku)), 5, tool_tokens,
               config_tokens + 100 - tool_tokens);
}

TEST(EmulatorPromptCache, AModelWithoutCachingRefusesACachePoint) {
  EmulatorService service({});
  const std::string message = std::string(kNoPromptCaching);
  EXPECT_EQ(message,
            "You invoked an unsupported model or your request did not allow prompt caching. See "
            "the documentation for more information.");
  expect_refused(call(service, system_cached_body(), kClaude3Haiku), message);
  expect_refused(call(service, system_cached_body(), kClaude3Haiku, Operation::ConverseStream),
                 message);
  json in_messages = json::parse(user_text_body("hello"));
  in_messages["messages"][0]["content"].push_back(kCachePoint);
  expect_refused(call(service, in_messages, kClaude3Haiku), message);
  // The same request without the cache point is answered: the cache point is what is refused.
  json plain = system_cached_body();
  plain["system"].erase(1);
  EXPECT_EQ(call(service, plain, kClaude3Haiku).status, 200);
}

TEST(EmulatorPromptCache, NovaRefusesACachePointInToolsButTakesOneInSystem) {
  EmulatorService service({});
  json body = json::parse(user_text_body("hello"));
  body["toolConfig"] = {{"tools", {kTool, kCachePoint}}};
  expect_refused(call(service, body, kNovaLite), std::string(kNoPromptCaching));
  body["toolConfig"]["tools"].erase(1);
  EXPECT_EQ(call(service, body, kNovaLite).status, 200);
  expect_usage(usage_of(call(service, system_cached_body(), kNovaLite)), 5, 0, 100);
  // Claude takes the same tools cache point.
  body["toolConfig"]["tools"].push_back(kCachePoint);
  const json usage = usage_of(call(service, body, kClaude35Haiku));
  EXPECT_GT(usage.at("cacheWriteInputTokens").get<std::int64_t>(), 0) << usage;
}

TEST(EmulatorPromptCache, AtMostFourCachePoints) {
  EmulatorService service({});
  json body = system_cached_body();
  body["system"].push_back({{"text", "more"}});
  body["system"].push_back(kCachePoint);
  body["messages"][0]["content"].push_back(kCachePoint);
  body["messages"].push_back({{"role", "assistant"}, {"content", {{{"text", "ok"}}, kCachePoint}}});
  EXPECT_EQ(call(service, body, kClaude35Haiku).status, 200) << "four are allowed";
  body["messages"].push_back({{"role", "user"}, {"content", {{{"text", "go"}}, kCachePoint}}});
  expect_refused(call(service, body, kClaude35Haiku),
                 "The model returned the following errors: A maximum of 4 blocks with "
                 "cache_control may be provided. Found 5.");
  expect_refused(
      call(service, body, kNovaLite),
      "A request may hold at most 4 cache points (cachePoint blocks); this one holds 5.");
}

TEST(EmulatorPromptCache, ACachePointMustBeWellFormed) {
  EmulatorService service({});
  json body = system_cached_body();
  body["system"][1]["cachePoint"] = json::object();
  expect_refused(call(service, body, kClaude35Haiku),
                 "1 validation error detected: Value null at 'system.2.member.cachePoint.type' "
                 "failed to satisfy constraint: Member must not be null");
  body["system"][1]["cachePoint"] = {{"type", "default"}, {"ttl", "2h"}};
  expect_refused(call(service, body, kClaude35Haiku),
                 "1 validation error detected: Value '2h' at 'system.2.member.cachePoint.ttl' "
                 "failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]");
  body["system"][1]["cachePoint"] = {{"type", "default"}, {"ttl", "1h"}};
  expect_usage(usage_of(call(service, body, kClaude35Haiku)), 5, 0, 100);
  body["system"][1]["cachePoint"] = {{"type", "default"}, {"ttl", "5m"}};
  // The ttl is not part of the prompt: the same prefix is read.
  expect_usage(usage_of(call(service, body, kClaude35Haiku)), 5, 100, 0);
  json tools = json::parse(user_text_body("hello"));
  tools["toolConfig"] = {{"tools", {kTool, {{"cachePoint", {{"type", "ephemeral"}}}}}}};
  expect_refused(call(service, tools, kClaude35Haiku),
                 "1 validation error detected: Value 'ephemeral' at "
                 "'toolConfig.tools.2.member.cachePoint.type' failed to satisfy constraint: "
                 "Member must satisfy enum value set: [default]");
  json message = json::parse(user_text_body("hello"));
  message["messages"][0]["content"].push_back({{"cachePoint", "default"}});
  expect_refused(call(service, message, kClaude35Haiku), std::string(kMalformedInput));
}

TEST(EmulatorPromptCache, ResetForgetsTheCache) {
  EmulatorService service({});
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 0, 100);
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 100, 0);
  service.reset();
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 0, 100);
}

TEST(EmulatorPromptCache, ARefusedOrThrottledRequestWritesNothing) {
  EmulatorService service({});
  // Refused for its fifth cache point: the four valid prefixes it holds are not remembered.
  json five = system_cached_body();
  for (int i = 0; i < 4; ++i) five["messages"][0]["content"].push_back(kCachePoint);
  EXPECT_EQ(call(service, five, kClaude35Haiku).status, 400);
  expect_usage(usage_of(call(service, system_cached_body(), kClaude35Haiku)), 5, 0, 100);

  ASSERT_EQ(
      service.set_quotas(R"({"rules":[{"model":"amazon.nova-lite-v1:0","rpm":1,"burst":60}]})"),
      std::nullopt);
  EXPECT_EQ(call(service, json::parse(user_text_body("use the one request")), kNovaLite).status,
            200);
  EXPECT_EQ(call(service, system_cached_body(), kNovaLite).status, 429);
  service.set_quotas(std::vector<QuotaRule>{});
  // The throttled request wrote nothing.
  expect_usage(usage_of(call(service, system_cached_body(), kNovaLite)), 5, 0, 100);
}

TEST(EmulatorPromptCache, StreamMetadataCarriesTheSameUsage) {
  EmulatorService service({});
  const auto metadata_usage = [&](const json& body) {
    const ResponsePlan plan = call(service, body, kClaude35Haiku, Operation::ConverseStream);
    EXPECT_EQ(plan.status, 200) << plan.body;
    const auto frames = decode_frames(plan);
    EXPECT_FALSE(frames.empty());
    if (frames.empty()) return json::object();
    EXPECT_EQ(frames.back().headers.at(":event-type"), "metadata");
    return json::parse(frames.back().payload).at("usage");
  };
  const json written = metadata_usage(system_cached_body());
  expect_usage(written, 5, 0, 100);
  const json read = metadata_usage(system_cached_body());
  expect_usage(read, 5, 100, 0);
  // Converse answers the same request with the same usage.
  EXPECT_EQ(usage_of(call(service, system_cached_body(), kClaude35Haiku)), read);
}

TEST(EmulatorPromptCache, TheCacheIsBoundedPerModelOldestFirst) {
  PromptCache cache(2);
  const auto point = [](const std::string& prefix, std::int64_t tokens) {
    CachePoint made;
    made.part = "system";
    made.prefix_digest = llmm::auth::sha256(prefix);
    made.prefix_tokens = tokens;
    return std::vector<CachePoint>{made};
  };
  cache.remember("m", point("a", 10));
  cache.remember("m", point("b", 20));
  cache.remember("m", point("c", 30));
  EXPECT_EQ(cache.size("m"), 2U);
  EXPECT_EQ(cache.lookup("m", point("a", 10)).read_tokens, 0) << "the oldest was dropped";
  EXPECT_EQ(cache.lookup("m", point("a", 10)).write_tokens, 10);
  EXPECT_EQ(cache.lookup("m", point("b", 20)).read_tokens, 20);
  EXPECT_EQ(cache.lookup("m", point("c", 30)).read_tokens, 30);
  EXPECT_EQ(cache.lookup("other", point("c", 30)).read_tokens, 0) << "per model";
  cache.clear();
  EXPECT_EQ(cache.size("m"), 0U);
  EXPECT_EQ(PromptCache::kDefaultCapacityPerModel, 10000U);
}

}  // namespace
