#include "service_test_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

json body_of(const ResponsePlan& plan) { return json::parse(plan.body); }

TEST(EmulatorConverse, EchoRepeatsTheLastUserText) {
  EmulatorService service({});
  const json request = {
      {"messages",
       {{{"role", "user"}, {"content", {{{"text", "first"}}}}},
        {{"role", "assistant"}, {"content", {{{"text", "ok"}}}}},
        {{"role", "user"},
         {"content",
          {{{"text", "Describe this"}},
           {{"image", {{"format", "png"}, {"source", {{"bytes", "iVBORw0KGgo="}}}}}}}}}}}};
  auto plan = service.handle(converse_request(request.dump()));
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(header(plan, "Content-Type"), "application/json");
  EXPECT_EQ(plan.model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  const json body = body_of(plan);
  EXPECT_EQ(body["output"]["message"]["role"], "assistant");
  EXPECT_EQ(body["output"]["message"]["content"][0]["text"], "Describe this [image png 8 bytes]");
  EXPECT_EQ(body["stopReason"], "end_turn");
  EXPECT_EQ(body["usage"]["outputTokens"], 6);  // Describe this [image png 8 bytes]
  EXPECT_GT(body["usage"]["inputTokens"].get<int>(), 9);
  EXPECT_EQ(body["usage"]["totalTokens"].get<int>(),
            body["usage"]["inputTokens"].get<int>() + body["usage"]["outputTokens"].get<int>());
  EXPECT_TRUE(body["metrics"]["latencyMs"].is_number_integer());
}

TEST(EmulatorConverse, InputTokensFollowTheDocumentedEstimate) {
  EmulatorService service({});
  // 3 per message + ceil(11 / 4) = 3 + 3.
  auto plan = service.handle(converse_request(user_text_body("hello world")));
  EXPECT_EQ(body_of(plan)["usage"]["inputTokens"], 6);
}

TEST(EmulatorConverse, MaxTokensTruncates) {
  EmulatorService service({});
  const json request = {
      {"messages", {{{"role", "user"}, {"content", {{{"text", "one two three four five"}}}}}}},
      {"inferenceConfig", {{"maxTokens", 2}}}};
  const json body = body_of(service.handle(converse_request(request.dump())));
  EXPECT_EQ(body["output"]["message"]["content"][0]["text"], "one two");
  EXPECT_EQ(body["stopReason"], "max_tokens");
  EXPECT_EQ(body["usage"]["outputTokens"], 2);
}

TEST(EmulatorConverse, GenerateIsDeterministic) {
  EmulatorService a({.seed = 5, .mode = AnswerMode::Generate});
  EmulatorService b({.seed = 5, .mode = AnswerMode::Generate});
  EmulatorService c({.seed = 6, .mode = AnswerMode::Generate});
  const auto request = converse_request(user_text_body("tell me something"));
  const std::string first = a.handle(request).body;
  EXPECT_EQ(first, b.handle(request).body);
  EXPECT_EQ(first, a.handle(request).body);
  EXPECT_NE(first, c.handle(request).body);
  EXPECT_NE(first, a.handle(converse_request(user_text_body("something else"))).body);
  const json body = json::parse(first);
  const std::string text = body["output"]["message"]["content"][0]["text"];
  EXPECT_FALSE(text.empty());
  EXPECT_GE(body["usage"]["outputTokens"].get<int>(), 8);
}

TEST(EmulatorConverse, ScenarioModeOverridesTheService) {
  EmulatorService service({.seed = 5, .mode = AnswerMode::Generate});
  ASSERT_FALSE(service.set_scenario(R"({"mode":"echo"})"));
  const json body = body_of(service.handle(converse_request(user_text_body("parrot"))));
  EXPECT_EQ(body["output"]["message"]["content"][0]["text"], "parrot");
}

TEST(EmulatorConverse, LatencyModelSetsDelayAndMetrics) {
  EmulatorService service({});
  ASSERT_FALSE(
      service.set_scenario(R"({"latency":{"timeToFirstTokenMs":100,"tokensPerSecond":10}})"));
  auto plan = service.handle(converse_request(user_text_body("a b c d")));
  EXPECT_EQ(plan.delay_before_headers, std::chrono::milliseconds(500));
  EXPECT_EQ(body_of(plan)["metrics"]["latencyMs"], 500);
}

json tool_request() {
  return {{"messages", {{{"role", "user"}, {"content", {{{"text", "weather in Paris?"}}}}}}},
          {"toolConfig",
           {{"tools",
             {{{"toolSpec",
                {{"name", "get_weather"}, {"inputSchema", {{"json", {{"type", "object"}}}}}}}}}}}}};
}

TEST(EmulatorConverse, ToolUseActionAnswersWithAToolCall) {
  EmulatorService service({.seed = 3});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"action":{"type":"toolUse","name":"get_weather",
      "input":{"city":"Paris"}}}]})"));
  auto plan = service.handle(converse_request(tool_request().dump()));
  ASSERT_EQ(plan.status, 200) << plan.body;
  const json body = body_of(plan);
  EXPECT_EQ(body["stopReason"], "tool_use");
  const json& tool = body["output"]["message"]["content"][0]["toolUse"];
  EXPECT_EQ(tool["name"], "get_weather");
  EXPECT_EQ(tool["input"], json({{"city", "Paris"}}));
  const std::string id = tool["toolUseId"];
  EXPECT_TRUE(id.starts_with("tooluse_"));
  EXPECT_EQ(id.size(), 30u);
  EXPECT_EQ(
      id, body_of(service.handle(converse_request(
              tool_request().dump())))["output"]["message"]["content"][0]["toolUse"]["toolUseId"]);

  // Without a toolConfig the rule has nothing to call: a normal answer.
  EXPECT_EQ(body_of(service.handle(converse_request(user_text_body("hi"))))["stopReason"],
            "end_turn");
}

