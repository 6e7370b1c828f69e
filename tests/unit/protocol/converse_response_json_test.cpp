// The Converse response body (wire doc §3): every member decoded, unknown blocks and members
// kept, the accessors, encode_converse_output, and malformed bodies as Internal errors.

#include "protocol/converse_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace llmm::protocol {
namespace {

using nlohmann::json;

constexpr const char* kFullResponse = R"({"output":{"message":{"role":"assistant","content":[
    {"reasoningContent":{"reasoningText":{"text":"think","signature":"sig"}}},
    {"text":"Hello"},
    {"toolUse":{"toolUseId":"t1","name":"get_weather","input":{"city":"Paris"}}},
    {"citationsContent":{"content":[{"text":"cited"}],"citations":[{"title":"T","location":{"web":{"url":"https://e.com"}}}]}},
    {"futureBlock":{"anything":[1,2]}},
    {"image":{"format":"png","source":{"bytes":"AQID"}}},
    {"text":"world"},
    {"toolUse":{"toolUseId":"t2","name":"noop","input":{}}},
    {"reasoningContent":{"redactedContent":"AQID"}}]}},
 "stopReason":"tool_use",
 "usage":{"inputTokens":100,"outputTokens":50,"totalTokens":150,
          "cacheReadInputTokens":80,"cacheWriteInputTokens":20,
          "cacheDetails":[{"ttl":"5m","inputTokens":20}]},
 "metrics":{"latencyMs":1234},
 "additionalModelResponseFields":{"stop_sequence":null},
 "trace":{"guardrail":{"actionReason":"No action.","modelOutput":["x"]},"promptRouter":{"invokedModelId":"arn:aws:bedrock:us-east-1::foundation-model/a.b"}},
 "performanceConfig":{"latency":"optimized"},
 "serviceTier":{"type":"priority"},
 "someFutureField":{"x":1},
 "anotherOne":[true]})";

TEST(ConverseResponseJsonTest, DecodesEveryMember) {
  const auto output = decode_converse_response(kFullResponse);
  ASSERT_TRUE(output.has_value()) << output.error().message;
  EXPECT_EQ(output->message.role, Role::Assistant);
  ASSERT_EQ(output->message.content.size(), 9U);
  EXPECT_EQ(output->stop_reason, "tool_use");
  EXPECT_EQ(output->usage, (TokenUsage{100, 50, 150, 80, 20, {CacheDetail{"5m", 20}}}));
  EXPECT_EQ(output->latency, std::chrono::milliseconds(1234));
  EXPECT_EQ(output->additional_model_response_fields,
            JsonValue::parse(R"({"stop_sequence":null})"));
  ASSERT_TRUE(output->trace.has_value());
  EXPECT_EQ(output->performance_config, PerformanceConfiguration{"optimized"});
  EXPECT_EQ(output->service_tier, ServiceTier{"priority"});
  EXPECT_EQ(output->unknown_fields,
            JsonValue::parse(R"({"anotherOne":[true],"someFutureField":{"x":1}})"));
  EXPECT_TRUE(output->request_id.empty());
}

TEST(ConverseResponseJsonTest, Accessors) {
  const auto output = decode_converse_response(kFullResponse);
  ASSERT_TRUE(output.has_value()) << output.error().message;
  EXPECT_EQ(output->text(), "Hello\nworld");
  const auto uses = output->tool_uses();
  ASSERT_EQ(uses.size(), 2U);
  EXPECT_EQ(uses[0].tool_use_id, "t1");
  EXPECT_EQ(uses[0].input, JsonValue::parse(R"({"city":"Paris"})"));
  EXPECT_EQ(uses[1].input, JsonValue::object());
  const ReasoningContentBlock expected_reasoning{ReasoningTextBlock{"think", "sig"}};
  EXPECT_EQ(output->reasoning(), expected_reasoning);
  const auto citations = output->citations();
  ASSERT_EQ(citations.size(), 1U);
  EXPECT_EQ(citations[0].content, std::vector<std::string>{"cited"});
  ASSERT_EQ(citations[0].citations.size(), 1U);
  const CitationLocation expected_location{WebLocation{"https://e.com", std::nullopt}};
  EXPECT_EQ(citations[0].citations[0].location, expected_location);
  EXPECT_EQ(output->guardrail_trace(),
            JsonValue::parse(R"({"actionReason":"No action.","modelOutput":["x"]})"));
  EXPECT_EQ(std::get<UnknownBlock>(output->message.content[4]),
            (UnknownBlock{"futureBlock", JsonValue::parse(R"({"anything":[1,2]})")}));

  ConverseOutput empty;
  EXPECT_EQ(empty.text(), "");
  EXPECT_TRUE(empty.tool_uses().empty());
  EXPECT_FALSE(empty.reasoning().has_value());
  EXPECT_TRUE(empty.citations().empty());
  EXPECT_FALSE(empty.guardrail_trace().has_value());
  empty.trace = JsonValue::parse(R"({"promptRouter":{}})");
  EXPECT_FALSE(empty.guardrail_trace().has_value());
}

