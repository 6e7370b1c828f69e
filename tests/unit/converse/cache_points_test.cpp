// Automatic cache points: where each strategy puts them (the seed's rules over its token
// estimate), Bedrock's four a request, the parts a model caches, taking them out again, the
// configuration's checks and the efficiency read from a usage.
#include "converse/cache_points.hpp"
#include "converse/request_adaptation.hpp"
#include "engine/fault_triage.hpp"

#include <llmm/cache_config.hpp>
#include <llmm/cache_efficiency.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace llmm::converse {
namespace {

// A text block of about `tokens` estimated tokens (4 characters each).
ContentBlock text_of(long long tokens) {
  return TextBlock{std::string(static_cast<std::size_t>(tokens * 4), 'x')};
}
ContentBlock image() { return ImageBlock{"png", std::string("\x89PNG", 4), std::nullopt}; }

// Where the points are in a message: the indexes of its cache point blocks.
std::vector<std::size_t> points_in(const Message& message) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < message.content.size(); ++i) {
    if (std::holds_alternative<CachePointBlock>(message.content[i])) at.push_back(i);
  }
  return at;
}

ConverseRequest one_message(std::vector<ContentBlock> blocks) {
  ConverseRequest request;
  request.messages.push_back(Message{Role::User, std::move(blocks)});
  return request;
}

constexpr CacheableParts kAll{true, true, true};

CacheConfig enabled(CacheStrategy strategy = CacheStrategy::Conservative) {
  CacheConfig config;
  config.enabled = true;
  config.strategy = strategy;
  return config;
}

TEST(CachePointsTest, TheTokenEstimateIsTheSeeds) {
  EXPECT_EQ(estimated_tokens(TextBlock{std::string(401, 'a')}), 100);
  EXPECT_EQ(estimated_tokens(image()), 450);
  EXPECT_EQ(estimated_tokens(DocumentBlock{}), 1000);
  EXPECT_EQ(estimated_tokens(VideoBlock{}), 2000);
  EXPECT_EQ(estimated_tokens(CachePointBlock{}), 10);
}

TEST(CachePointsTest, ConservativeCachesALongContextBeforeAShortQuestion) {
  ConverseRequest request = one_message({text_of(200), text_of(2)});
  EXPECT_EQ(insert_cache_points(request, enabled(), kAll), 1U);
  EXPECT_EQ(points_in(request.messages[0]), std::vector<std::size_t>{1});
  EXPECT_EQ(request.messages[0].content.size(), 3U);
}

TEST(CachePointsTest, ConservativeWaitsForEightyPercentAndNeverPlacesAfterTheLastBlock) {
  // 200 + 200 + 200: after the first, 400 follow and 200 is not over 80 %; after the second,
  // 200 follow and 400 is not over 480; the third is the last block.
  ConverseRequest even = one_message({text_of(200), text_of(200), text_of(200)});
  EXPECT_EQ(insert_cache_points(even, enabled(), kAll), 0U);
  // 900 of 1,000 before the last block: over 80 %.
  ConverseRequest heavy = one_message({text_of(100), text_of(800), text_of(100)});
  EXPECT_EQ(insert_cache_points(heavy, enabled(), kAll), 1U);
  EXPECT_EQ(points_in(heavy.messages[0]), std::vector<std::size_t>{2});
  ConverseRequest single = one_message({text_of(5000)});
  EXPECT_EQ(insert_cache_points(single, enabled(), kAll), 0U);
  ConverseRequest small = one_message({text_of(50), text_of(2)});
  EXPECT_EQ(insert_cache_points(small, enabled(), kAll), 0U) << "under the threshold";
}

TEST(CachePointsTest, AggressiveCachesEachLargeBlockPastItsBar) {
  // The bar is max(500, 100 / 2) = 500: the 600-token text, then (the total starting again)
  // the document; the image alone (450) is under it; never after the last block.
  ConverseRequest request =
      one_message({text_of(600), image(), DocumentBlock{}, text_of(10), text_of(700)});
  EXPECT_EQ(insert_cache_points(request, enabled(CacheStrategy::Aggressive), kAll), 2U);
  EXPECT_EQ(points_in(request.messages[0]), (std::vector<std::size_t>{1, 4}));
}

