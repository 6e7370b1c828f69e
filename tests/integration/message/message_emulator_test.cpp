// Messages built with MessageBuilder, sent through an LLMManager to the real emulator: every
// image, document and video format, multimodal turns, a tool round trip with an image result, and
// a multi-turn conversation kept with append_response. The emulator refuses media a model cannot
// take (docs/emulator.md "Capability checks"), so images and documents go to Claude 3 Haiku and
// video to Nova Lite; the echo mode names each media block it received ("[image png 75 bytes]").
#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>

#include "support/emulator_process.hpp"
#include "support/media_samples.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace llmm {
namespace {

using namespace std::chrono_literals;
namespace samples = test::samples;

class MessageEmulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    emulator_ = new test::EmulatorProcess(BEDROCK_EMULATOR_PATH, {"--seed", "7", "--log-bodies"});
  }
  static void TearDownTestSuite() {
    delete emulator_;
    emulator_ = nullptr;
  }
  void SetUp() override { emulator_->admin_reset(); }

  static AuthConfig auth() { return emulator_->auth_config(); }

  static BedrockResponse send(const std::string& model, const ConverseRequest& request) {
    const LLMManager manager({model}, {"us-east-1"}, auth(),
                             RetryConfig{.retry_delay = 10ms, .max_retry_delay = 50ms},
                             ClientConfig({.read_timeout = 10s, .retries_max_attempts = 0}));
    return manager.converse(request);
  }

  static BedrockResponse send(const std::string& model, const Message& message) {
    ConverseRequest request;
    request.messages.push_back(message);
    return send(model, request);
  }

  // The body of the last Converse request the emulator saw.
  static nlohmann::json last_body() {
    const auto all = nlohmann::json::parse(emulator_->admin_requests())["requests"];
    nlohmann::json body;
    for (const auto& entry : all) {
      if (entry["operation"] == "Converse" && entry.contains("body")) {
        body = nlohmann::json::parse(entry["body"].get<std::string>());
      }
    }
    return body;
  }

  static test::EmulatorProcess* emulator_;
};

test::EmulatorProcess* MessageEmulatorTest::emulator_ = nullptr;

constexpr const char* kHaiku = "Claude 3 Haiku";
constexpr const char* kNovaLite = "Nova Lite";

std::string mention(std::string_view kind, FileFormat format, std::size_t size) {
  return "[" + std::string(kind) + " " + std::string(to_string(format)) + " " +
         std::to_string(size) + " bytes]";
}

TEST_F(MessageEmulatorTest, EveryImageFormatIsAcceptedByClaude) {
  for (const FileFormat format :
       {FileFormat::Png, FileFormat::Jpeg, FileFormat::Gif, FileFormat::Webp}) {
    const std::string bytes = samples::make(format);
    const Message message = user_message()
                                .add_text("Describe the picture.")
                                .add_image(bytes, {.filename = "p.bin"})
                                .build();
    const BedrockResponse response = send(kHaiku, message);
    ASSERT_TRUE(response.ok()) << to_string(format) << ": " << response.error->describe();
    EXPECT_NE(response.text().find(mention("image", format, bytes.size())), std::string::npos)
        << response.text();
    const auto body = last_body();
    EXPECT_EQ(body["messages"][0]["content"][1]["image"]["format"], to_string(format))
        << body.dump();
  }
}

TEST_F(MessageEmulatorTest, EveryDocumentFormatIsAcceptedByClaude) {
  test::ScopedTempDir dir;
  for (const FileFormat format :
       {FileFormat::Pdf, FileFormat::Csv, FileFormat::Doc, FileFormat::Docx, FileFormat::Xls,
        FileFormat::Xlsx, FileFormat::Html, FileFormat::Txt, FileFormat::Md}) {
    const std::string bytes = samples::make(format);
    const auto path = dir.write_file(samples::filename(format, "Quarterly_report"), bytes);
    const Message message =
        user_message().add_text("Summarise it.").add_document_file(path).build();
    const BedrockResponse response = send(kHaiku, message);
    ASSERT_TRUE(response.ok()) << to_string(format) << ": " << response.error->describe();
    EXPECT_NE(
        response.text().find("[document " + std::string(to_string(format)) +
                             " 'Quarterly report' " + std::to_string(bytes.size()) + " bytes]"),
        std::string::npos)
        << response.text();
  }
}

TEST_F(MessageEmulatorTest, EveryVideoFormatIsAcceptedByNova) {
  for (const FileFormat format :
       {FileFormat::Mkv, FileFormat::Mov, FileFormat::Mp4, FileFormat::Webm, FileFormat::Flv,
        FileFormat::Mpeg, FileFormat::Mpg, FileFormat::Wmv, FileFormat::ThreeGp}) {
    const std::string bytes = samples::make(format);
    const Message message = user_message()
                                .add_text("What happens in the clip?")
                                .add_video(bytes, {.filename = samples::filename(format)})
                                .build();
    const BedrockResponse response = send(kNovaLite, message);
    ASSERT_TRUE(response.ok()) << to_string(format) << ": " << response.error->describe();
    EXPECT_NE(response.text().find(mention("video", format, bytes.size())), std::string::npos)
        << response.text();
  }
}

