// Capability checks on Converse / ConverseStream: what a model cannot take (media modality,
// documents, tools, additionalModelRequestFields keys, anthropic_beta flags) is refused with the
// real service's ValidationException, and a model that has the capability answers.
#include "catalog.hpp"
#include "catalog/bundled_catalog.hpp"
#include "converse_request.hpp"
#include "service_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

constexpr const char* kClaude3Haiku = "anthropic.claude-3-haiku-20240307-v1:0";     // text + image
constexpr const char* kClaude35Haiku = "anthropic.claude-3-5-haiku-20241022-v1:0";  // text only
constexpr const char* kClaude37Sonnet = "anthropic.claude-3-7-sonnet-20250219-v1:0";
constexpr const char* kLondon = "eu-west-2";  // where Claude 3.7 Sonnet is on demand
constexpr const char* kClaudeSonnet4 = "us.anthropic.claude-sonnet-4-20250514-v1:0";
constexpr const char* kNovaLite = "amazon.nova-lite-v1:0";          // text, image, video, documents
constexpr const char* kNovaMicro = "amazon.nova-micro-v1:0";        // text only, no documents
constexpr const char* kLlama31 = "meta.llama3-1-8b-instruct-v1:0";  // tool use
constexpr const char* kLlama32 = "us.meta.llama3-2-3b-instruct-v1:0";  // no tool use
constexpr const char* kMistralLarge = "mistral.mistral-large-2402-v1:0";

const json kImage = {{"image", {{"format", "png"}, {"source", {{"bytes", "iVBORw0KGgo="}}}}}};
const json kVideo = {{"video", {{"format", "mp4"}, {"source", {{"bytes", "AAAAIGZ0eXA="}}}}}};
const json kDocument = {
    {"document", {{"format", "txt"}, {"name", "notes"}, {"source", {{"bytes", "bm90ZXM="}}}}}};
const json kTools = {
    {"tools",
     {{{"toolSpec", {{"name", "lookup"}, {"inputSchema", {{"json", {{"type", "object"}}}}}}}}}}};

std::string with_block(const json& block) {
  return json{{"messages", {{{"role", "user"}, {"content", {{{"text", "look"}}, block}}}}}}.dump();
}

std::string with(const char* member, const json& value) {
  json body = json::parse(user_text_body("hello"));
  body[member] = value;
  return body.dump();
}

ResponsePlan call(const std::string& body, const std::string& model,
                  Operation operation = Operation::Converse,
                  const std::string& region = "us-east-1") {
  EmulatorService service({});
  return service.handle(converse_request(body, model, region, operation));
}

void expect_refused(const ResponsePlan& plan, const std::string& message) {
  EXPECT_EQ(plan.status, 400) << plan.body;
  EXPECT_FALSE(plan.streaming);
  EXPECT_EQ(error_type(plan), "ValidationException");
  EXPECT_EQ(error_message(plan), message);
  EXPECT_EQ(plan.outcome, "400 ValidationException");
}

void expect_answered(const ResponsePlan& plan) { EXPECT_EQ(plan.status, 200) << plan.body; }

std::string modality_message(const std::string& kind) {
  return "This model doesn't support the " + kind +
         " content block that you provided. Try again with a supported modality.";
}

TEST(EmulatorCapabilities, ImageNeedsTheImageModality) {
  expect_refused(call(with_block(kImage), kClaude35Haiku), modality_message("image"));
  expect_refused(call(with_block(kImage), kClaude35Haiku, Operation::ConverseStream),
                 modality_message("image"));
  expect_answered(call(with_block(kImage), kClaude3Haiku));
  expect_answered(call(with_block(kImage), kClaude3Haiku, Operation::ConverseStream));
}

TEST(EmulatorCapabilities, ImageInsideAToolResultCountsToo) {
  const json tool_result = {
      {"toolResult", {{"toolUseId", "t1"}, {"content", {{{"text", "chart"}}, kImage}}}}};
  expect_refused(call(with_block(tool_result), kClaude35Haiku), modality_message("image"));
  expect_answered(call(with_block(tool_result), kClaude3Haiku));
  const json text_result = {{"toolResult", {{"toolUseId", "t1"}, {"content", {{{"text", "ok"}}}}}}};
  expect_answered(call(with_block(text_result), kClaude35Haiku));
}

TEST(EmulatorCapabilities, VideoNeedsTheVideoModality) {
  expect_refused(call(with_block(kVideo), kClaude3Haiku), modality_message("video"));
  expect_answered(call(with_block(kVideo), kNovaLite));
}

TEST(EmulatorCapabilities, DocumentsNeedDocumentChat) {
  expect_refused(call(with_block(kDocument), kNovaMicro), modality_message("document"));
  const json in_tool_result = {{"toolResult", {{"toolUseId", "t1"}, {"content", {kDocument}}}}};
  expect_refused(call(with_block(in_tool_result), kNovaMicro), modality_message("document"));
  expect_answered(call(with_block(kDocument), kNovaLite));
  expect_answered(call(with_block(kDocument), kClaude35Haiku));
}

TEST(EmulatorCapabilities, TheFirstUnsupportedKindInTheRequestIsNamed) {
  const json body = {{"messages", {{{"role", "user"}, {"content", {kDocument, kImage}}}}}};
  expect_refused(call(body.dump(), kNovaMicro), modality_message("document"));
}

