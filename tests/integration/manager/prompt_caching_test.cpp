// Automatic prompt caching against the real emulator: where the cache points land (read back
// from the emulator's body log), the cache tokens the emulator reports for them (a write, then
// reads), nothing for a model without caching (also after a failover to it), the fallback when
// a model refuses a cache point, and the cache totals of ManagerStats and ParallelStats.
#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>
#include <llmm/parallel_llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "support/emulator_process.hpp"
#include "support/offline_catalog.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr const char* kCaching = "Claude 3.5 Haiku";  // caches tools, system and messages
constexpr const char* kHaiku = "Claude 3 Haiku";      // no prompt caching

class PromptCachingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "5", "--log-bodies"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->admin_reset(); }

  static LLMManagerOptions options(std::vector<std::string> models, CacheConfig cache) {
    return LLMManagerOptions{.models = std::move(models),
                             .regions = {"us-east-1"},
                             .auth = emulator_->auth_config(),
                             .retry = {.retry_delay = 1ms, .max_retry_delay = 5ms},
                             .catalog = test::offline_catalog(),
                             .cache = std::move(cache)};
  }

  // The Converse bodies the emulator received, in order.
  static std::vector<json> bodies() {
    const json log = json::parse(emulator_->admin_requests())["requests"];
    std::vector<json> out;
    for (const json& entry : log) {
      if (entry.contains("body") && entry["operation"] != "ListFoundationModels") {
        out.push_back(json::parse(entry["body"].get<std::string>()));
      }
    }
    return out;
  }

  static test::EmulatorProcess* emulator_;
};

test::EmulatorProcess* PromptCachingTest::emulator_ = nullptr;

// A system prompt and a long context before a short question.
ConverseRequest long_context_request() {
  ConverseRequest request;
  request.system = {TextBlock{"You answer from the document only."}};
  request.messages.push_back(user_message()
                                 .add_text(std::string(4000, 'd') + " the end of the document")
                                 .add_text("What does it say?")
                                 .build());
  return request;
}

bool is_cache_point(const json& block) { return block.contains("cachePoint"); }

TEST_F(PromptCachingTest, PointsLandInSystemAndMessageAndTheCacheIsWrittenThenRead) {
  const LLMManager manager(options({kCaching}, CacheConfig{.enabled = true, .ttl = "1h"}));
  const BedrockResponse first = manager.converse(long_context_request());
  ASSERT_TRUE(first.ok()) << first.error->describe();
  const BedrockResponse second = manager.converse(long_context_request());
  ASSERT_TRUE(second.ok()) << second.error->describe();

  const auto sent = bodies();
  ASSERT_EQ(sent.size(), 2U);
  const json& body = sent[0];
  ASSERT_EQ(body["system"].size(), 2U);
  EXPECT_EQ(body["system"][1], (json{{"cachePoint", {{"type", "default"}, {"ttl", "1h"}}}}));
  const json& content = body["messages"][0]["content"];
  ASSERT_EQ(content.size(), 3U) << content;
  EXPECT_FALSE(is_cache_point(content[0]));
  EXPECT_TRUE(is_cache_point(content[1])) << "after the document, before the question";
  EXPECT_FALSE(is_cache_point(content[2]));
  EXPECT_EQ(sent[1], sent[0]) << "the same request twice";

  EXPECT_GT(first.usage().cache_write_input_tokens, 0);
  EXPECT_EQ(first.usage().cache_read_input_tokens, 0);
  EXPECT_EQ(second.usage().cache_write_input_tokens, 0);
  EXPECT_EQ(second.usage().cache_read_input_tokens, first.usage().cache_write_input_tokens);
  const auto efficiency = second.cache_efficiency();
  ASSERT_TRUE(efficiency.has_value());
  EXPECT_GT(efficiency->hit_ratio, 0.5);
  EXPECT_EQ(efficiency->tokens_read, second.usage().cache_read_input_tokens);

  const ManagerStats stats = manager.stats();
  EXPECT_EQ(stats.cache_hits, 1U);
  EXPECT_EQ(stats.cache_read_tokens, static_cast<std::uint64_t>(efficiency->tokens_read));
  EXPECT_EQ(stats.cache_write_tokens,
            static_cast<std::uint64_t>(first.usage().cache_write_input_tokens));
  EXPECT_TRUE(first.warnings.empty()) << first.warnings.front();
}

