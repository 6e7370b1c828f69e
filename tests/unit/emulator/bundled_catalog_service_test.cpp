// The emulator serves the bundled data unless its Options name another catalog (main.cpp:
// --catalog FILE): its control plane lists every bundled model and profile per region, and
// Converse follows the bundled per-region availability.
#include "service_test_support.hpp"

#include "catalog/bundled_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

TEST(EmulatorBundledCatalog, TheDefaultIsTheBundledData) {
  EXPECT_EQ(EmulatorService::Options{}.catalog, &llmm::catalog::bundled_catalog().catalog);
}

TEST(EmulatorBundledCatalog, ListsTheBundledModelsOfTheRegion) {
  EmulatorService service({});
  const auto plan = service.handle(control_request(Operation::ListFoundationModels, "eu-west-3"));
  ASSERT_EQ(plan.status, 200) << plan.body;
  std::set<std::string> ids;
  const json body = json::parse(plan.body);
  for (const json& model : body["modelSummaries"]) {
    ids.insert(model["modelId"].get<std::string>());
  }
  std::size_t expected = 0;
  for (const auto& model : llmm::catalog::bundled_catalog().catalog.models) {
    expected += llmm::catalog::offered_in(model, "eu-west-3") ? 1 : 0;
  }
  EXPECT_EQ(ids.size(), expected) << plan.body.substr(0, 300);
  EXPECT_TRUE(ids.contains("anthropic.claude-opus-4-8"));
  EXPECT_FALSE(ids.contains("ai21.jamba-1-5-large-v1:0")) << "offered in us-east-1 only";
}

TEST(EmulatorBundledCatalog, AnotherCatalogReplacesTheBundledData) {
  llmm::catalog::Catalog catalog;
  llmm::catalog::ModelInfo model;
  model.model_id = "acme.only-v1:0";
  model.model_name = "Only";
  model.provider_name = "Acme";
  model.input_modalities = model.output_modalities = {"TEXT"};
  model.on_demand_regions = {"us-east-1"};
  catalog.models.push_back(model);
  EmulatorService service(EmulatorService::Options{.catalog = &catalog});
  const auto listed = service.handle(control_request(Operation::ListFoundationModels, "us-east-1"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json summaries = json::parse(listed.body)["modelSummaries"];
  ASSERT_EQ(summaries.size(), 1U);
  EXPECT_EQ(summaries[0]["modelId"], "acme.only-v1:0");
  EXPECT_EQ(service.handle(converse_request(user_text_body("hello"), "acme.only-v1:0")).status,
            200);
  EXPECT_EQ(service.handle(converse_request(user_text_body("hello"))).status, 400)
      << "Claude 3 Haiku is not in this catalog";
}

TEST(EmulatorBundledCatalog, ProfilesAndConverseFollowTheBundledData) {
  EmulatorService service({});
  const auto profile = service.handle(control_request(
      Operation::GetInferenceProfile, "ap-northeast-1", "jp.anthropic.claude-sonnet-4-6"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(json::parse(profile.body)["inferenceProfileId"], "jp.anthropic.claude-sonnet-4-6");

  const auto qwen =
      service.handle(converse_request(user_text_body("hello"), "qwen.qwen3-32b-v1:0", "us-west-2"));
  EXPECT_EQ(qwen.status, 200) << qwen.body;
  // Profile-only in the bundled data: the bare id is refused, the profile answers.
  const auto bare = service.handle(converse_request(
      user_text_body("hello"), "anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"));
  EXPECT_EQ(bare.status, 400) << bare.body;
  const auto via_profile = service.handle(converse_request(
      user_text_body("hello"), "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1"));
  EXPECT_EQ(via_profile.status, 200) << via_profile.body;
}

}  // namespace
