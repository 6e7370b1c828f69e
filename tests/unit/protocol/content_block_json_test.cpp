// Every content block and request member, encoded and decoded against the wire shapes of the
// bedrock-wire-protocol doc §2 (the captured JS SDK body of §2.3 among them).

#include "protocol/converse_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace llmm::protocol {
namespace {

using nlohmann::json;

const std::string kPng("\x89PNG\r\n\x1a\n", 8);

// The block alone, as the encoder writes it inside messages[0].content[0].
json encoded_block(const ContentBlock& block) {
  ConverseRequest request;
  request.messages.push_back(Message{Role::User, {block}});
  return json::parse(encode_converse_request(request))["messages"][0]["content"][0];
}

Result<ConverseRequest> decode_block_request(std::string_view wire) {
  return decode_converse_request(R"({"messages":[{"role":"user","content":[)" + std::string(wire) +
                                 "]}]}");
}

// Encoding `block` gives `wire` (as JSON, member order aside) and decoding `wire` gives `block`.
void expect_block(const ContentBlock& block, std::string_view wire) {
  EXPECT_EQ(encoded_block(block), json::parse(wire)) << wire;
  const auto decoded = decode_block_request(wire);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  ASSERT_EQ(decoded->messages.size(), 1U);
  ASSERT_EQ(decoded->messages[0].content.size(), 1U);
  EXPECT_TRUE(decoded->messages[0].content[0] == block) << wire;
}

TEST(ContentBlockJsonTest, Text) { expect_block(TextBlock{"héllo"}, R"({"text":"héllo"})"); }

TEST(ContentBlockJsonTest, ImageFromBytesAndFromS3) {
  expect_block(ImageBlock{"png", kPng, std::nullopt},
               R"({"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}})");
  expect_block(
      ImageBlock{"jpeg", S3Location{"s3://bucket/key.jpg", "123456789012"}, std::nullopt},
      R"({"image":{"format":"jpeg","source":{"s3Location":{"uri":"s3://bucket/key.jpg","bucketOwner":"123456789012"}}}})");
  expect_block(
      ImageBlock{"gif", S3Location{"s3://b/k", std::nullopt}, ErrorBlock{"too big"}},
      R"({"image":{"format":"gif","source":{"s3Location":{"uri":"s3://b/k"}},"error":{"message":"too big"}}})");
}

TEST(ContentBlockJsonTest, DocumentWithEverySource) {
  expect_block(
      DocumentBlock{"pdf", "Spec", std::string("%PDF-1.4"), std::nullopt, CitationsConfig{true}},
      R"({"document":{"name":"Spec","source":{"bytes":"JVBERi0xLjQ="},"format":"pdf","citations":{"enabled":true}}})");
  expect_block(
      DocumentBlock{"txt", "notes", DocumentTextSource{"plain text doc"}, "ctx", std::nullopt},
      R"({"document":{"format":"txt","name":"notes","source":{"text":"plain text doc"},"context":"ctx"}})");
  expect_block(
      DocumentBlock{std::nullopt, "parts", DocumentContentSource{{"a", "b"}}, std::nullopt,
                    CitationsConfig{false}},
      R"({"document":{"name":"parts","source":{"content":[{"text":"a"},{"text":"b"}]},"citations":{"enabled":false}}})");
  expect_block(
      DocumentBlock{"md", "s3doc", S3Location{"s3://b/d.md", std::nullopt}, std::nullopt,
                    std::nullopt},
      R"({"document":{"format":"md","name":"s3doc","source":{"s3Location":{"uri":"s3://b/d.md"}}}})");
}

TEST(ContentBlockJsonTest, VideoAndAudio) {
  expect_block(VideoBlock{"mp4", S3Location{"s3://bucket/v.mp4", std::nullopt}},
               R"({"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://bucket/v.mp4"}}}})");
  expect_block(VideoBlock{"three_gp", std::string("\x01\x02\x03", 3)},
               R"({"video":{"format":"three_gp","source":{"bytes":"AQID"}}})");
  expect_block(AudioBlock{"x-aac", std::string("\x01\x02\x03", 3), std::nullopt},
               R"({"audio":{"format":"x-aac","source":{"bytes":"AQID"}}})");
  expect_block(
      AudioBlock{"wav", S3Location{"s3://b/a.wav", "111122223333"}, ErrorBlock{}},
      R"({"audio":{"format":"wav","source":{"s3Location":{"uri":"s3://b/a.wav","bucketOwner":"111122223333"}},"error":{}}})");
}

TEST(ContentBlockJsonTest, ToolUseKeepsItsInputDocument) {
  expect_block(
      ToolUseBlock{"tooluse_1", "get_weather", JsonValue::parse(R"({"city":"Paris"})"),
                   std::nullopt},
      R"({"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}})");
  expect_block(
      ToolUseBlock{"t.2:x-y", "search", JsonValue::parse("[1,[2,{}],null]"), "server_tool_use"},
      R"({"toolUse":{"toolUseId":"t.2:x-y","name":"search","input":[1,[2,{}],null],"type":"server_tool_use"}})");
  // Member order of the input is not significant; values are compared canonically.
  const auto decoded = decode_block_request(
      R"({"toolUse":{"toolUseId":"a","name":"b","input":{"z":1,"a":{"d":2,"c":3}}}})");
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::get<ToolUseBlock>(decoded->messages[0].content[0]).input.text(),
            R"({"a":{"c":3,"d":2},"z":1})");
}

TEST(ContentBlockJsonTest, ToolResultWithEveryContentKind) {
  ToolResultBlock result;
  result.tool_use_id = "tooluse_1";
  result.content = {
      JsonValue::parse(R"({"tempC":21})"),
      TextBlock{"sunny"},
      ImageBlock{"webp", std::string("\x01\x02\x03", 3), std::nullopt},
      DocumentBlock{"csv", "t", DocumentTextSource{"a,b"}, std::nullopt, std::nullopt},
      VideoBlock{"mov", S3Location{"s3://b/v.mov", std::nullopt}},
      SearchResultBlock{"https://x", "X", {"one"}, CitationsConfig{true}}};
  result.status = "error";
  result.type = "custom";
  expect_block(result, R"({"toolResult":{"toolUseId":"tooluse_1","content":[
      {"json":{"tempC":21}},{"text":"sunny"},
      {"image":{"format":"webp","source":{"bytes":"AQID"}}},
      {"document":{"format":"csv","name":"t","source":{"text":"a,b"}}},
      {"video":{"format":"mov","source":{"s3Location":{"uri":"s3://b/v.mov"}}}},
      {"searchResult":{"source":"https://x","title":"X","content":[{"text":"one"}],"citations":{"enabled":true}}}],
      "status":"error","type":"custom"}})");
  expect_block(ToolResultBlock{"id", {}, "success", std::nullopt},
               R"({"toolResult":{"toolUseId":"id","content":[],"status":"success"}})");
}

