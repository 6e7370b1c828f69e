// Reference scenario 17 with our types: accessors, defaults, and the JSON form.
#include <llmm/bedrock_response.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace llmm {
namespace {

using namespace std::chrono_literals;

BedrockResponse answered() {
  BedrockResponse response;
  ConverseOutput output;
  output.message.content = {TextBlock{"first"},
                            ToolUseBlock{"t1", "lookup", JsonValue::parse(R"({"q":1})")},
                            TextBlock{"second"}};
  output.stop_reason = "tool_use";
  output.usage.input_tokens = 1000;
  output.usage.cache_read_input_tokens = 500;
  output.latency = 42ms;
  response.output = output;
  response.model_name = "Claude 3 Haiku";
  response.model_id = "anthropic.claude-3-haiku-20240307-v1:0";
  response.region = "us-west-2";
  response.access_method = AccessMethod::RegionalProfile;
  response.profile_id = "us.anthropic.claude-3-haiku-20240307-v1:0";
  Attempt throttled;
  throttled.number = 1;
  throttled.region = "us-east-1";
  throttled.error = Error{ErrorCode::Throttled, "slow down", 429, "ThrottlingException"};
  throttled.decision = AttemptDecision::Failover;
  Attempt won;
  won.number = 2;
  won.region = "us-west-2";
  won.decision = AttemptDecision::Succeeded;
  response.attempts = {throttled, won};
  response.warnings = {"a warning"};
  return response;
}

TEST(BedrockResponseTest, AccessorsReadTheOutput) {
  const BedrockResponse response = answered();
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.text(), "first\nsecond");
  EXPECT_EQ(response.content().size(), 3u);
  EXPECT_EQ(response.stop_reason(), "tool_use");
  ASSERT_EQ(response.tool_uses().size(), 1u);
  EXPECT_EQ(response.tool_uses()[0].name, "lookup");
  EXPECT_EQ(response.usage().cache_read_input_tokens, 500);
  EXPECT_EQ(response.api_latency(), 42ms);
  EXPECT_EQ(response.invoked_id(), "us.anthropic.claude-3-haiku-20240307-v1:0");
}

TEST(BedrockResponseTest, AFailedResponseHasEmptyDefaults) {
  BedrockResponse failed;
  failed.error = Error{ErrorCode::Throttled, "slow down"};
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.text(), "");
  EXPECT_TRUE(failed.content().empty());
  EXPECT_EQ(failed.usage().input_tokens, 0);
  EXPECT_EQ(failed.usage().cache_write_input_tokens, 0);
  EXPECT_TRUE(failed.tool_uses().empty());
  EXPECT_FALSE(failed.reasoning().has_value());
  EXPECT_EQ(failed.invoked_id(), "");
  const auto json = nlohmann::json::parse(failed.to_json());
  EXPECT_FALSE(json["ok"].get<bool>());
  EXPECT_EQ(json["error"]["code"], "Throttled");
  EXPECT_TRUE(json["output"].is_null());
}