TEST(EmulatorConverse, ToolUseOfAnUndeclaredToolIsAValidationError) {
  EmulatorService service({});
  ASSERT_FALSE(
      service.set_scenario(R"({"rules":[{"action":{"type":"toolUse","name":"missing"}}]})"));
  auto plan = service.handle(converse_request(tool_request().dump()));
  EXPECT_EQ(plan.status, 400);
  EXPECT_EQ(error_type(plan), "ValidationException");
  EXPECT_NE(error_message(plan).find("missing"), std::string::npos);
}

TEST(EmulatorConverse, ProfileOnlyModelGetsTheRealWording) {
  EmulatorService service({});
  const std::string id = "meta.llama3-2-3b-instruct-v1:0";  // profile-only in us-east-1
  auto plan = service.handle(converse_request(user_text_body("hi"), id));
  EXPECT_EQ(plan.status, 400);
  EXPECT_EQ(error_type(plan), "ValidationException");
  EXPECT_EQ(
      error_message(plan),
      "Invocation of model ID meta.llama3-2-3b-instruct-v1:0 with on-demand "
      "throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference "
      "profile that contains this model.");
  // Through its profile, or the profile's ARN, it works.
  auto via_profile = service.handle(converse_request(user_text_body("hi"), "us." + id));
  EXPECT_EQ(via_profile.status, 200);
  EXPECT_EQ(via_profile.model_id, id);
  auto via_arn = service.handle(converse_request(
      user_text_body("hi"), "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us." + id));
  EXPECT_EQ(via_arn.status, 200);
  // Sonnet 4 is profile-only everywhere; global. works from us-east-1, not from eu-central-1.
  const std::string sonnet4 = "anthropic.claude-sonnet-4-20250514-v1:0";
  EXPECT_EQ(service.handle(converse_request(user_text_body("hi"), sonnet4, "eu-west-1")).status,
            400);
  EXPECT_EQ(service.handle(converse_request(user_text_body("hi"), "global." + sonnet4)).status,
            200);
  EXPECT_EQ(
      service.handle(converse_request(user_text_body("hi"), "global." + sonnet4, "eu-central-1"))
          .status,
      400);
  EXPECT_EQ(service.handle(converse_request(user_text_body("hi"), "eu." + sonnet4, "eu-central-1"))
                .status,
            200);
}

TEST(EmulatorConverse, UnknownOrUnofferedModel) {
  EmulatorService service({});
  for (auto [model, region] : std::vector<std::pair<std::string, std::string>>{
           {"acme.nothing-v1:0", "us-east-1"},
           {"meta.llama3-1-8b-instruct-v1:0", "eu-west-1"},  // not offered there
           {"us.amazon.nova-lite-v1:0", "eu-west-1"},        // profile of another geography
           {"arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.amazon.nova-lite-v1:0",
            "us-east-1"}}) {
    auto plan = service.handle(converse_request(user_text_body("hi"), model, region));
    EXPECT_EQ(plan.status, 400) << model;
    EXPECT_EQ(error_type(plan), "ValidationException");
    EXPECT_EQ(error_message(plan), "The provided model identifier is invalid.");
  }
  auto embed = service.handle(converse_request(user_text_body("hi"), "amazon.titan-embed-text-v1"));
  EXPECT_EQ(embed.status, 400);
  EXPECT_NE(error_message(embed).find("doesn't support the model"), std::string::npos);
}

