#include "service_test_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;
using nlohmann::json;

std::vector<std::string> event_types(const std::vector<DecodedFrame>& frames) {
  std::vector<std::string> types;
  for (const auto& frame : frames) types.push_back(frame.headers.at(":event-type"));
  return types;
}

ServiceRequest stream_request(std::string body) {
  return converse_request(std::move(body), "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1",
                          Operation::ConverseStream);
}

TEST(EmulatorStream, TextAnswerFrameSequence) {
  EmulatorService service({});
  auto plan = service.handle(stream_request(user_text_body("one two three four five six seven")));
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_TRUE(plan.streaming);
  EXPECT_FALSE(plan.cut_after_frames);
  EXPECT_EQ(header(plan, "Content-Type"), "application/vnd.amazon.eventstream");
  const auto frames = decode_frames(plan);
  EXPECT_EQ(event_types(frames),
            (std::vector<std::string>{"messageStart", "contentBlockDelta", "contentBlockDelta",
                                      "contentBlockDelta", "contentBlockStop", "messageStop",
                                      "metadata"}));
  std::string text;
  for (const auto& frame : frames) {
    EXPECT_EQ(frame.headers.at(":message-type"), "event");
    EXPECT_EQ(frame.headers.at(":content-type"), "application/json");
    const json payload = json::parse(frame.payload);
    if (frame.headers.at(":event-type") == "contentBlockDelta") {
      EXPECT_EQ(payload["contentBlockIndex"], 0);
      text += payload["delta"]["text"].get<std::string>();
    }
  }
  EXPECT_EQ(text, "one two three four five six seven");
  EXPECT_EQ(json::parse(frames[0].payload), json({{"role", "assistant"}}));
  EXPECT_EQ(json::parse(frames[5].payload)["stopReason"], "end_turn");
  const json metadata = json::parse(frames[6].payload);
  EXPECT_EQ(metadata["usage"]["outputTokens"], 7);
  EXPECT_TRUE(metadata["metrics"]["latencyMs"].is_number_integer());
}

TEST(EmulatorStream, StreamMatchesConverseAnswer) {
  EmulatorService service({.seed = 9, .mode = AnswerMode::Generate});
  const std::string body = user_text_body("stream me");
  const json unary = json::parse(service.handle(converse_request(body)).body);
  std::string text;
  for (const auto& frame : decode_frames(service.handle(stream_request(body)))) {
    if (frame.headers.at(":event-type") == "contentBlockDelta") {
      text += json::parse(frame.payload)["delta"]["text"].get<std::string>();
    }
  }
  EXPECT_EQ(text, unary["output"]["message"]["content"][0]["text"]);
}

TEST(EmulatorStream, LatencyModelDelaysFrames) {
  EmulatorService service({});
  ASSERT_FALSE(
      service.set_scenario(R"({"latency":{"timeToFirstTokenMs":200,"tokensPerSecond":30}})"));
  auto plan = service.handle(stream_request(user_text_body("a b c d")));
  ASSERT_GE(plan.frames.size(), 3u);
  EXPECT_EQ(plan.frames[0].delay_before, std::chrono::milliseconds(200));
  EXPECT_EQ(plan.frames[1].delay_before, std::chrono::milliseconds(100));  // 3 tokens at 30/s
  EXPECT_EQ(plan.frames[2].delay_before, std::chrono::milliseconds(33));   // 1 token
}

TEST(EmulatorStream, ToolUseFrames) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"action":{"type":"toolUse","name":"get_weather",
      "input":{"city":"Paris","unit":"celsius"}}}]})"));
  const json request = {
      {"messages", {{{"role", "user"}, {"content", {{{"text", "weather?"}}}}}}},
      {"toolConfig",
       {{"tools",
         {{{"toolSpec",
            {{"name", "get_weather"}, {"inputSchema", {{"json", json::object()}}}}}}}}}}};
  const auto frames = decode_frames(service.handle(stream_request(request.dump())));
  const auto types = event_types(frames);
  ASSERT_GE(types.size(), 6u);
  EXPECT_EQ(types[0], "messageStart");
  EXPECT_EQ(types[1], "contentBlockStart");
  EXPECT_EQ(types[types.size() - 3], "contentBlockStop");
  EXPECT_EQ(types[types.size() - 2], "messageStop");
  EXPECT_EQ(types.back(), "metadata");
  const json start = json::parse(frames[1].payload);
  EXPECT_EQ(start["start"]["toolUse"]["name"], "get_weather");
  EXPECT_TRUE(start["start"]["toolUse"]["toolUseId"].get<std::string>().starts_with("tooluse_"));
  std::string input;
  for (std::size_t i = 2; i + 3 < frames.size(); ++i) {
    EXPECT_EQ(types[i], "contentBlockDelta");
    input += json::parse(frames[i].payload)["delta"]["toolUse"]["input"].get<std::string>();
  }
  EXPECT_GT(types.size(), 7u);  // the input arrives in more than one fragment
  EXPECT_EQ(json::parse(input), json({{"city", "Paris"}, {"unit", "celsius"}}));
  EXPECT_EQ(json::parse(frames[frames.size() - 2].payload)["stopReason"], "tool_use");
}

TEST(EmulatorStream, ErrorsBeforeTheStreamAreJson) {
  EmulatorService service({});
  auto plan = service.handle(
      converse_request(user_text_body("x"), "acme.none", "us-east-1", Operation::ConverseStream));
  EXPECT_FALSE(plan.streaming);
  EXPECT_EQ(plan.status, 400);
  EXPECT_EQ(header(plan, "Content-Type"), "application/json");
}

TEST(EmulatorStream, CorruptCrcPastTheEndHitsTheLastEvent) {
  EmulatorService service({});
  auto normal = service.handle(stream_request(user_text_body("x")));
  ASSERT_FALSE(
      service.set_scenario(R"({"rules":[{"action":{"type":"corruptCrc","atEvent":99}}]})"));
  auto corrupt = service.handle(stream_request(user_text_body("x")));
  ASSERT_EQ(corrupt.frames.size(), normal.frames.size());
  EXPECT_NE(corrupt.frames.back().bytes, normal.frames.back().bytes);
}

}  // namespace

namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// The first frame is byte for byte the messageStart example of wire doc §4.6.
TEST(EmulatorStream, MessageStartMatchesTheWireDocExample) {
  bedrock_emulator::EmulatorService service({});
  auto plan = service.handle(
      emulator_test::converse_request(emulator_test::user_text_body("x"), "amazon.nova-micro-v1:0",
                                      "eu-west-1", bedrock_emulator::Operation::ConverseStream));
  ASSERT_FALSE(plan.frames.empty());
  EXPECT_EQ(plan.frames[0].bytes,
            from_hex("000000760000005296d5fade0b3a6576656e742d7479706507000c6d65737361676553746172"
                     "740d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d65"
                     "73736167652d747970650700056576656e747b22726f6c65223a22617373697374616e74227d"
                     "6fa8c599"));
}

}  // namespace