TEST(CachePointsTest, CustomCachesEveryImageOrEachTextRun) {
  CacheConfig images = enabled(CacheStrategy::Custom);
  images.custom_rules.cache_all_images = true;
  images.custom_rules.cache_text_blocks_over = 100000;
  ConverseRequest request = one_message({image(), image(), text_of(3)});
  EXPECT_EQ(insert_cache_points(request, images, kAll), 2U);
  EXPECT_EQ(points_in(request.messages[0]), (std::vector<std::size_t>{1, 3}));

  CacheConfig runs = enabled(CacheStrategy::Custom);
  runs.custom_rules.cache_text_blocks_over = 50;
  ConverseRequest texts = one_message({text_of(30), text_of(30), text_of(60), text_of(1)});
  EXPECT_EQ(insert_cache_points(texts, runs, kAll), 2U);
  EXPECT_EQ(points_in(texts.messages[0]), (std::vector<std::size_t>{2, 4}));

  // No rule set: Conservative.
  ConverseRequest plain = one_message({text_of(200), text_of(2)});
  EXPECT_EQ(insert_cache_points(plain, enabled(CacheStrategy::Custom), kAll), 1U);
}

TEST(CachePointsTest, ToolsAndSystemGetOneAtTheirEndWithTheTtl) {
  ConverseRequest request = one_message({text_of(2)});
  request.system = {TextBlock{"You are terse."}};
  request.tool_config =
      ToolConfiguration{{ToolSpecification{"lookup", "", JsonValue::object()}}, {}};
  CacheConfig config = enabled();
  config.ttl = "1h";
  EXPECT_EQ(insert_cache_points(request, config, kAll), 2U);
  ASSERT_EQ(request.system.size(), 2U);
  EXPECT_EQ(std::get<CachePointBlock>(request.system[1]).ttl, "1h");
  ASSERT_EQ(request.tool_config->tools.size(), 2U);
  EXPECT_TRUE(std::holds_alternative<CachePointBlock>(request.tool_config->tools[1]));
  EXPECT_EQ(count_cache_points(request), 2U);
  // Again: each part already holds one.
  EXPECT_EQ(insert_cache_points(request, config, kAll), 0U);
}

TEST(CachePointsTest, OnlyThePartsTheModelCachesAndOnlyWhenEnabled) {
  ConverseRequest request = one_message({text_of(200), text_of(2)});
  request.system = {TextBlock{"s"}};
  request.tool_config = ToolConfiguration{{ToolSpecification{"t", "", JsonValue::object()}}, {}};
  ConverseRequest off = request;
  EXPECT_EQ(insert_cache_points(off, CacheConfig{}, kAll), 0U) << "disabled by default";
  ConverseRequest none = request;
  EXPECT_EQ(insert_cache_points(none, enabled(), CacheableParts{}), 0U);
  ConverseRequest nova = request;  // system and messages, not tools
  EXPECT_EQ(insert_cache_points(nova, enabled(), {false, true, true}), 2U);
  EXPECT_EQ(nova.tool_config->tools.size(), 1U);
  CacheConfig no_system = enabled();
  no_system.cache_system = false;
  ConverseRequest kept = request;
  EXPECT_EQ(insert_cache_points(kept, no_system, kAll), 2U);
  EXPECT_EQ(kept.system.size(), 1U);
}

TEST(CachePointsTest, AtMostFourARequestTheCallersFirstThenTheLatestMessages) {
  ConverseRequest request;
  for (int i = 0; i < 6; ++i) {
    request.messages.push_back(
        Message{i % 2 == 0 ? Role::User : Role::Assistant, {text_of(200), text_of(2)}});
  }
  request.system = {TextBlock{"s"}, CachePointBlock{}};  // the caller's own
  EXPECT_EQ(insert_cache_points(request, enabled(), kAll), 3U);
  EXPECT_EQ(count_cache_points(request), kMaxCachePoints);
  for (std::size_t m = 0; m < 3; ++m) EXPECT_TRUE(points_in(request.messages[m]).empty()) << m;
  for (std::size_t m = 3; m < 6; ++m) EXPECT_EQ(points_in(request.messages[m]).size(), 1U) << m;

  ConverseRequest full = one_message({text_of(200), text_of(2)});
  full.system = {CachePointBlock{}, CachePointBlock{}, CachePointBlock{}, CachePointBlock{}};
  EXPECT_EQ(insert_cache_points(full, enabled(), kAll), 0U);
}