TEST(BedrockResponseTest, TheJsonFormSaysWhatHappened) {
  const auto json = nlohmann::json::parse(answered().to_json());
  EXPECT_TRUE(json["ok"].get<bool>());
  EXPECT_EQ(json["text"], "first\nsecond");
  EXPECT_EQ(json["access_method"], "regional_profile");
  EXPECT_EQ(json["profile_id"], "us.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(json["output"]["stopReason"], "tool_use");
  EXPECT_EQ(json["output"]["usage"]["cacheReadInputTokens"], 500);
  ASSERT_EQ(json["attempts"].size(), 2u);
  EXPECT_EQ(json["attempts"][0]["decision"], "failover");
  EXPECT_EQ(json["attempts"][0]["error"]["http_status"], 429);
  EXPECT_EQ(json["attempts"][0]["error"]["aws_error_type"], "ThrottlingException");
  EXPECT_TRUE(json["attempts"][1]["error"].is_null());
  EXPECT_EQ(json["warnings"][0], "a warning");
}

TEST(BedrockResponseTest, InvalidUtf8InTheAnswerDoesNotBreakTheJsonForm) {
  BedrockResponse response = answered();
  response.output->message.content = {TextBlock{std::string("bad \xff byte")}};
  EXPECT_TRUE(nlohmann::json::accept(response.to_json()));
}

TEST(BedrockResponseTest, TheStopReasonIsNamedWithItsCategory) {
  BedrockResponse response = answered();
  EXPECT_EQ(response.stop_reason_kind(), StopReason::ToolUse);
  EXPECT_EQ(response.stop_reason_category(), StopReasonCategory::Terminal);
  response.output->stop_reason = "content_filtered";
  EXPECT_EQ(response.stop_reason_category(), StopReasonCategory::RetryDifferentTarget);
  response.output->stop_reason = "something_new";
  EXPECT_EQ(response.stop_reason_kind(), StopReason::Unknown);
  EXPECT_EQ(response.stop_reason(), "something_new") << "the service's value is kept";
  EXPECT_EQ(BedrockResponse{}.stop_reason_kind(), StopReason::Unknown);
}

BedrockResponse saying(std::string text) {
  BedrockResponse response;
  response.output = ConverseOutput{};
  response.output->message.content = {TextBlock{std::move(text)}};
  return response;
}

TEST(BedrockResponseTest, StructuredOutputIsTheAnswerParsedAsAnObjectOrArray) {
  auto object = saying(R"( {"name":"Ada","tags":["x"]} )").structured_output();
  ASSERT_TRUE(object.has_value()) << object.error().message;
  EXPECT_EQ(*object, JsonValue::parse(R"({"tags":["x"],"name":"Ada"})"));
  auto array = saying("[1,2,3]").structured_output();
  ASSERT_TRUE(array.has_value());
  EXPECT_TRUE(array->is_array());
  auto fenced = saying("```json\n{\"a\": 1}\n```\n").structured_output();
  ASSERT_TRUE(fenced.has_value()) << fenced.error().message;
  EXPECT_EQ(*fenced, JsonValue::parse(R"({"a":1})"));
}

TEST(BedrockResponseTest, StructuredOutputSaysWhyThereIsNone) {
  const auto reason = [](const BedrockResponse& response) {
    auto parsed = response.structured_output();
    EXPECT_FALSE(parsed.has_value());
    if (parsed.has_value()) return std::string();
    EXPECT_EQ(parsed.error().code, ErrorCode::ResponseRejected);
    return parsed.error().message;
  };
  EXPECT_NE(reason(saying("42")).find("a JSON number, not an object or an array"),
            std::string::npos);
  EXPECT_NE(reason(saying("Sure! {\"a\":1}")).find("not JSON (at byte 1)"), std::string::npos);
  EXPECT_NE(reason(saying("  ")).find("no text"), std::string::npos);
  EXPECT_NE(reason(saying(std::string(100000, '['))).find("nests deeper"), std::string::npos);
  BedrockResponse failed;
  failed.error = Error{ErrorCode::Throttled, "slow down"};
  EXPECT_NE(reason(failed).find("the call failed: Throttled"), std::string::npos);
}

TEST(BedrockResponseTest, StreamTimesAppearInTheJsonForm) {
  BedrockResponse response = answered();
  auto json = nlohmann::json::parse(response.to_json());
  EXPECT_TRUE(json["time_to_first_token_ms"].is_null());
  response.time_to_first_token = 120ms;
  response.time_to_last_token = 900ms;
  json = nlohmann::json::parse(response.to_json());
  EXPECT_EQ(json["time_to_first_token_ms"], 120);
  EXPECT_EQ(json["time_to_last_token_ms"], 900);
}

TEST(BedrockResponseTest, TheJsonFormReadsBackAsTheSameResponse) {
  BedrockResponse response = answered();
  response.output->request_id = "req-7";
  response.attempts[0].started =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1'764'000'000'123));
  response.time_to_first_token = 12ms;
  const auto back = BedrockResponse::from_json(response.to_json());
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->to_json(), response.to_json());
  EXPECT_EQ(back->output, response.output);
  EXPECT_EQ(back->attempts[0].started, response.attempts[0].started);
  EXPECT_EQ(back->attempts[1].error.has_value(), response.attempts[1].error.has_value());
  EXPECT_EQ(back->time_to_first_token, 12ms);
  EXPECT_EQ(nlohmann::json::parse(response.to_json())["request_id"], "req-7");
}

TEST(BedrockResponseTest, ABadJsonFormIsAnErrorNamingWhere) {
  const auto message = [](const std::string& text) {
    const auto back = BedrockResponse::from_json(text);
    EXPECT_FALSE(back.has_value()) << text;
    if (back.has_value()) return std::string();
    EXPECT_EQ(back.error().code, ErrorCode::InvalidArgument);
    return back.error().message;
  };
  auto form = nlohmann::json::parse(answered().to_json());
  form["attempts"][1]["decision"] = "guess";
  EXPECT_NE(message(form.dump()).find("attempts[1].decision"), std::string::npos);
  form = nlohmann::json::parse(answered().to_json());
  form["error"] = nlohmann::json::parse(Error{ErrorCode::Throttled, "x"}.to_json());
  EXPECT_NE(message(form.dump()).find("is set beside an output"), std::string::npos);
  form = nlohmann::json::parse(answered().to_json());
  form["attempts"][0]["started"] = "yesterday";
  EXPECT_NE(message(form.dump()).find("\"attempts[0].started\" is not an ISO 8601 time"),
            std::string::npos);
  EXPECT_NE(message("[1,2").find("malformed BedrockResponse JSON"), std::string::npos);
}

TEST(BedrockResponseTest, RetryExhaustedErrorCarriesTheAttempts) {
  BedrockResponse failed = answered();
  failed.output.reset();
  failed.error = failed.attempts[0].error;
  const RetryExhaustedError error(failed);
  EXPECT_EQ(error.response().attempts.size(), 2u);
  EXPECT_NE(std::string(error.what()).find("2 attempt(s)"), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("ThrottlingException"), std::string::npos);
}

}  // namespace
}  // namespace llmm