TEST_F(MessageEmulatorTest, AMultimodalMessageWithS3MediaAndACachePoint) {
  const std::string png = samples::png();
  const std::string pdf = samples::pdf();
  const Message message =
      user_message()
          .add_text("Compare the chart, the report and the clip.")
          .add_image(png)
          .add_document(pdf, {.filename = "annual-report.pdf", .citations = true})
          .add_video_s3("s3://media-bucket/clip.mp4", FileFormat::Mp4, "123456789012")
          .add_cache_point("5m")
          .build();
  const BedrockResponse response = send(kNovaLite, message);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_NE(response.text().find(mention("image", FileFormat::Png, png.size())), std::string::npos)
      << response.text();
  EXPECT_NE(response.text().find("[document pdf 'annual-report' " + std::to_string(pdf.size()) +
                                 " bytes]"),
            std::string::npos)
      << response.text();
  EXPECT_NE(response.text().find("[video mp4 s3://media-bucket/clip.mp4]"), std::string::npos)
      << response.text();
  const auto content = last_body()["messages"][0]["content"];
  ASSERT_EQ(content.size(), 5u) << content.dump();
  EXPECT_EQ(content[2]["document"]["citations"]["enabled"], true);
  EXPECT_EQ(content[3]["video"]["source"]["s3Location"]["bucketOwner"], "123456789012");
  EXPECT_EQ(content[4]["cachePoint"]["ttl"], "5m");
}

TEST_F(MessageEmulatorTest, AConversationGrowsWithAppendResponse) {
  std::vector<Message> conversation;
  conversation.push_back(
      user_message().add_text("Here is a chart.").add_image(samples::gif()).build());
  ConverseRequest request;
  request.messages = conversation;
  const BedrockResponse first = send(kHaiku, request);
  ASSERT_TRUE(first.ok()) << first.error->describe();
  append_response(request.messages, *first.output);
  request.messages.push_back(user_message()
                                 .add_text("And now the table?")
                                 .add_document(samples::csv(), {.filename = "table.csv"})
                                 .build());
  const BedrockResponse second = send(kHaiku, request);
  ASSERT_TRUE(second.ok()) << second.error->describe();
  EXPECT_NE(second.text().find("And now the table?"), std::string::npos) << second.text();
  const auto messages = last_body()["messages"];
  ASSERT_EQ(messages.size(), 3u) << messages.dump();
  EXPECT_EQ(messages[1]["role"], "assistant");
  EXPECT_EQ(messages[1]["content"][0]["text"], first.text());
}

TEST_F(MessageEmulatorTest, AToolRoundTripWithAnImageResult) {
  const auto reply = emulator_->admin_put_scenario(
      R"({"rules":[{"match":{"calls":[1]},"action":{"type":"toolUse","name":"render_chart","input":{"year":2024}}}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  ConverseRequest request;
  request.tool_config = ToolConfiguration{
      {ToolSpecification{
          "render_chart", "Renders a chart",
          JsonValue::parse(R"({"type":"object","properties":{"year":{"type":"integer"}}})"),
          std::nullopt}},
      std::nullopt};
  request.messages.push_back(user_message().add_text("Chart 2024 sales.").build());
  const BedrockResponse first = send(kHaiku, request);
  ASSERT_TRUE(first.ok()) << first.error->describe();
  const auto calls = first.tool_uses();
  ASSERT_EQ(calls.size(), 1u);
  append_response(request.messages, *first.output);
  request.messages.push_back(user_message()
                                 .add_tool_result(calls[0].tool_use_id,
                                                  std::vector<ToolResultContentBlock>{
                                                      JsonValue::parse(R"({"rendered":true})"),
                                                      image_block(samples::png())},
                                                  ToolResultStatus::Success)
                                 .add_text("Here it is.")
                                 .build());
  const BedrockResponse second = send(kHaiku, request);
  ASSERT_TRUE(second.ok()) << second.error->describe();
  EXPECT_NE(second.text().find("[toolResult " + calls[0].tool_use_id + "]"), std::string::npos)
      << second.text();
  const auto result = last_body()["messages"][2]["content"][0]["toolResult"];
  EXPECT_EQ(result["content"][0]["json"]["rendered"], true) << result.dump();
  EXPECT_EQ(result["content"][1]["image"]["format"], "png") << result.dump();
  EXPECT_EQ(result["status"], "success");
}

// What a model can take is the manager's and the service's business, not the builder's: a video
// for Claude 3 Haiku (no video input) is built, and the manager leaves it out of what it sends,
// saying so in a warning.
TEST_F(MessageEmulatorTest, ModelCapabilitiesAreNotTheBuildersBusiness) {
  const Message message = user_message().add_text("Clip?").add_video(samples::mp4()).build();
  const BedrockResponse response = send(kHaiku, message);
  ASSERT_TRUE(response.ok()) << response.error->describe();
  std::string warnings;
  for (const std::string& warning : response.warnings) warnings += warning + "\n";
  EXPECT_NE(warnings.find("video"), std::string::npos) << warnings;
  const auto content = last_body()["messages"][0]["content"];
  for (const auto& block : content) EXPECT_FALSE(block.contains("video")) << content.dump();
}

}  // namespace
}  // namespace llmm