TEST(CachePointsTest, RemovedEverywhereAndAdaptationDropsThem) {
  ConverseRequest request = one_message({text_of(200), text_of(2)});
  request.system = {TextBlock{"s"}};
  request.tool_config = ToolConfiguration{{ToolSpecification{"t", "", JsonValue::object()}}, {}};
  ASSERT_EQ(insert_cache_points(request, enabled(), kAll), 3U);
  EXPECT_TRUE(carries(request, engine::RejectedFeature::CachePoints));

  Adaptation drop;
  drop.drop_features.insert(engine::RejectedFeature::CachePoints);
  const auto adapted = adapt(request, drop);
  ASSERT_TRUE(adapted.has_value());
  EXPECT_EQ(count_cache_points(adapted->request), 0U);
  EXPECT_EQ(adapted->dropped, std::vector<std::string>{"cache points"});
  EXPECT_EQ(adapted->request.messages[0].content.size(), 2U);
  EXPECT_EQ(adapted->request.tool_config->tools.size(), 1U);

  ConverseRequest copy = request;
  EXPECT_EQ(remove_cache_points(copy), 3U);
  EXPECT_FALSE(carries(copy, engine::RejectedFeature::CachePoints));
}

TEST(CachePointsTest, ARefusedCachePointIsAFeatureToDrop) {
  for (const char* message :
       {"You invoked an unsupported model or your request did not allow prompt caching. See the "
        "documentation for more information.",
        "Prompt caching is not supported for this model.", "The model doesn't support caching",
        "cachePoint is not supported in toolConfig"}) {
    const auto verdict = engine::triage(Error{ErrorCode::InvalidArgument, message, 400});
    EXPECT_EQ(verdict.fault, engine::Fault::Feature) << message;
    EXPECT_EQ(verdict.feature, engine::RejectedFeature::CachePoints) << message;
  }
  const auto tools = engine::triage(
      Error{ErrorCode::InvalidArgument, "This model doesn't support tool use.", 400});
  EXPECT_EQ(tools.feature, engine::RejectedFeature::Tools);
}

TEST(CacheConfigTest, ValidateNamesTheField) {
  EXPECT_NO_THROW(CacheConfig{}.validate());
  CacheConfig negative;
  negative.cache_point_threshold = -1;
  EXPECT_THROW(negative.validate(), std::invalid_argument);
  CacheConfig ttl;
  ttl.ttl = "10m";
  try {
    ttl.validate();
    FAIL() << "10m accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("CacheConfig.ttl"), std::string::npos);
  }
  CacheConfig rule;
  rule.custom_rules.cache_text_blocks_over = -5;
  EXPECT_THROW(rule.validate(), std::invalid_argument);
  EXPECT_EQ(to_string(CacheStrategy::Aggressive), "aggressive");
}

TEST(CacheEfficiencyTest, TheShareOfThePromptReadFromTheCache) {
  TokenUsage usage;
  usage.input_tokens = 1000;
  usage.cache_read_input_tokens = 500;
  usage.cache_write_input_tokens = 500;
  const auto efficiency = cache_efficiency(usage);
  ASSERT_TRUE(efficiency.has_value());
  EXPECT_DOUBLE_EQ(efficiency->hit_ratio, 0.25);
  EXPECT_EQ(efficiency->tokens_read, 500);
  EXPECT_EQ(efficiency->tokens_written, 500);
  EXPECT_EQ(efficiency->tokens_saved, 500);
  EXPECT_FALSE(cache_efficiency(TokenUsage{}).has_value());
}

}  // namespace
}  // namespace llmm::converse