TEST(EmulatorConverse, RequestValidation) {
  EmulatorService service({});
  auto message_for = [&](const std::string& body) {
    auto plan = service.handle(converse_request(body));
    EXPECT_EQ(plan.status, 400) << body;
    EXPECT_EQ(error_type(plan), "ValidationException") << body;
    return error_message(plan);
  };
  EXPECT_EQ(message_for("{"), "Malformed input request, please reformat your input and try again.");
  EXPECT_EQ(message_for("[]"),
            "Malformed input request, please reformat your input and try again.");
  EXPECT_EQ(message_for("{}"),
            "1 validation error detected: Value null at 'messages' failed to satisfy constraint: "
            "Member must not be null");
  EXPECT_NE(message_for(R"({"messages":[]})").find("must start with a user message"),
            std::string::npos);
  EXPECT_NE(message_for(R"({"messages":[{"role":"bot","content":[{"text":"x"}]}]})")
                .find("Value 'bot' at 'messages.1.member.role'"),
            std::string::npos);
  EXPECT_NE(message_for(R"({"messages":[{"role":"user","content":[]}]})").find("is empty"),
            std::string::npos);
  EXPECT_NE(message_for(R"({"messages":[{"role":"user","content":[{"text":"a","image":{}}]}]})")
                .find("exactly one"),
            std::string::npos);
  EXPECT_NE(
      message_for(R"({"messages":[{"role":"user","content":[{"picture":{}}]}]})").find("picture"),
      std::string::npos);
  EXPECT_NE(message_for(user_text_body("x").insert(1, R"("inferenceConfig":{"maxTokens":0},)"))
                .find("'inferenceConfig.maxTokens'"),
            std::string::npos);
  EXPECT_NE(message_for(user_text_body("x").insert(1, R"("inferenceConfig":{"temperature":1.5},)"))
                .find("less than or equal to 1"),
            std::string::npos);
  EXPECT_NE(message_for(user_text_body("x").insert(1, R"("inferenceConfig":{"topP":-0.1},)"))
                .find("'inferenceConfig.topP'"),
            std::string::npos);

  auto wrong_type = converse_request(user_text_body("x"));
  wrong_type.content_type = "text/plain";
  auto plan = service.handle(wrong_type);
  EXPECT_EQ(plan.status, 400);
  EXPECT_EQ(error_type(plan), "ValidationException");
  wrong_type.content_type = "Application/JSON; charset=utf-8";
  EXPECT_EQ(service.handle(wrong_type).status, 200);
}

TEST(EmulatorConverse, JunkBodiesNeverThrow) {
  EmulatorService service({.seed = 1, .mode = AnswerMode::Generate});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"match":{"probability":0.3},
      "action":{"type":"toolUse","name":"t"}}]})"));
  const std::vector<std::string> junk = {
      "",
      "null",
      "0",
      "\"x\"",
      "{",
      "}",
      "[[[",
      "{\"messages\":null}",
      "{\"messages\":{}}",
      "{\"messages\":[1]}",
      "{\"messages\":[{\"role\":1,\"content\":[]}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":5}]}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"source\":{\"bytes\":7}}}]}]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}],\"inferenceConfig\":[]}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}],\"toolConfig\":{"
      "\"tools\":[]}}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}],\"toolConfig\":{"
      "\"tools\":[{\"toolSpec\":{\"name\":\"t\"}}]}}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}],\"system\":5}",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}],\"inferenceConfig\":{"
      "\"maxTokens\":1e99}}",
      std::string("\xff\xfe\x00\x01", 4)};
  std::uint64_t state = 42;
  for (int round = 0; round < 200; ++round) {
    std::string body = junk[static_cast<std::size_t>(round) % junk.size()];
    // Mangle some bytes too.
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    if (!body.empty() && round % 3 == 0)
      body[(state >> 33) % body.size()] = static_cast<char>(state >> 56);
    for (Operation op : {Operation::Converse, Operation::ConverseStream}) {
      ResponsePlan plan;
      EXPECT_NO_THROW(
          plan = service.handle(converse_request(body, "amazon.nova-pro-v1:0", "us-east-1", op)));
      EXPECT_TRUE(plan.status == 200 || plan.status == 400) << plan.status << " " << plan.body;
    }
  }
}

}  // namespace