TEST(ContentBlockJsonTest, GuardContentTextAndImage) {
  expect_block(
      GuardContentBlock{GuardContentText{"guard me", {"guard_content", "query"}}},
      R"({"guardContent":{"text":{"text":"guard me","qualifiers":["guard_content","query"]}}})");
  expect_block(GuardContentBlock{GuardContentText{"plain", {}}},
               R"({"guardContent":{"text":{"text":"plain"}}})");
  expect_block(GuardContentBlock{GuardContentImage{"png", kPng}},
               R"({"guardContent":{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}})");
}

TEST(ContentBlockJsonTest, CachePoint) {
  expect_block(CachePointBlock{}, R"({"cachePoint":{"type":"default"}})");
  expect_block(CachePointBlock{"default", "1h"}, R"({"cachePoint":{"type":"default","ttl":"1h"}})");
}

TEST(ContentBlockJsonTest, ReasoningTextAndRedacted) {
  expect_block(ReasoningContentBlock{ReasoningTextBlock{"hmm", "abc"}},
               R"({"reasoningContent":{"reasoningText":{"text":"hmm","signature":"abc"}}})");
  expect_block(ReasoningContentBlock{ReasoningTextBlock{"no sig", std::nullopt}},
               R"({"reasoningContent":{"reasoningText":{"text":"no sig"}}})");
  expect_block(ReasoningContentBlock{RedactedReasoning{std::string("\x01\x02\x03", 3)}},
               R"({"reasoningContent":{"redactedContent":"AQID"}})");
}