TEST(ConverseResponseJsonTest, EncodeOutputGivesTheSameBodyBack) {
  const auto output = decode_converse_response(kFullResponse);
  ASSERT_TRUE(output.has_value());
  const std::string encoded = encode_converse_output(*output);
  EXPECT_EQ(json::parse(encoded), json::parse(kFullResponse));
  EXPECT_EQ(encoded.rfind(R"({"output":{"message":{"role":"assistant","content":[)", 0), 0U);
  const auto again = decode_converse_response(encoded);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(*again == *output);
}

TEST(ConverseResponseJsonTest, MinimalBodyAndDefaults) {
  const auto output = decode_converse_response(
      R"({"output":{"message":{"content":[]}},"stopReason":"something_new","usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0}})");
  ASSERT_TRUE(output.has_value()) << output.error().message;
  EXPECT_EQ(output->stop_reason, "something_new");
  EXPECT_EQ(output->message.role, Role::Assistant);
  EXPECT_EQ(output->unknown_fields, JsonValue::object());
  EXPECT_FALSE(output->trace.has_value());
  EXPECT_EQ(
      encode_converse_output(ConverseOutput{}),
      R"({"output":{"message":{"role":"assistant","content":[]}},"stopReason":"","usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0},"metrics":{"latencyMs":0}})");
}

TEST(ConverseResponseJsonTest, UnknownFieldsNeverOverrideModelledMembers) {
  ConverseOutput output;
  output.stop_reason = "end_turn";
  output.unknown_fields = JsonValue::parse(R"({"stopReason":"forged","extra":1})");
  const auto body = json::parse(encode_converse_output(output));
  EXPECT_EQ(body["stopReason"], "end_turn");
  EXPECT_EQ(body["extra"], 1);
}

TEST(ConverseResponseJsonTest, MalformedBodiesAreInternalErrorsNamingThePath) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "is not JSON"},
      {"{\"output\":", "is not JSON"},
      {"[]", "the body is not an object"},
      {"null", "the body is not an object"},
      {R"({"stopReason":"end_turn"})", "\"output\" is missing"},
      {R"({"output":{"other":{}},"stopReason":"x","usage":{}})", "\"output.message\" is missing"},
      {R"({"output":{"message":{"content":"x"}},"stopReason":"x","usage":{}})",
       "\"output.message.content\" is not an array"},
      {R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}})",
       "\"stopReason\" is missing"},
      {R"({"output":{"message":{"content":[{"text":5}]}},"stopReason":"x","usage":{}})",
       "\"output.message.content[0].text\" is not a string"},
      {R"({"output":{"message":{"content":[]}},"stopReason":"x","usage":{"inputTokens":"1"}})",
       "\"usage.inputTokens\" is not an integer"},
      {R"({"output":{"message":{"content":[]}},"stopReason":"x","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":18446744073709551615}})",
       "\"usage.totalTokens\" is out of range"},
      {R"({"output":{"message":{"content":[{"reasoningContent":{"redactedContent":"A"}}]}},"stopReason":"x","usage":{}})",
       "redactedContent\" is not valid base64"},
      {R"({"output":{"message":{"content":[]}},"stopReason":"x","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"metrics":{"latencyMs":1.5}})",
       "\"metrics.latencyMs\" is not an integer"},
      {R"({"output":{"message":{"content":[]}},"stopReason":"x","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2},"serviceTier":"fast"})",
       "\"serviceTier\" is not an object"},
  };
  for (const auto& [body, expected] : cases) {
    const auto output = decode_converse_response(body);
    ASSERT_FALSE(output.has_value()) << body;
    EXPECT_EQ(output.error().code, ErrorCode::Internal);
    EXPECT_NE(output.error().message.find("malformed Converse response: "), std::string::npos);
    EXPECT_NE(output.error().message.find(expected), std::string::npos)
        << body << " -> " << output.error().message;
  }
}

TEST(ConverseResponseJsonTest, HostileInputsGiveErrorsNotCrashes) {
  const std::string deep =
      "{\"output\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(decode_converse_response(deep).has_value());
  EXPECT_FALSE(decode_converse_response(std::string("\xff\xfe{}", 4)).has_value());
  EXPECT_FALSE(decode_converse_response(std::string("{\"a\":\"\0\"}", 9)).has_value());
  EXPECT_FALSE(decode_converse_response("\"\\ud800\"").has_value());
  EXPECT_FALSE(decode_converse_request(deep).has_value());
}

}  // namespace
}  // namespace llmm::protocol
