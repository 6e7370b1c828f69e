// Event-stream messages of one ConverseStream attempt become consumer events and the same
// ConverseOutput that Converse gives.
#include "converse/stream_assembler.hpp"

#include "protocol/eventstream/event_stream_encoder.hpp"

#include <gtest/gtest.h>

namespace llmm::converse {
namespace {

using eventstream::make_event;
using eventstream::make_exception;

std::vector<StreamEvent> feed(StreamAssembler& assembler, const eventstream::Message& message) {
  auto events = assembler.on_message(message);
  EXPECT_TRUE(events.has_value()) << events.error().message;
  return events ? *events : std::vector<StreamEvent>{};
}

TEST(StreamAssemblerTest, TextToolUseReasoningAndMetadataMakeTheWholeAnswer) {
  StreamAssembler assembler;
  EXPECT_TRUE(
      feed(assembler, make_event("messageStart", R"({"role":"assistant","p":"abc"})")).empty());
  EXPECT_FALSE(assembler.content_started());
  feed(assembler,
       make_event("contentBlockDelta",
                  R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"think"}}})"));
  feed(assembler,
       make_event("contentBlockDelta",
                  R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"sig"}}})"));
  auto text =
      feed(assembler, make_event("contentBlockDelta",
                                 R"({"contentBlockIndex":1,"delta":{"text":"Hel"},"p":"abcdef"})"));
  ASSERT_EQ(text.size(), 1u);
  EXPECT_EQ(text[0].type, StreamEventType::Text);
  EXPECT_EQ(text[0].text, "Hel");
  EXPECT_TRUE(assembler.content_started());
  feed(assembler,
       make_event("contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"text":"lo"}})"));
  auto start = feed(
      assembler,
      make_event(
          "contentBlockStart",
          R"({"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"t1","name":"weather"}}})"));
  ASSERT_EQ(start.size(), 1u);
  EXPECT_EQ(start[0].tool_name, "weather");
  feed(assembler,
       make_event("contentBlockDelta",
                  R"({"contentBlockIndex":2,"delta":{"toolUse":{"input":"{\"city\":"}}})"));
  feed(assembler,
       make_event("contentBlockDelta",
                  R"({"contentBlockIndex":2,"delta":{"toolUse":{"input":"\"Paris\"}"}}})"));
  feed(assembler, make_event("contentBlockStop", R"({"contentBlockIndex":2})"));
  EXPECT_TRUE(feed(assembler, make_event("someFutureEvent", R"({"x":1})")).empty()) << "skipped";
  feed(assembler, make_event("messageStop", R"({"stopReason":"tool_use"})"));
  EXPECT_TRUE(assembler.stopped());
  feed(
      assembler,
      make_event(
          "metadata",
          R"({"usage":{"inputTokens":5,"outputTokens":7,"totalTokens":12,"cacheReadInputTokens":3},"metrics":{"latencyMs":42}})"));

  const ConverseOutput output = assembler.output();
  EXPECT_EQ(output.text(), "Hello");
  EXPECT_EQ(output.stop_reason, "tool_use");
  EXPECT_EQ(output.usage.output_tokens, 7);
  EXPECT_EQ(output.usage.cache_read_input_tokens, 3);
  EXPECT_EQ(output.latency.count(), 42);
  ASSERT_EQ(output.tool_uses().size(), 1u);
  EXPECT_EQ(output.tool_uses()[0].input, JsonValue::parse(R"({"city":"Paris"})"));
  ASSERT_TRUE(output.reasoning().has_value());
  const ReasoningTextBlock reasoning = std::get<ReasoningTextBlock>(output.reasoning()->content);
  EXPECT_EQ(reasoning.text, "think");
  EXPECT_EQ(reasoning.signature, "sig");
}

TEST(StreamAssemblerTest, InStreamExceptionsBecomeTypedErrors) {
  const std::tuple<const char*, ErrorCode, int> cases[] = {
      {"throttlingException", ErrorCode::Throttled, 429},
      {"serviceUnavailableException", ErrorCode::ServiceUnavailable, 503},
      {"internalServerException", ErrorCode::ServiceUnavailable, 500},
      {"modelStreamErrorException", ErrorCode::ModelError, 424},
      {"validationException", ErrorCode::InvalidArgument, 400},
  };
  for (const auto& [type, code, status] : cases) {
    StreamAssembler assembler;
    auto result = assembler.on_message(make_exception(type, R"({"message":"boom"})"));
    ASSERT_FALSE(result.has_value()) << type;
    EXPECT_EQ(result.error().code, code) << type;
    EXPECT_EQ(result.error().http_status, status) << type;
    EXPECT_EQ(result.error().message, "boom");
  }
}

TEST(StreamAssemblerTest, MalformedEventsAreStreamCorrupt) {
  for (const char* payload : {"not json", "[1]", R"({"delta":{"text":"x"}})",
                              R"({"contentBlockIndex":-1,"delta":{"text":"x"}})",
                              R"({"contentBlockIndex":0,"delta":{"text":5}})"}) {
    StreamAssembler assembler;
    auto result = assembler.on_message(make_event("contentBlockDelta", payload));
    ASSERT_FALSE(result.has_value()) << payload;
    EXPECT_EQ(result.error().code, ErrorCode::StreamCorrupt) << payload;
  }
  StreamAssembler assembler;
  auto metadata = assembler.on_message(make_event("metadata", R"({"usage":{"inputTokens":"x"}})"));
  ASSERT_FALSE(metadata.has_value());
  EXPECT_EQ(metadata.error().code, ErrorCode::StreamCorrupt);
}

TEST(StreamAssemblerTest, CitationDeltasMakeTheCitationsBlockConverseGives) {
  StreamAssembler assembler;
  feed(assembler,
       make_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Paris."}})"));
  auto events = feed(
      assembler,
      make_event(
          "contentBlockDelta",
          R"({"contentBlockIndex":0,"delta":{"citation":{"title":"Atlas","sourceContent":[{"text":"Paris is..."}],"location":{"documentChar":{"documentIndex":0,"start":0,"end":10}}}}})"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, StreamEventType::Citation);
  const auto cited = assembler.output().citations();
  ASSERT_EQ(cited.size(), 1u);
  EXPECT_EQ(cited[0].content, std::vector<std::string>{"Paris."});
  ASSERT_EQ(cited[0].citations.size(), 1u);
  EXPECT_EQ(cited[0].citations[0].title, "Atlas");
}

TEST(StreamAssemblerTest, ToolInputThatIsNotJsonIsKeptAsText) {
  StreamAssembler assembler;
  feed(assembler,
       make_event("contentBlockStart",
                  R"({"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"t","name":"n"}}})"));
  feed(assembler, make_event("contentBlockDelta",
                             R"({"contentBlockIndex":0,"delta":{"toolUse":{"input":"{oops"}}})"));
  EXPECT_EQ(assembler.output().tool_uses().at(0).input, JsonValue::parse(R"("{oops")"));
}

}  // namespace
}  // namespace llmm::converse
