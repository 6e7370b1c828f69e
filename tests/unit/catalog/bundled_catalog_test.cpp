// The catalog embedded at build time (data/bedrock_catalog.json) parses, is consistent and has
// the counts scripts/make-bundled-catalog reported.
#include "catalog/bundled_catalog.hpp"
#include "catalog/name_resolver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace llmm::catalog {
namespace {

TEST(BundledCatalogTest, TheEmbeddedFileParsesAndIsConsistent) {
  const Result<CatalogDocument> parsed = catalog_from_json(bundled_catalog_json());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(catalog_inconsistency(parsed->catalog), std::nullopt);
  const CatalogDocument& document = bundled_catalog();
  EXPECT_EQ(document.catalog.models.size(), parsed->catalog.models.size());
  EXPECT_EQ(document.generated_at, "2026-06-17T20:55:22Z");
  EXPECT_NE(document.source.find("bundled"), std::string::npos) << document.source;
  EXPECT_EQ(&bundled_catalog(), &document) << "parsed once";
}

TEST(BundledCatalogTest, HasTheExpectedCounts) {
  const Catalog& catalog = bundled_catalog().catalog;
  std::set<std::string> providers;
  std::set<std::string> regions;
  std::size_t converse = 0;
  for (const ModelInfo& model : catalog.models) {
    providers.insert(model.provider_name);
    regions.insert(model.on_demand_regions.begin(), model.on_demand_regions.end());
    regions.insert(model.profile_only_regions.begin(), model.profile_only_regions.end());
    converse += model.converse ? 1 : 0;
  }
  EXPECT_EQ(catalog.models.size(), 123U);
  EXPECT_EQ(providers.size(), 18U);
  EXPECT_EQ(regions.size(), 17U);
  EXPECT_EQ(catalog.profiles.size(), 108U);
  const auto global =
      std::count_if(catalog.profiles.begin(), catalog.profiles.end(),
                    [](const auto& p) { return p.profile_id.starts_with("global."); });
  EXPECT_EQ(global, 12);
  EXPECT_GT(converse, 80U);
  EXPECT_TRUE(providers.contains("TwelveLabs") && !providers.contains("Twelvelabs"))
      << "provider spellings are unified";
}

TEST(BundledCatalogTest, SortedAndWithThePublicFacts) {
  const Catalog& catalog = bundled_catalog().catalog;
  EXPECT_TRUE(std::is_sorted(catalog.models.begin(), catalog.models.end(),
                             [](const auto& a, const auto& b) { return a.model_id < b.model_id; }));
  EXPECT_TRUE(
      std::is_sorted(catalog.profiles.begin(), catalog.profiles.end(),
                     [](const auto& a, const auto& b) { return a.profile_id < b.profile_id; }));

  const ModelInfo* haiku = catalog.find_model("anthropic.claude-3-haiku-20240307-v1:0");
  ASSERT_NE(haiku, nullptr);
  EXPECT_EQ(haiku->model_name, "Claude 3 Haiku");
  EXPECT_EQ(haiku->provider_name, "Anthropic");
  EXPECT_EQ(haiku->input_modalities, (std::vector<std::string>{"TEXT", "IMAGE"}));
  EXPECT_TRUE(haiku->streaming);
  EXPECT_TRUE(on_demand_in(*haiku, "us-east-1"));
  EXPECT_EQ(haiku->start_of_life, "2024-03-07T00:00:00Z");

  // Profile-only everywhere: reachable only through us./eu./apac./au./jp./global. profiles.
  const ModelInfo* sonnet45 = catalog.find_model("anthropic.claude-sonnet-4-5-20250929-v1:0");
  ASSERT_NE(sonnet45, nullptr);
  EXPECT_TRUE(sonnet45->on_demand_regions.empty());
  EXPECT_EQ(sonnet45->profile_only_regions.size(), 17U);
  const ResolvedModel resolved = resolve_model(catalog, "Claude Sonnet 4.5");
  const auto tokyo = access_in(catalog, resolved, "ap-northeast-1");
  ASSERT_TRUE(tokyo.has_value());
  EXPECT_FALSE(tokyo->direct_id.has_value());
  EXPECT_EQ(tokyo->regional_profile_id, "jp.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(tokyo->global_profile_id, "global.anthropic.claude-sonnet-4-5-20250929-v1:0");

  // The reference's synthetic "us.deepseek.r1-v1:0" entry is the foundation model deepseek.r1.
  const ModelInfo* r1 = catalog.find_model("deepseek.r1-v1:0");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->provider_name, "DeepSeek");
  ASSERT_NE(catalog.find_profile("us.deepseek.r1-v1:0"), nullptr);
  EXPECT_EQ(catalog.find_model("us.deepseek.r1-v1:0"), nullptr);

  const ModelInfo* embed = catalog.find_model("amazon.titan-embed-text-v1");
  ASSERT_NE(embed, nullptr);
  EXPECT_FALSE(embed->converse);
  EXPECT_EQ(embed->output_modalities, std::vector<std::string>{"EMBEDDING"});
}

// From the public "Supported models, regions, and limits" table of Bedrock prompt caching: Claude
// models cache tools, system and messages; Nova models system and messages only.
TEST(BundledCatalogTest, PromptCachingFollowsThePublicTable) {
  const Catalog& catalog = bundled_catalog().catalog;
  const std::vector<std::string> all = {"tools", "system", "messages"};
  const std::vector<std::string> nova = {"system", "messages"};
  const auto parts = [&](std::string_view id) {
    const ModelInfo* model = catalog.find_model(id);
    EXPECT_NE(model, nullptr) << id;
    return model ? model->prompt_caching : std::vector<std::string>{"(missing)"};
  };
  EXPECT_EQ(parts("anthropic.claude-3-7-sonnet-20250219-v1:0"), all);
  EXPECT_EQ(parts("anthropic.claude-3-5-haiku-20241022-v1:0"), all);
  EXPECT_EQ(parts("anthropic.claude-sonnet-4-20250514-v1:0"), all);
  EXPECT_EQ(parts("anthropic.claude-sonnet-4-5-20250929-v1:0"), all);
  EXPECT_EQ(parts("anthropic.claude-haiku-4-5-20251001-v1:0"), all);
  EXPECT_EQ(parts("amazon.nova-lite-v1:0"), nova);
  EXPECT_EQ(parts("amazon.nova-micro-v1:0"), nova);
  EXPECT_EQ(parts("amazon.nova-pro-v1:0"), nova);
  EXPECT_EQ(parts("amazon.nova-premier-v1:0"), nova);
  EXPECT_TRUE(parts("anthropic.claude-3-haiku-20240307-v1:0").empty());
  EXPECT_TRUE(parts("anthropic.claude-3-5-sonnet-20241022-v2:0").empty())
      << "preview accounts only";
  EXPECT_TRUE(parts("meta.llama3-1-8b-instruct-v1:0").empty());
  std::size_t caching = 0;
  for (const ModelInfo& model : catalog.models) {
    if (model.prompt_caching.empty()) continue;
    ++caching;
    EXPECT_TRUE(model.converse) << model.model_id;
    EXPECT_TRUE(model.provider_name == "Anthropic" || model.provider_name == "Amazon")
        << model.model_id;
  }
  EXPECT_EQ(caching, 13U);
}

}  // namespace
}  // namespace llmm::catalog