TEST(EmulatorCapabilities, ToolConfigNeedsToolUse) {
  expect_refused(call(with("toolConfig", kTools), kLlama32),
                 "This model doesn't support tool use.");
  expect_refused(call(with("toolConfig", kTools), kLlama32, Operation::ConverseStream),
                 "This model doesn't support tool use.");
  expect_answered(call(with("toolConfig", kTools), kLlama31));
  expect_answered(call(user_text_body("no tools"), kLlama32));
}

TEST(EmulatorCapabilities, ToolUseRuleDoesNotOverrideTheRefusal) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"name":"call","action":{"type":"toolUse",
      "name":"lookup","input":{}}}]})"));
  const auto refused = service.handle(converse_request(with("toolConfig", kTools), kLlama32));
  expect_refused(refused, "This model doesn't support tool use.");
  EXPECT_EQ(refused.rule_name, "call");
  const auto called = service.handle(converse_request(with("toolConfig", kTools), kLlama31));
  ASSERT_EQ(called.status, 200) << called.body;
  EXPECT_EQ(json::parse(called.body)["stopReason"], "tool_use");
}

TEST(EmulatorCapabilities, ScriptedErrorRulesStillWin) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"name":"busy","action":{"type":"error",
      "exception":"ThrottlingException","message":"Too many requests"}}]})"));
  const auto plan = service.handle(converse_request(with("toolConfig", kTools), kLlama32));
  EXPECT_EQ(plan.status, 429);
  EXPECT_EQ(error_type(plan), "ThrottlingException");
}

TEST(EmulatorCapabilities, RequestFieldsAreCheckedPerProvider) {
  const std::string top_k = with("additionalModelRequestFields", {{"top_k", 5}});
  expect_refused(
      call(top_k, kLlama31),
      "The model returned the following errors: extraneous key [top_k] is not permitted");
  expect_refused(
      call(top_k, kNovaLite),
      "The model returned the following errors: extraneous key [top_k] is not permitted");
  expect_answered(call(top_k, kClaude3Haiku));
  expect_answered(call(top_k, kMistralLarge));
  expect_answered(
      call(with("additionalModelRequestFields", {{"inferenceConfig", {{"topK", 20}}}}), kNovaLite));
  expect_refused(
      call(with("additionalModelRequestFields", {{"top_k", 5}, {"bogus", true}}), kClaude3Haiku),
      "The model returned the following errors: extraneous key [bogus] is not permitted");
  // Empty or null: nothing to refuse. Not an object: malformed.
  expect_answered(call(with("additionalModelRequestFields", json::object()), kLlama31));
  expect_answered(call(with("additionalModelRequestFields", nullptr), kLlama31));
  expect_refused(call(with("additionalModelRequestFields", json::array()), kLlama31),
                 std::string(kMalformedInput));
}

TEST(EmulatorCapabilities, AnthropicBetaFlagsArePerModel) {
  const auto beta = [](json flags) {
    return with("additionalModelRequestFields", {{"anthropic_beta", flags}});
  };
  const std::string invalid = "The model returned the following errors: invalid beta flag";
  expect_answered(call(beta({"context-1m-2025-08-07"}), kClaudeSonnet4));
  expect_refused(
      call(beta({"context-1m-2025-08-07"}), kClaude37Sonnet, Operation::Converse, kLondon),
      invalid);
  expect_answered(call(beta({"token-efficient-tools-2025-02-19"}), kClaude37Sonnet,
                       Operation::Converse, kLondon));
  expect_refused(call(beta({"token-efficient-tools-2025-02-19"}), kClaudeSonnet4), invalid);
  expect_refused(call(beta({"context-1m-2025-08-07"}), kClaude3Haiku), invalid);
  expect_refused(call(beta({"interleaved-thinking-2025-05-14", "no-such-beta"}), kClaudeSonnet4),
                 invalid);
  expect_answered(call(beta("context-1m-2025-08-07"), kClaudeSonnet4));  // a lone string
  expect_answered(call(beta(json::array()), kClaude3Haiku));
  // Not an Anthropic model: the key itself is refused first.
  expect_refused(call(beta({"context-1m-2025-08-07"}), kNovaLite),
                 "The model returned the following errors: extraneous key [anthropic_beta] is not "
                 "permitted");
}

TEST(EmulatorCapabilities, CatalogFacts) {
  const Catalog& catalog = llmm::catalog::bundled_catalog().catalog;
  std::vector<std::string> without_tools;
  std::vector<std::string> without_documents;
  for (const ModelInfo& model : catalog.models) {
    if (!model.converse) continue;
    if (!model.tool_use) without_tools.push_back(model.model_id);
    if (!model.documents) without_documents.push_back(model.model_id);
    // Llama takes no extra key; Anthropic, Amazon and Mistral models have their native ones.
    if (model.provider_name == "Meta") {
      EXPECT_TRUE(model.request_fields.empty()) << model.model_id;
    }
    if (model.provider_name == "Anthropic" || model.provider_name == "Amazon" ||
        model.provider_name == "Mistral AI") {
      EXPECT_FALSE(model.request_fields.empty()) << model.model_id;
    }
    if (model.provider_name != "Anthropic") {
      EXPECT_TRUE(model.beta_flags.empty()) << model.model_id;
    }
  }
  EXPECT_EQ(without_tools, (std::vector<std::string>{"meta.llama3-2-1b-instruct-v1:0",
                                                     "meta.llama3-2-3b-instruct-v1:0"}));
  EXPECT_EQ(without_documents, std::vector<std::string>{"amazon.nova-micro-v1:0"});
}

}  // namespace