TEST_F(PromptCachingTest, OffByDefaultAndNeverForAModelWithoutCaching) {
  const LLMManager off(options({kCaching}, CacheConfig{}));
  ASSERT_TRUE(off.converse(long_context_request()).ok());
  const LLMManager haiku(options({kHaiku}, CacheConfig{.enabled = true}));
  const BedrockResponse answer = haiku.converse(long_context_request());
  ASSERT_TRUE(answer.ok()) << answer.error->describe();
  for (const json& body : bodies()) {
    EXPECT_EQ(body.dump().find("cachePoint"), std::string::npos) << body;
  }
  EXPECT_FALSE(answer.cache_efficiency() && answer.cache_efficiency()->tokens_read > 0);
}

TEST_F(PromptCachingTest, AFailoverSendsEachTargetWhatItTakes) {
  // The caching model is throttled: the call goes on to one without caching.
  // (By model id and by profile id: the rule matches the id as sent.)
  const std::string busy =
      R"("action":{"type":"error","exception":"ThrottlingException","message":"slow down"})";
  const auto reply = emulator_->admin_put_scenario(
      R"({"rules":[{"name":"caching model busy","match":{"model":"anthropic.claude-3-5-haiku-20241022-v1:0"},)" +
      busy +
      R"(},{"name":"its profile busy","match":{"model":"us.anthropic.claude-3-5-haiku-20241022-v1:0"},)" +
      busy + "}]}");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const LLMManager manager(options({kCaching, kHaiku}, CacheConfig{.enabled = true}));
  const BedrockResponse response = manager.converse(long_context_request());
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_EQ(response.model_name, kHaiku);
  const auto sent = bodies();
  ASSERT_GE(sent.size(), 2U);
  EXPECT_NE(sent.front().dump().find("cachePoint"), std::string::npos)
      << "Claude 3.5 Haiku's had them";
  EXPECT_EQ(sent.back().dump().find("cachePoint"), std::string::npos)
      << "Claude 3 Haiku's had none";
}

TEST_F(PromptCachingTest, AModelThatRefusesACachePointGetsTheRequestWithoutAny) {
  // The caller's own cache point, to a model that takes none: refused, dropped, resent.
  ConverseRequest request = long_context_request();
  request.system.push_back(CachePointBlock{});
  const LLMManager manager(options({kHaiku}, CacheConfig{}));
  const BedrockResponse response = manager.converse(request);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  ASSERT_EQ(response.attempts.size(), 2U);
  EXPECT_EQ(response.attempts[0].decision, AttemptDecision::DropFeature);
  ASSERT_EQ(response.warnings.size(), 1U);
  EXPECT_NE(response.warnings[0].find("Dropped cache points"), std::string::npos)
      << response.warnings[0];
  const auto sent = bodies();
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_NE(sent[0].dump().find("cachePoint"), std::string::npos);
  EXPECT_EQ(sent[1].dump().find("cachePoint"), std::string::npos);

  // Learned: the next call drops them before sending.
  const BedrockResponse again = manager.converse(request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.attempts.size(), 1U);
}

TEST_F(PromptCachingTest, AStreamGetsThePointsAndReportsTheCacheToo) {
  const LLMManager manager(options({kCaching}, CacheConfig{.enabled = true}));
  std::vector<long long> read;
  for (int i = 0; i < 2; ++i) {
    StreamingResponse stream = manager.converse_stream(long_context_request());
    while (stream.next()) {}
    ASSERT_TRUE(stream.response().ok()) << stream.response().error->describe();
    read.push_back(stream.response().usage().cache_read_input_tokens);
  }
  EXPECT_EQ(read[0], 0);
  EXPECT_GT(read[1], 0);
  EXPECT_NE(bodies().front().dump().find("cachePoint"), std::string::npos);
}

TEST_F(PromptCachingTest, ABatchCountsItsCacheHits) {
  ParallelLLMManager batch({.manager = options({kCaching}, CacheConfig{.enabled = true}),
                            .parallel = {.max_concurrent_requests = 1}});
  const std::vector<ConverseRequest> requests(3, long_context_request());
  const ParallelResponse response = batch.converse_parallel(requests);
  ASSERT_TRUE(response.success);
  EXPECT_EQ(response.stats.cache_hits, 2U) << "one write, then two reads";
  const auto efficiency = response.stats.cache_efficiency();
  ASSERT_TRUE(efficiency.has_value());
  EXPECT_GT(efficiency->tokens_read, 0);
  EXPECT_GT(efficiency->tokens_written, 0);
}

}  // namespace
}  // namespace llmm
