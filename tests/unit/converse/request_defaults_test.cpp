// The manager's additions to a call's request: default inference values under the call's own,
// model-specific fields merged per target (anthropic_beta joined, extended context only where the
// model takes it).
#include "converse/request_defaults.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace llmm::converse {
namespace {

TEST(RequestDefaultsTest, TheCallsOwnValuesWinAndTheRestComeFromTheDefaults) {
  const InferenceConfig defaults{
      .max_tokens = 512, .temperature = 0.2, .top_p = 0.9, .stop_sequences = {"END"}};
  const InferenceConfig call{.temperature = 0.7};
  const InferenceConfig merged = with_defaults(call, defaults);
  EXPECT_EQ(merged.max_tokens, 512);
  EXPECT_EQ(merged.temperature, 0.7);
  EXPECT_EQ(merged.top_p, 0.9);
  EXPECT_EQ(merged.stop_sequences, std::vector<std::string>{"END"});

  const InferenceConfig own_stops = with_defaults({.stop_sequences = {"STOP"}}, defaults);
  EXPECT_EQ(own_stops.stop_sequences, std::vector<std::string>{"STOP"});
  EXPECT_EQ(with_defaults(call, {}), call) << "no defaults: the call as it is";
}

ConverseRequest with_fields(const char* fields) {
  ConverseRequest request = ConverseRequest::from_prompt("hi");
  if (fields) request.additional_model_request_fields = JsonValue::parse(fields);
  return request;
}

TEST(RequestDefaultsTest, CustomFieldsMergeOverTheRequestsAndBetaListsJoinInOrder) {
  ConverseRequest request = with_fields(R"({"top_k":3,"anthropic_beta":["a","b"]})");
  const ModelSpecificConfig config{
      .custom_fields = JsonValue::parse(R"({"top_k":5,"anthropic_beta":["b","c"],"x":true})")};
  EXPECT_EQ(apply_model_specific(request, config, false), std::nullopt);
  EXPECT_EQ(request.additional_model_request_fields,
            JsonValue::parse(R"({"anthropic_beta":["a","b","c"],"top_k":5,"x":true})"));
}

TEST(RequestDefaultsTest, ALoneBetaStringCountsAsOneFlag) {
  ConverseRequest request = with_fields(R"({"anthropic_beta":"a"})");
  EXPECT_EQ(apply_model_specific(request, {.enable_extended_context = true}, true), std::nullopt);
  EXPECT_EQ(request.additional_model_request_fields,
            JsonValue::parse(R"({"anthropic_beta":["a","context-1m-2025-08-07"]})"));
}

TEST(RequestDefaultsTest, ExtendedContextGoesOnlyToAModelThatTakesIt) {
  ConverseRequest takes = with_fields(nullptr);
  EXPECT_EQ(apply_model_specific(takes, {.enable_extended_context = true}, true), std::nullopt);
  EXPECT_EQ(takes.additional_model_request_fields,
            JsonValue::parse(R"({"anthropic_beta":["context-1m-2025-08-07"]})"));

  ConverseRequest refuses = with_fields(nullptr);
  const auto left_out = apply_model_specific(refuses, {.enable_extended_context = true}, false);
  EXPECT_EQ(left_out, "extended context (context-1m-2025-08-07)");
  EXPECT_FALSE(refuses.additional_model_request_fields.has_value())
      << "nothing else to send: no empty object either";
}

TEST(RequestDefaultsTest, NothingAskedChangesNothing) {
  ConverseRequest request = with_fields(R"({"top_k":3})");
  const ConverseRequest before = request;
  EXPECT_EQ(apply_model_specific(request, {}, true), std::nullopt);
  EXPECT_EQ(request, before);
}

TEST(RequestDefaultsTest, BadShapesAreRefusedByName) {
  ConverseRequest request = with_fields("[1,2]");
  EXPECT_THROW(
      (void)apply_model_specific(request, {.custom_fields = JsonValue::parse(R"({"a":1})")}, true),
      std::invalid_argument);
  const ModelSpecificConfig not_an_object{.custom_fields = JsonValue::parse("[1]")};
  try {
    not_an_object.validate();
    FAIL() << "a list of custom fields was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("ModelSpecificConfig.custom_fields"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace llmm::converse