TEST(ContentBlockJsonTest, CitationsContentWithEveryLocation) {
  CitationsContentBlock block;
  block.content = {"Paris is the capital."};
  block.citations = {
      Citation{"Doc", "src", {"quoted"}, DocumentCharLocation{0, 10, 20}},
      Citation{std::nullopt, std::nullopt, {}, DocumentPageLocation{1, 2, 3}},
      Citation{
          std::nullopt, std::nullopt, {}, DocumentChunkLocation{std::nullopt, 4, std::nullopt}},
      Citation{std::nullopt, std::nullopt, {}, SearchResultLocation{0, 1, 2}},
      Citation{std::nullopt, std::nullopt, {}, WebLocation{"https://e.com", "e.com"}},
      Citation{std::nullopt,
               std::nullopt,
               {},
               UnknownBlock{"futureLocation", JsonValue::parse(R"({"x":1})")}},
      Citation{}};
  expect_block(block,
               R"({"citationsContent":{"content":[{"text":"Paris is the capital."}],"citations":[
      {"title":"Doc","source":"src","sourceContent":[{"text":"quoted"}],"location":{"documentChar":{"documentIndex":0,"start":10,"end":20}}},
      {"location":{"documentPage":{"documentIndex":1,"start":2,"end":3}}},
      {"location":{"documentChunk":{"start":4}}},
      {"location":{"searchResultLocation":{"searchResultIndex":0,"start":1,"end":2}}},
      {"location":{"web":{"url":"https://e.com","domain":"e.com"}}},
      {"location":{"futureLocation":{"x":1}}},
      {}]}})");
  expect_block(CitationsContentBlock{}, R"({"citationsContent":{}})");
}

TEST(ContentBlockJsonTest, SearchResult) {
  expect_block(
      SearchResultBlock{"kb://1", "Title", {"a", "b"}, std::nullopt},
      R"({"searchResult":{"source":"kb://1","title":"Title","content":[{"text":"a"},{"text":"b"}]}})");
}

TEST(ContentBlockJsonTest, UnknownBlockIsKeptAndSentBackAsItCame) {
  expect_block(
      UnknownBlock{"toolAddition", JsonValue::parse(R"({"tool":{"name":"x","type":"t"}})")},
      R"({"toolAddition":{"tool":{"name":"x","type":"t"}}})");
  expect_block(UnknownBlock{"futureScalar", JsonValue::parse("42")}, R"({"futureScalar":42})");
}

TEST(ContentBlockJsonTest, MediaModality) {
  EXPECT_EQ(media_modality(ImageBlock{}), Modality::Image);
  EXPECT_EQ(media_modality(DocumentBlock{}), Modality::Document);
  EXPECT_EQ(media_modality(VideoBlock{}), Modality::Video);
  EXPECT_EQ(media_modality(AudioBlock{}), Modality::Audio);
  EXPECT_EQ(media_modality(TextBlock{"x"}), std::nullopt);
  EXPECT_EQ(media_modality(ToolResultBlock{}), std::nullopt);
  EXPECT_EQ(media_modality(CachePointBlock{}), std::nullopt);
  EXPECT_EQ(media_modality(UnknownBlock{}), std::nullopt);
}

// The whole captured body of wire doc §2.3.
constexpr std::string_view kCapturedRequest = R"({"messages":[
  {"role":"user","content":[
    {"text":"Describe these."},
    {"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}},
    {"image":{"format":"jpeg","source":{"s3Location":{"uri":"s3://bucket/key.jpg","bucketOwner":"123456789012"}}}},
    {"document":{"name":"Spec","source":{"bytes":"JVBERi0xLjQ="},"format":"pdf","citations":{"enabled":true}}},
    {"document":{"name":"notes","source":{"text":"plain text doc"},"format":"txt"}},
    {"video":{"format":"mp4","source":{"s3Location":{"uri":"s3://bucket/v.mp4"}}}},
    {"cachePoint":{"type":"default","ttl":"1h"}}]},
  {"role":"assistant","content":[
    {"reasoningContent":{"reasoningText":{"text":"hmm","signature":"abc"}}},
    {"reasoningContent":{"redactedContent":"AQID"}},
    {"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},
  {"role":"user","content":[
    {"toolResult":{"toolUseId":"tooluse_1","content":[{"json":{"tempC":21}},{"text":"sunny"}],"status":"success"}}]}],
 "system":[{"text":"You are terse."},{"cachePoint":{"type":"default"}},
           {"guardContent":{"text":{"text":"guard me","qualifiers":["guard_content"]}}}],
 "inferenceConfig":{"maxTokens":512,"temperature":0.5,"topP":0.9,"stopSequences":["END"]},
 "toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"description":"Weather lookup"}},
                        {"cachePoint":{"type":"default"}}],
               "toolChoice":{"auto":{}}},
 "guardrailConfig":{"guardrailIdentifier":"abc123xyz","guardrailVersion":"DRAFT","trace":"enabled"},
 "additionalModelRequestFields":{"thinking":{"type":"enabled","budget_tokens":1024},"top_k":50},
 "additionalModelResponseFieldPaths":["/stop_sequence"],
 "requestMetadata":{"team":"search"},
 "performanceConfig":{"latency":"optimized"},
 "serviceTier":{"type":"priority"},
 "outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\"}","name":"out"}}}}})";

