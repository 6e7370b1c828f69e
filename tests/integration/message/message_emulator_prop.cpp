// Property against the real emulator: any user message the builder accepts (random text, media of
// every format from bytes and S3, cache points, guard content, tool results) is accepted by the
// emulator's request validation when sent to a model that takes every media kind (Nova Lite), and
// arrives as the builder made it (the body the emulator logged decodes to the same message).
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/message_builder.hpp>

#include "protocol/converse_json.hpp"
#include "support/emulator_process.hpp"
#include "support/media_samples.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono_literals;
namespace samples = test::samples;

const std::vector<std::string> kNames = {"",     "a.png", "a.jpg", "a.pdf", "a.csv", "a.docx",
                                         "a.md", "a.mp4", "a.mpg", "a.3gp", "noext"};

rc::Gen<std::string> words() {
  return rc::gen::oneOf(
      rc::gen::elementOf(
          std::vector<std::string>{"hello", "caf\xC3\xA9", "\xF0\x9F\x98\x80", " ", ""}),
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F))));
}

void random_user_step(MessageBuilder& builder) {
  const auto format = *rc::gen::elementOf(samples::kAllFormats);
  const auto name = *rc::gen::elementOf(kNames);
  switch (*rc::gen::inRange(0, 10)) {
    case 0:
    case 1: builder.add_text(*words()); break;
    case 2: builder.add_image(samples::make(format), {.filename = name}); break;
    case 3:
      builder.add_document(
          samples::make(format),
          {.filename = name, .name = std::nullopt, .citations = *rc::gen::arbitrary<bool>()});
      break;
    case 4: builder.add_video(samples::make(format), {.filename = name}); break;
    case 5: builder.add_image_s3("s3://bucket/" + name, format); break;
    case 6: builder.add_video_s3("s3://bucket/clip", format, "123456789012"); break;
    case 7:
      builder.add_cache_point(*rc::gen::elementOf(std::vector<std::string>{"5m", "1h", "2h"}));
      break;
    case 8: builder.add_guard_text(*words(), {GuardQualifier::GuardContent}); break;
    default: builder.add_tool_result("tool_1", JsonValue::parse(R"({"ok":true})")); break;
  }
}

TEST(MessageEmulatorProperty, AcceptedMessagesAreAcceptedByTheEmulatorAndArriveUnchanged) {
  test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--seed", "3", "--log-bodies"});
  const AuthConfig auth = emulator.auth_config();
  const LLMManager manager({"Nova Lite"}, {"us-east-1"}, auth, RetryConfig{.retry_delay = 10ms},
                           ClientConfig({.read_timeout = 10s, .retries_max_attempts = 0}));

  const auto result = rc::check("a built message goes through", [&] {
    MessageBuilder builder = user_message();
    const int steps = *rc::gen::inRange(1, 8);
    for (int i = 0; i < steps; ++i) {
      try {
        random_user_step(builder);
      } catch (const RequestValidationError&) {}
    }
    Message message;
    try {
      message = builder.build();
    } catch (const RequestValidationError&) {
      RC_DISCARD("refused by the builder");
    }
    ConverseRequest request;
    request.messages.push_back(message);
    bool has_tool_result = false;
    std::size_t cache_points = 0;
    for (const auto& block : message.content) {
      has_tool_result = has_tool_result || std::holds_alternative<ToolResultBlock>(block);
      cache_points += std::holds_alternative<CachePointBlock>(block) ? 1 : 0;
    }
    // Bedrock (and so the emulator) refuses a fifth cache point; the builder does not count them.
    if (cache_points > 4) RC_DISCARD("more cache points than Bedrock takes");
    if (has_tool_result) {  // Bedrock wants a toolConfig beside tool results
      request.tool_config = ToolConfiguration{
          {ToolSpecification{"tool_1", std::nullopt, JsonValue::parse(R"({"type":"object"})"),
                             std::nullopt}},
          std::nullopt};
    }
    emulator.admin_reset();
    const BedrockResponse response = manager.converse(request);
    RC_ASSERT(response.ok());
    RC_ASSERT(response.attempts.size() == 1u);
    const auto log = nlohmann::json::parse(emulator.admin_requests())["requests"];
    std::string body;
    for (const auto& entry : log) {
      if (entry["operation"] == "Converse" && entry.contains("body")) body = entry["body"];
    }
    const auto decoded = protocol::decode_converse_request(body);
    RC_ASSERT(decoded.has_value());
    RC_ASSERT(decoded->messages == request.messages);
  });
  EXPECT_TRUE(result);
}

}  // namespace
}  // namespace llmm
