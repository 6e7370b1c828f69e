#include "protocol/converse_json.hpp"
#include "protocol/control_plane_json.hpp"

#include <gtest/gtest.h>

namespace llmm::protocol {
namespace {

TEST(ConverseJsonTest, EncodesTheCapturedRequestBody) {
  ConverseRequest request = ConverseRequest::from_prompt("Hello");
  request.inference_config.max_tokens = 64;
  // Byte-identical to the body the JS SDK sent (wire doc §1.5): same members, same order.
  EXPECT_EQ(
      encode_converse_request(request),
      R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}],"inferenceConfig":{"maxTokens":64}})");
}

TEST(ConverseJsonTest, EncodesSystemAndInferenceConfig) {
  ConverseRequest request;
  request.messages = {Message::user("q"), Message::assistant("a"), Message::user("q2")};
  request.system = {TextBlock{"be terse"}};
  request.inference_config = {
      .max_tokens = 10, .temperature = 0.5, .top_p = 0.9, .stop_sequences = {"END"}};
  const auto json = encode_converse_request(request);
  EXPECT_NE(json.find(R"("system":[{"text":"be terse"}])"), std::string::npos);
  EXPECT_NE(json.find(R"("stopSequences":["END"])"), std::string::npos);
  EXPECT_NE(json.find(R"("role":"assistant")"), std::string::npos);
  EXPECT_NE(json.find(R"("topP":0.9)"), std::string::npos);
}

TEST(ConverseJsonTest, DecodesAResponse) {
  const auto output = decode_converse_response(
      R"({"output":{"message":{"role":"assistant","content":[{"text":"Hi"},{"text":"there"}]}},
          "stopReason":"end_turn","usage":{"inputTokens":5,"outputTokens":2,"totalTokens":7},
          "metrics":{"latencyMs":42},"someFutureField":{"x":1}})");
  ASSERT_TRUE(output.has_value()) << output.error().message;
  EXPECT_EQ(output->text(), "Hi\nthere");
  EXPECT_EQ(output->stop_reason, "end_turn");
  EXPECT_EQ(output->usage, (TokenUsage{.input_tokens = 5, .output_tokens = 2, .total_tokens = 7}));
  EXPECT_EQ(output->latency, std::chrono::milliseconds(42));
}

TEST(ConverseJsonTest, MalformedResponsesAreTypedErrors) {
  const char* bodies[] = {
      "",
      "not json",
      "[]",
      R"({"stopReason":"end_turn"})",
      R"({"output":{"message":{"content":"x"}},"stopReason":"end_turn","usage":{}})",
      R"({"output":{"message":{"content":[]}},"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}})",
      R"({"output":{"message":{"content":[{"text":5}]}},"stopReason":"end_turn","usage":{}})",
      R"({"output":{"message":{"content":[]}},"stopReason":"end_turn","usage":{"inputTokens":"1"}})",
  };
  for (const char* body : bodies) {
    const auto output = decode_converse_response(body);
    ASSERT_FALSE(output.has_value()) << body;
    EXPECT_EQ(output.error().code, ErrorCode::Internal) << body;
    EXPECT_NE(output.error().message.find("malformed Converse response"), std::string::npos);
  }
}

TEST(ControlPlaneJsonTest, DecodesFoundationModels) {
  const auto models = decode_foundation_models(
      R"({"modelSummaries":[{"modelArn":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
          "modelId":"anthropic.claude-3-haiku-20240307-v1:0","modelName":"Claude 3 Haiku","providerName":"Anthropic",
          "inputModalities":["TEXT","IMAGE"],"outputModalities":["TEXT"],"responseStreamingSupported":true,
          "customizationsSupported":[],"inferenceTypesSupported":["ON_DEMAND","INFERENCE_PROFILE"],
          "modelLifecycle":{"status":"ACTIVE","startOfLifeTime":"2024-03-07T00:00:00Z"}}]})");
  ASSERT_TRUE(models.has_value());
  ASSERT_EQ(models->size(), 1U);
  EXPECT_EQ(models->front().model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_TRUE(models->front().response_streaming_supported);
  EXPECT_EQ(models->front().inference_types_supported.back(), "INFERENCE_PROFILE");
  EXPECT_EQ(models->front().lifecycle_status, "ACTIVE");
  EXPECT_FALSE(decode_foundation_models(R"({"modelSummaries":[{}]})").has_value());
  EXPECT_FALSE(decode_foundation_models("{}").has_value());
}

}  // namespace
}  // namespace llmm::protocol