ConverseRequest captured_request() {
  ConverseRequest request;
  request.messages = {
      Message{Role::User,
              {TextBlock{"Describe these."}, ImageBlock{"png", kPng, std::nullopt},
               ImageBlock{"jpeg", S3Location{"s3://bucket/key.jpg", "123456789012"}, std::nullopt},
               DocumentBlock{"pdf", "Spec", std::string("%PDF-1.4"), std::nullopt,
                             CitationsConfig{true}},
               DocumentBlock{"txt", "notes", DocumentTextSource{"plain text doc"}, std::nullopt,
                             std::nullopt},
               VideoBlock{"mp4", S3Location{"s3://bucket/v.mp4", std::nullopt}},
               CachePointBlock{"default", "1h"}}},
      Message{Role::Assistant,
              {ReasoningContentBlock{ReasoningTextBlock{"hmm", "abc"}},
               ReasoningContentBlock{RedactedReasoning{std::string("\x01\x02\x03", 3)}},
               ToolUseBlock{"tooluse_1", "get_weather", JsonValue::parse(R"({"city":"Paris"})"),
                            std::nullopt}}},
      Message{Role::User,
              {ToolResultBlock{"tooluse_1",
                               {JsonValue::parse(R"({"tempC":21})"), TextBlock{"sunny"}},
                               "success",
                               std::nullopt}}}};
  request.system = {TextBlock{"You are terse."}, CachePointBlock{},
                    GuardContentBlock{GuardContentText{"guard me", {"guard_content"}}}};
  request.inference_config = {
      .max_tokens = 512, .temperature = 0.5, .top_p = 0.9, .stop_sequences = {"END"}};
  request.tool_config = ToolConfiguration{
      {ToolSpecification{
           "get_weather", "Weather lookup",
           JsonValue::parse(
               R"({"type":"object","properties":{"city":{"type":"string"}},"required":["city"]})"),
           std::nullopt},
       CachePointBlock{}},
      AutoToolChoice{}};
  request.guardrail_config = GuardrailConfiguration{"abc123xyz", "DRAFT", "enabled", std::nullopt};
  request.additional_model_request_fields =
      JsonValue::parse(R"({"thinking":{"type":"enabled","budget_tokens":1024},"top_k":50})");
  request.additional_model_response_field_paths = {"/stop_sequence"};
  request.request_metadata = {{"team", "search"}};
  request.performance_config = PerformanceConfiguration{"optimized"};
  request.service_tier = ServiceTier{"priority"};
  request.output_config = OutputConfig{OutputFormat{
      "json_schema", JsonSchemaDefinition{R"({"type":"object"})", "out", std::nullopt}}};
  return request;
}

TEST(ConverseRequestJsonTest, CapturedFullRequestEncodesAndDecodes) {
  const ConverseRequest request = captured_request();
  EXPECT_EQ(json::parse(encode_converse_request(request)), json::parse(kCapturedRequest));
  const auto decoded = decode_converse_request(kCapturedRequest);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_TRUE(*decoded == request);
}

TEST(ConverseRequestJsonTest, TopLevelMembersComeInModelOrder) {
  const std::string body = encode_converse_request(captured_request());
  const char* order[] = {"\"messages\"",
                         "\"system\"",
                         "\"inferenceConfig\"",
                         "\"toolConfig\"",
                         "\"guardrailConfig\"",
                         "\"additionalModelRequestFields\"",
                         "\"additionalModelResponseFieldPaths\"",
                         "\"requestMetadata\"",
                         "\"performanceConfig\"",
                         "\"serviceTier\"",
                         "\"outputConfig\""};
  std::size_t at = 0;
  for (const char* member : order) {
    const auto found = body.find(member, at);
    ASSERT_NE(found, std::string::npos) << member;
    at = found;
  }
}

