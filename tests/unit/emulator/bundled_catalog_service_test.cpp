// The emulator serves whichever catalog its Options name (main.cpp: --catalog builtin|bundled):
// with the bundled data, its control plane lists every bundled model and profile per region, and
// Converse follows the bundled per-region availability.
#include "service_test_support.hpp"

#include "catalog/bundled_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

EmulatorService::Options bundled_options() {
  EmulatorService::Options options;
  options.catalog = &llmm::catalog::bundled_catalog().catalog;
  return options;
}

TEST(EmulatorBundledCatalog, ListsTheBundledModelsOfTheRegion) {
  EmulatorService service(bundled_options());
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

  EmulatorService builtin({});
  const auto small = builtin.handle(control_request(Operation::ListFoundationModels, "us-east-1"));
  EXPECT_LT(json::parse(small.body)["modelSummaries"].size(), 20U) << "the default stays builtin";
}

TEST(EmulatorBundledCatalog, ProfilesAndConverseFollowTheBundledData) {
  EmulatorService service(bundled_options());
  const auto profile = service.handle(control_request(
      Operation::GetInferenceProfile, "ap-northeast-1", "jp.anthropic.claude-sonnet-4-6"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(json::parse(profile.body)["inferenceProfileId"], "jp.anthropic.claude-sonnet-4-6");

  const auto qwen = service.handle(
      converse_request(user_text_body("hello"), "qwen.qwen3-32b-v1:0", "us-west-2"));
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
