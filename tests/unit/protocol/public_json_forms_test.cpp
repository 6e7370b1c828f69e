// The public JSON forms: ConverseRequest::from_json / to_json (the wire codec behind a public
// door) and Error::to_json (the form BedrockResponse::to_json writes).
#include <llmm/bedrock_response.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/error.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using llmm::ConverseRequest;
using nlohmann::json;

TEST(PublicJsonFormsTest, ARequestRoundTripsThroughItsWireForm) {
  ConverseRequest request = ConverseRequest::from_prompt("Hello there");
  request.system.push_back(llmm::SystemContentBlock{llmm::TextBlock{"be brief"}});
  request.inference_config.max_tokens = 64;
  request.inference_config.temperature = 0.25;
  request.request_metadata["team"] = "batch";
  const llmm::Result<ConverseRequest> back = ConverseRequest::from_json(request.to_json());
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back.value(), request);
  EXPECT_EQ(json::parse(request.to_json()).at("inferenceConfig").at("maxTokens"), 64);
}

TEST(PublicJsonFormsTest, UnknownTopLevelMembersAreIgnoredAndMalformedOnesNamed) {
  const auto with_id = ConverseRequest::from_json(
      R"({"id":"q1","modelId":"x","messages":[{"role":"user","content":[{"text":"hi"}]}]})");
  ASSERT_TRUE(with_id.has_value()) << with_id.error().message;
  EXPECT_EQ(with_id.value(), ConverseRequest::from_prompt("hi"));

  const auto bad_role =
      ConverseRequest::from_json(R"({"messages":[{"role":"robot","content":[{"text":"hi"}]}]})");
  ASSERT_FALSE(bad_role.has_value());
  EXPECT_EQ(bad_role.error().code, llmm::ErrorCode::InvalidArgument);
  EXPECT_EQ(bad_role.error().message.rfind("malformed Converse request: ", 0), 0u);
  EXPECT_NE(bad_role.error().message.find("messages[0]"), std::string::npos)
      << bad_role.error().message;

  EXPECT_FALSE(ConverseRequest::from_json("not json").has_value());
  EXPECT_FALSE(ConverseRequest::from_json("[]").has_value());
}

TEST(PublicJsonFormsTest, AnErrorWritesTheFormOfTheResponseJson) {
  llmm::Error error{llmm::ErrorCode::Throttled,
                    "Too many requests",
                    429,
                    "ThrottlingException",
                    "req-1",
                    "anthropic.claude-3-haiku-20240307-v1:0",
                    "us-east-1",
                    2};
  const json written = json::parse(error.to_json());
  EXPECT_EQ(written.at("code"), "Throttled");
  EXPECT_EQ(written.at("http_status"), 429);
  EXPECT_EQ(written.at("attempt"), 2);
  llmm::BedrockResponse response;
  response.error = error;
  EXPECT_EQ(json::parse(response.to_json()).at("error"), written);
  // A server's bytes that are not UTF-8 do not make it throw.
  error.message = "bad \xff byte";
  EXPECT_FALSE(json::parse(error.to_json(), nullptr, false).is_discarded());
}

}  // namespace
