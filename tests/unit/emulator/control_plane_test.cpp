#include "service_test_support.hpp"

#include "catalog/catalog_types.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

std::set<std::string> model_ids(const ResponsePlan& plan) {
  std::set<std::string> ids;
  const json body = json::parse(plan.body);
  for (const json& model : body["modelSummaries"]) ids.insert(model["modelId"].get<std::string>());
  return ids;
}

TEST(EmulatorControlPlane, ListFoundationModelsPerRegionAndFilters) {
  EmulatorService service({});
  auto all = service.handle(control_request(Operation::ListFoundationModels));
  ASSERT_EQ(all.status, 200);
  const auto east = model_ids(all);
  EXPECT_TRUE(east.contains("anthropic.claude-3-haiku-20240307-v1:0"));
  EXPECT_TRUE(east.contains("meta.llama3-1-8b-instruct-v1:0"));
  EXPECT_FALSE(
      model_ids(service.handle(control_request(Operation::ListFoundationModels, "eu-west-1")))
          .contains("meta.llama3-1-8b-instruct-v1:0"));

  const json summaries = json::parse(all.body)["modelSummaries"];
  for (const json& model : summaries) {
    EXPECT_EQ(model["modelArn"],
              "arn:aws:bedrock:us-east-1::foundation-model/" + model["modelId"].get<std::string>());
    EXPECT_TRUE(model["modelLifecycle"]["status"].is_string());
    if (model["modelId"] == "anthropic.claude-3-haiku-20240307-v1:0") {
      EXPECT_EQ(model["inferenceTypesSupported"], json({"ON_DEMAND", "INFERENCE_PROFILE"}));
    }
    if (model["modelId"] == "anthropic.claude-sonnet-4-20250514-v1:0") {
      EXPECT_EQ(model["inferenceTypesSupported"], json({"INFERENCE_PROFILE"}));
    }
  }

  auto anthropic = model_ids(service.handle(control_request(
      Operation::ListFoundationModels, "us-east-1", "", {{"byProvider", "anthropic"}})));
  EXPECT_FALSE(anthropic.empty());
  for (const auto& id : anthropic) EXPECT_TRUE(id.starts_with("anthropic.")) << id;

  auto embedding = model_ids(service.handle(control_request(
      Operation::ListFoundationModels, "us-east-1", "", {{"byOutputModality", "EMBEDDING"}})));
  EXPECT_TRUE(embedding.contains("amazon.titan-embed-text-v1"));
  EXPECT_TRUE(embedding.contains("cohere.embed-english-v3"));
  for (const auto& id : embedding) EXPECT_NE(id.find("embed"), std::string::npos) << id;
  EXPECT_FALSE(embedding.contains("amazon.nova-pro-v1:0"));

  auto on_demand = model_ids(service.handle(control_request(
      Operation::ListFoundationModels, "us-east-1", "", {{"byInferenceType", "ON_DEMAND"}})));
  EXPECT_FALSE(on_demand.contains("anthropic.claude-sonnet-4-20250514-v1:0"));
  EXPECT_TRUE(on_demand.contains("amazon.nova-pro-v1:0"));

  auto bad = service.handle(control_request(Operation::ListFoundationModels, "us-east-1", "",
                                            {{"byOutputModality", "text"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_type(bad), "ValidationException");
  EXPECT_NE(error_message(bad).find("[TEXT, IMAGE, EMBEDDING]"), std::string::npos);
}

TEST(EmulatorControlPlane, ListFoundationModelsFiltersByCustomization) {
  // The bundled data records no customizations, so this table is built here.
  llmm::catalog::Catalog catalog;
  for (const char* id : {"acme.tunable-v1:0", "acme.fixed-v1:0"}) {
    llmm::catalog::ModelInfo model;
    model.model_id = id;
    model.model_name = id;
    model.provider_name = "Acme";
    model.input_modalities = model.output_modalities = {"TEXT"};
    model.on_demand_regions = {"us-east-1"};
    catalog.models.push_back(model);
  }
  catalog.models[0].customizations = {"FINE_TUNING"};
  EmulatorService service(EmulatorService::Options{.catalog = &catalog});
  EXPECT_EQ(
      model_ids(service.handle(control_request(Operation::ListFoundationModels, "us-east-1", "",
                                               {{"byCustomizationType", "FINE_TUNING"}}))),
      std::set<std::string>{"acme.tunable-v1:0"});
  EXPECT_EQ(model_ids(service.handle(control_request(Operation::ListFoundationModels, "us-east-1")))
                .size(),
            2U);
}

TEST(EmulatorControlPlane, GetFoundationModel) {
  EmulatorService service({});
  auto plan = service.handle(
      control_request(Operation::GetFoundationModel, "us-east-1", "amazon.nova-pro-v1:0"));
  ASSERT_EQ(plan.status, 200);
  EXPECT_EQ(json::parse(plan.body)["modelDetails"]["modelId"], "amazon.nova-pro-v1:0");
  auto by_arn = service.handle(
      control_request(Operation::GetFoundationModel, "us-east-1",
                      "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0"));
  EXPECT_EQ(by_arn.status, 200);
  auto missing =
      service.handle(control_request(Operation::GetFoundationModel, "us-east-1", "acme.x"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_type(missing), "ResourceNotFoundException");
}

TEST(EmulatorControlPlane, ListInferenceProfilesPaginates) {
  EmulatorService service({});
  auto all = service.handle(control_request(Operation::ListInferenceProfiles));
  ASSERT_EQ(all.status, 200);
  const json everything = json::parse(all.body)["inferenceProfileSummaries"];
  EXPECT_FALSE(json::parse(all.body).contains("nextToken"));
  ASSERT_GT(everything.size(), 3u);
  for (const json& profile : everything) {
    EXPECT_EQ(profile["type"], "SYSTEM_DEFINED");
    EXPECT_EQ(profile["status"], "ACTIVE");
    EXPECT_EQ(profile["inferenceProfileArn"],
              "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" +
                  profile["inferenceProfileId"].get<std::string>());
    EXPECT_TRUE(profile["createdAt"].is_string());
    EXPECT_FALSE(profile["models"].empty());
    const std::string id = profile["inferenceProfileId"];
    EXPECT_TRUE(id.starts_with("us.") || id.starts_with("global.")) << id;
  }

  json collected = json::array();
  std::optional<std::string> token;
  int pages = 0;
  do {
    std::vector<std::pair<std::string, std::string>> query = {{"maxResults", "2"}};
    if (token) query.emplace_back("nextToken", *token);
    auto page =
        service.handle(control_request(Operation::ListInferenceProfiles, "us-east-1", "", query));
    ASSERT_EQ(page.status, 200) << page.body;
    const json body = json::parse(page.body);
    EXPECT_LE(body["inferenceProfileSummaries"].size(), 2u);
    for (const json& p : body["inferenceProfileSummaries"]) collected.push_back(p);
    token =
        body.contains("nextToken") ? std::optional<std::string>(body["nextToken"]) : std::nullopt;
    ++pages;
  } while (token && pages < 100);
  EXPECT_EQ(collected, everything);

  for (const char* bad : {"0", "1001", "x", ""}) {
    auto plan = service.handle(
        control_request(Operation::ListInferenceProfiles, "us-east-1", "", {{"maxResults", bad}}));
    EXPECT_EQ(plan.status, 400) << bad;
    EXPECT_EQ(error_type(plan), "ValidationException");
  }
  for (const char* bad : {"garbage", "b2Zmc2V0OjEwMDAw" /* offset:10000 */, "=="}) {
    auto plan = service.handle(
        control_request(Operation::ListInferenceProfiles, "us-east-1", "", {{"nextToken", bad}}));
    EXPECT_EQ(plan.status, 400) << bad;
  }
  auto application = service.handle(control_request(Operation::ListInferenceProfiles, "us-east-1",
                                                    "", {{"type", "APPLICATION"}}));
  EXPECT_TRUE(json::parse(application.body)["inferenceProfileSummaries"].empty());
  EXPECT_EQ(service
                .handle(control_request(Operation::ListInferenceProfiles, "us-east-1", "",
                                        {{"type", "system_defined"}}))
                .status,
            400);
}

TEST(EmulatorControlPlane, GetInferenceProfile) {
  EmulatorService service({});
  const std::string id = "eu.anthropic.claude-3-haiku-20240307-v1:0";
  auto plan = service.handle(control_request(Operation::GetInferenceProfile, "eu-west-1", id));
  ASSERT_EQ(plan.status, 200);
  const json body = json::parse(plan.body);
  EXPECT_EQ(body["inferenceProfileId"], id);
  EXPECT_EQ(body["models"].size(), 3u);  // eu-central-1, eu-west-1, eu-west-3
  auto by_arn = service.handle(
      control_request(Operation::GetInferenceProfile, "eu-west-1",
                      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/" + id));
  EXPECT_EQ(by_arn.status, 200);
  EXPECT_EQ(service.handle(control_request(Operation::GetInferenceProfile, "us-east-1", id)).status,
            404);
  auto missing =
      service.handle(control_request(Operation::GetInferenceProfile, "eu-west-1", "eu.x"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_type(missing), "ResourceNotFoundException");
}

}  // namespace

namespace {

// Bytes that are not UTF-8 in ids, query values and headers still get a typed 4xx, not a 500.
TEST(EmulatorControlPlane, BinaryJunkGetsTypedErrors) {
  using namespace bedrock_emulator;
  using namespace emulator_test;
  EmulatorService service({});
  const std::string junk = "\xff\xfe/\x01:arn:aws:bedrock:";
  for (Operation op : {Operation::GetFoundationModel, Operation::GetInferenceProfile}) {
    auto plan = service.handle(control_request(op, "us-east-1", junk));
    EXPECT_EQ(plan.status, 404);
    EXPECT_TRUE(nlohmann::json::accept(plan.body));
  }
  for (const char* name : {"maxResults", "type", "nextToken"}) {
    auto plan = service.handle(
        control_request(Operation::ListInferenceProfiles, "us-east-1", "", {{name, junk}}));
    EXPECT_EQ(plan.status, 400) << name;
  }
  auto list = service.handle(control_request(Operation::ListFoundationModels, "us-east-1", "",
                                             {{"byOutputModality", junk}}));
  EXPECT_EQ(list.status, 400);
  auto converse = converse_request(user_text_body("x"), junk);
  EXPECT_EQ(service.handle(converse).status, 400);
  converse.content_type = junk;
  EXPECT_EQ(service.handle(converse).status, 400);
  EXPECT_TRUE(service.set_scenario("{\"rules\":\xff}").has_value());
}

}  // namespace
