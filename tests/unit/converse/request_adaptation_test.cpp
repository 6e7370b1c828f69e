// The per-target copy of a request drops only what it is told to, and never leaves a message
// empty or tool use without tools.
#include "converse/request_adaptation.hpp"

#include <gtest/gtest.h>

namespace llmm::converse {
namespace {

using engine::RejectedFeature;

ConverseRequest multimodal() {
  ConverseRequest request;
  request.messages.push_back(Message{Role::User,
                                     {TextBlock{"look"}, ImageBlock{"png", std::string("img")},
                                      VideoBlock{"mp4", S3Location{"s3://b/v.mp4", {}}}}});
  request.additional_model_request_fields = JsonValue::parse(R"({"top_k":3})");
  request.guardrail_config = GuardrailConfiguration{};
  return request;
}

TEST(RequestAdaptationTest, NothingToDropIsTheSameRequest) {
  const ConverseRequest request = multimodal();
  const auto adapted = adapt(request, {});
  ASSERT_TRUE(adapted.has_value());
  EXPECT_EQ(adapted->request, request);
  EXPECT_TRUE(adapted->dropped.empty());
}

TEST(RequestAdaptationTest, DropsOnlyTheNamedFeatures) {
  const ConverseRequest request = multimodal();
  Adaptation adaptation;
  adaptation.drop_parameters = true;
  adaptation.drop_features = {RejectedFeature::Image, RejectedFeature::Guardrails,
                              RejectedFeature::Tools};  // tools absent: nothing to report
  const auto adapted = adapt(request, adaptation);
  ASSERT_TRUE(adapted.has_value());
  EXPECT_FALSE(adapted->request.additional_model_request_fields.has_value());
  EXPECT_FALSE(adapted->request.guardrail_config.has_value());
  ASSERT_EQ(adapted->request.messages[0].content.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<VideoBlock>(adapted->request.messages[0].content[1]));
  EXPECT_EQ(adapted->dropped, (std::vector<std::string>{"additionalModelRequestFields",
                                                        "image blocks", "guardrails"}));
  EXPECT_EQ(request, multimodal()) << "the original is untouched";
}

TEST(RequestAdaptationTest, AMessageLeftEmptyMakesTheTargetUnusable) {
  ConverseRequest request;
  request.messages.push_back(Message{Role::User, {ImageBlock{"png", std::string("img")}}});
  Adaptation adaptation;
  adaptation.drop_features = {RejectedFeature::Image};
  EXPECT_FALSE(adapt(request, adaptation).has_value());
  EXPECT_TRUE(carries(request, RejectedFeature::Image));
  EXPECT_FALSE(carries(request, RejectedFeature::Video));
}

TEST(RequestAdaptationTest, ToolsCannotBeDroppedFromAConversationUsingThem) {
  ConverseRequest request = ConverseRequest::from_prompt("weather?");
  request.messages.push_back(
      Message{Role::Assistant, {ToolUseBlock{"t1", "weather", JsonValue::object()}}});
  request.tool_config = ToolConfiguration{};
  Adaptation adaptation;
  adaptation.drop_features = {RejectedFeature::Tools};
  EXPECT_FALSE(adapt(request, adaptation).has_value());

  ConverseRequest plain = ConverseRequest::from_prompt("weather?");
  plain.tool_config = ToolConfiguration{};
  const auto adapted = adapt(plain, adaptation);
  ASSERT_TRUE(adapted.has_value());
  EXPECT_FALSE(adapted->request.tool_config.has_value());
}

}  // namespace
}  // namespace llmm::converse