TEST(ConverseRequestJsonTest, ToolChoicesAndSystemTools) {
  ConverseRequest request = ConverseRequest::from_prompt("x");
  request.tool_config = ToolConfiguration{
      {SystemTool{"nova_grounding"},
       ToolSpecification{"f", std::nullopt, JsonValue::parse(R"({"type":"object"})"), true}},
      AnyToolChoice{}};
  auto body = json::parse(encode_converse_request(request));
  EXPECT_EQ(body["toolConfig"], json::parse(R"({"tools":[{"systemTool":{"name":"nova_grounding"}},
      {"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}},"strict":true}}],"toolChoice":{"any":{}}})"));
  request.tool_config->tool_choice = SpecificToolChoice{"get_weather"};
  body = json::parse(encode_converse_request(request));
  EXPECT_EQ(body["toolConfig"]["toolChoice"], json::parse(R"({"tool":{"name":"get_weather"}})"));
  const auto decoded = decode_converse_request(body.dump());
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_TRUE(*decoded == request);
}

TEST(ConverseRequestJsonTest, PromptManagementRequestOmitsEmptyMessages) {
  ConverseRequest request;
  request.prompt_variables = {{"genre", "pop"}};
  request.guardrail_config = GuardrailConfiguration{"g", "1", std::nullopt, "async"};
  const std::string stream_body =
      encode_converse_request(request, ConverseOperation::ConverseStream);
  EXPECT_EQ(
      stream_body,
      R"({"guardrailConfig":{"guardrailIdentifier":"g","guardrailVersion":"1","streamProcessingMode":"async"},"promptVariables":{"genre":{"text":"pop"}}})");
  // Converse's model has no streamProcessingMode: left out, as the JS SDK does.
  EXPECT_EQ(
      encode_converse_request(request),
      R"({"guardrailConfig":{"guardrailIdentifier":"g","guardrailVersion":"1"},"promptVariables":{"genre":{"text":"pop"}}})");
  const auto decoded = decode_converse_request(stream_body);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_TRUE(*decoded == request);
  EXPECT_EQ(encode_converse_request(ConverseRequest{}), R"({"messages":[]})");
}

TEST(ConverseRequestJsonTest, InvalidRequestsAreErrorsNamingThePath) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "is not JSON"},
      {"[]", "the body is not an object"},
      {R"({"messages":{}})", "\"messages\" is not an array"},
      {R"({"messages":[{"content":[]}]})", "\"messages[0].role\" is missing"},
      {R"({"messages":[{"role":"system","content":[]}]})", "\"messages[0].role\" is not"},
      {R"({"messages":[{"role":"user"}]})", "\"messages[0].content\" is missing"},
      {R"({"messages":[{"role":"user","content":[{}]}]})",
       "\"messages[0].content[0]\" must have exactly one member (has 0)"},
      {R"({"messages":[{"role":"user","content":[{"text":"a","image":{}}]}]})",
       "must have exactly one member (has 2)"},
      {R"({"messages":[{"role":"user","content":[{"text":1}]}]})",
       "\"messages[0].content[0].text\" is not a string"},
      {R"({"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"bytes":"!!"}}}]}]})",
       "\"messages[0].content[0].image.source.bytes\" is not valid base64"},
      {R"({"messages":[{"role":"user","content":[{"image":{"format":"png","source":{"url":"x"}}}]}]})",
       "has an unknown member \"url\""},
      {R"({"messages":[{"role":"user","content":[{"toolUse":{"toolUseId":"a","name":"b"}}]}]})",
       "\"messages[0].content[0].toolUse.input\" is missing"},
      {R"({"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"a","content":[{"html":"x"}]}}]}]})",
       "has an unknown member \"html\""},
      {R"({"system":[{"image":{}}]})", "\"system[0]\" has an unknown member \"image\""},
      {R"({"inferenceConfig":{"maxTokens":1e99}})",
       "\"inferenceConfig.maxTokens\" is not an integer"},
      {R"({"inferenceConfig":{"maxTokens":3000000000}})",
       "\"inferenceConfig.maxTokens\" is out of range"},
      {R"({"inferenceConfig":{"temperature":"hot"}})", "is not a number"},
      {R"({"toolConfig":{}})", "\"toolConfig.tools\" is missing"},
      {R"({"toolConfig":{"tools":[],"toolChoice":{"none":{}}}})", "has an unknown member \"none\""},
      {R"({"promptVariables":{"a":{"number":1}}})", "has an unknown member \"number\""},
      {R"({"requestMetadata":{"a":1}})", "\"requestMetadata.a\" is not a string"},
      {R"({"serviceTier":{}})", "\"serviceTier.type\" is missing"},
      {R"({"messages":[{"role":"user","content":[{"document":{"name":"n","source":{"bytes":"AQID"},"citations":{}}}]}]})",
       "citations.enabled\" is missing"},
  };
  for (const auto& [body, expected] : cases) {
    const auto decoded = decode_converse_request(body);
    ASSERT_FALSE(decoded.has_value()) << body;
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(decoded.error().message.find("malformed Converse request: "), std::string::npos);
    EXPECT_NE(decoded.error().message.find(expected), std::string::npos)
        << body << " -> " << decoded.error().message;
  }
}

}  // namespace
}  // namespace llmm::protocol
