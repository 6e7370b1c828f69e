// MessageBuilder: every block kind, every validation rule, and the reference scenarios of
// reference-system §12.1 item 16 with our semantics.
#include <llmm/exceptions.hpp>
#include <llmm/message_builder.hpp>

#include "support/media_samples.hpp"
#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <string>
#include <vector>

namespace llmm {
namespace {

namespace samples = test::samples;

// The message of the RequestValidationError `action` throws ("" when it throws nothing).
template <typename Action>
std::string refusal(Action&& action) {
  try {
    action();
  } catch (const RequestValidationError& error) {
    return error.what();
  }
  return "";
}

#define EXPECT_REFUSED(action, ...)                                                            \
  do {                                                                                         \
    const std::string message_ = refusal([&] { (void)(action); });                             \
    EXPECT_FALSE(message_.empty()) << "not refused: " #action;                                 \
    for (const char* part_ : {__VA_ARGS__}) {                                                  \
      EXPECT_NE(message_.find(part_), std::string::npos) << message_ << "\nwanted: " << part_; \
    }                                                                                          \
  } while (false)

std::string padded(std::string bytes, std::size_t size) {
  bytes.resize(size, '\0');
  return bytes;
}

// ---- reference scenarios
// ---------------------------------------------------------------------------

TEST(MessageBuilderTest, PngBytesNamedJpgAreSentAsPngWithAWarning) {
  MessageBuilder builder = user_message();
  const Message message = builder.add_text("What is this?")
                              .add_image(samples::png(), {.filename = "photo.jpg"})
                              .build();
  ASSERT_EQ(message.content.size(), 2u);
  const auto& image = std::get<ImageBlock>(message.content[1]);
  EXPECT_EQ(image.format, "png");
  EXPECT_EQ(std::get<std::string>(image.source), samples::png());
  ASSERT_EQ(builder.warnings().size(), 1u);
  EXPECT_NE(builder.warnings()[0].find("photo.jpg"), std::string::npos) << builder.warnings()[0];
  EXPECT_NE(builder.warnings()[0].find("jpeg"), std::string::npos) << builder.warnings()[0];
}

TEST(MessageBuilderTest, AnImageOfOneByteOverTheLimitIsRefused) {
  const std::string at_limit = padded(samples::png(), 3'750'000);
  EXPECT_NO_THROW((void)user_message().add_text("x").add_image(at_limit).build());
  EXPECT_REFUSED(
      user_message().add_image(padded(samples::png(), 3'750'001), {.filename = "big.png"}),
      "big.png", "png", "3750001", "3750000", "MessageLimits::max_image_bytes");
}

TEST(MessageBuilderTest, TheHundredAndFirstBlockIsRefused) {
  MessageBuilder builder = user_message();
  for (int i = 0; i < 100; ++i) builder.add_text("block " + std::to_string(i));
  EXPECT_EQ(builder.build().content.size(), 100u);
  EXPECT_REFUSED(builder.add_text("one too many"), "101", "100 blocks",
                 "MessageLimits::max_blocks_per_message");
  EXPECT_REFUSED(builder.add_cache_point(), "101");
  EXPECT_EQ(builder.block_count(), 100u);

  MessageLimits roomy;
  roomy.max_blocks_per_message = 200;
  MessageBuilder big = user_message(roomy);
  for (int i = 0; i < 150; ++i) big.add_text("block");
  EXPECT_EQ(big.build().content.size(), 150u);
}

TEST(MessageBuilderTest, ACachePointFirstIsRefused) {
  EXPECT_REFUSED(user_message().add_cache_point(), "cache point", "first block");
  EXPECT_REFUSED(user_message().add_cache_point("5m"), "first block");
  Message raw{Role::User, {CachePointBlock{}, TextBlock{"x"}}};
  EXPECT_REFUSED(validate_message(raw), "first block");
}

TEST(MessageBuilderTest, CachePointTtlsAreFiveMinutesOrOneHourOnly) {
  const Message message = user_message()
                              .add_text("long context")
                              .add_cache_point()
                              .add_text("more")
                              .add_cache_point("5m")
                              .add_text("still more")
                              .add_cache_point("1h")
                              .build();
  EXPECT_EQ(std::get<CachePointBlock>(message.content[1]), CachePointBlock{});
  EXPECT_EQ(std::get<CachePointBlock>(message.content[3]).ttl, "5m");
  EXPECT_EQ(std::get<CachePointBlock>(message.content[5]).ttl, "1h");
  EXPECT_REFUSED(user_message().add_text("x").add_cache_point("2h"), "2h", "5m or 1h");
  EXPECT_REFUSED(user_message().add_text("x").add_cache_point(""), "TTL");
  Message raw{Role::User, {TextBlock{"x"}, CachePointBlock{"ephemeral", std::nullopt}}};
  EXPECT_REFUSED(validate_message(raw), "ephemeral");
}

TEST(MessageBuilderTest, ToolResultJsonBecomesAJsonBlock) {
  const JsonValue json = JsonValue::parse(R"({"temperature": 21, "unit": "C"})");
  const Message message = user_message().add_tool_result("tool-1", json).build();
  const auto& result = std::get<ToolResultBlock>(message.content[0]);
  EXPECT_EQ(result.tool_use_id, "tool-1");
  ASSERT_EQ(result.content.size(), 1u);
  EXPECT_EQ(std::get<JsonValue>(result.content[0]), json);
  EXPECT_FALSE(result.status);
}

TEST(MessageBuilderTest, AnS3UriWithoutTheSchemeIsRefused) {
  EXPECT_REFUSED(user_message().add_image_s3("bucket/photo.png", FileFormat::Png),
                 "bucket/photo.png", "s3://");
  EXPECT_REFUSED(user_message().add_video_s3("https://bucket/v.mp4", FileFormat::Mp4), "s3://");
  EXPECT_REFUSED(user_message().add_document_s3("s3://bucket-only", FileFormat::Pdf),
                 "s3://bucket/key");
}

// ---- blocks -------------------------------------------------------------------------------------

TEST(MessageBuilderTest, TextIsSentAsGivenAndBlankTextIsRefused) {
  const Message message = user_message().add_text("  padded \n").build();
  EXPECT_EQ(std::get<TextBlock>(message.content[0]).text, "  padded \n");
  EXPECT_EQ(message.role, Role::User);
  EXPECT_REFUSED(user_message().add_text(""), "empty or blank");
  EXPECT_REFUSED(user_message().add_text(" \t\n"), "empty or blank");
  EXPECT_REFUSED(user_message().add_text("caf\xE9"), "UTF-8");
}

TEST(MessageBuilderTest, AnEmptyMessageIsRefused) {
  EXPECT_REFUSED(user_message().build(), "user message", "at least one content block");
  EXPECT_REFUSED(assistant_message().build(), "assistant message");
}

TEST(MessageBuilderTest, EveryImageFormatFromBytes) {
  for (const FileFormat format :
       {FileFormat::Png, FileFormat::Jpeg, FileFormat::Gif, FileFormat::Webp}) {
    const Message message = user_message().add_image(samples::make(format)).build();
    EXPECT_EQ(std::get<ImageBlock>(message.content[0]).format, to_string(format));
  }
}

TEST(MessageBuilderTest, FilesAreReadDetectedAndNamed) {
  test::ScopedTempDir dir;
  const auto image = dir.write_file("chart.png", samples::png());
  const auto report = dir.write_file("Q3 report_final.v2.pdf", samples::pdf());
  const auto clip = dir.write_file("clip.webm", samples::webm());
  const Message message =
      user_message()
          .add_text("Summarise")
          .add_image_file(image)
          .add_document_file(report, {.citations = true, .context = std::string("Q3")})
          .add_video_file(clip)
          .build();
  ASSERT_EQ(message.content.size(), 4u);
  EXPECT_EQ(std::get<ImageBlock>(message.content[1]).format, "png");
  const auto& document = std::get<DocumentBlock>(message.content[2]);
  EXPECT_EQ(document.format, "pdf");
  EXPECT_EQ(document.name, "Q3 report final v2");
  EXPECT_EQ(document.citations, CitationsConfig{true});
  EXPECT_EQ(document.context, "Q3");
  EXPECT_EQ(std::get<std::string>(document.source), samples::pdf());
  EXPECT_EQ(std::get<VideoBlock>(message.content[3]).format, "webm");
}

TEST(MessageBuilderTest, EveryDocumentFormatFromAFile) {
  test::ScopedTempDir dir;
  for (const FileFormat format :
       {FileFormat::Pdf, FileFormat::Csv, FileFormat::Doc, FileFormat::Docx, FileFormat::Xls,
        FileFormat::Xlsx, FileFormat::Html, FileFormat::Txt, FileFormat::Md}) {
    const auto path = dir.write_file(samples::filename(format), samples::make(format));
    const Message message = user_message().add_text("Read this").add_document_file(path).build();
    const auto& document = std::get<DocumentBlock>(message.content[1]);
    EXPECT_EQ(document.format, to_string(format));
    EXPECT_EQ(document.name, "sample");
  }
}

TEST(MessageBuilderTest, EveryVideoFormatFromAFile) {
  test::ScopedTempDir dir;
  for (const FileFormat format :
       {FileFormat::Mkv, FileFormat::Mov, FileFormat::Mp4, FileFormat::Webm, FileFormat::Flv,
        FileFormat::Mpeg, FileFormat::Mpg, FileFormat::Wmv, FileFormat::ThreeGp}) {
    const auto path = dir.write_file(samples::filename(format), samples::make(format));
    const Message message = user_message().add_video_file(path).build();
    EXPECT_EQ(std::get<VideoBlock>(message.content[0]).format, to_string(format));
  }
}

TEST(MessageBuilderTest, AttachmentsGoWhereTheirContentSays) {
  test::ScopedTempDir dir;
  // Names that lie: the content decides the block kind.
  const auto image = dir.write_file("looks-like-a.pdf", samples::jpeg());
  const auto document = dir.write_file("sheet.bin", samples::xlsx());
  const auto video = dir.write_file("movie", samples::mp4());
  const auto notes = dir.write_file("notes.md", samples::md());
  MessageBuilder builder = user_message();
  const Message message = builder.add_text("All of these")
                              .add_attachment(image)
                              .add_attachment(document)
                              .add_attachment(video)
                              .add_attachment(notes)
                              .build();
  EXPECT_EQ(std::get<ImageBlock>(message.content[1]).format, "jpeg");
  EXPECT_EQ(std::get<DocumentBlock>(message.content[2]).format, "xlsx");
  EXPECT_EQ(std::get<VideoBlock>(message.content[3]).format, "mp4");
  EXPECT_EQ(std::get<DocumentBlock>(message.content[4]).format, "md");
  EXPECT_EQ(builder.warnings().size(), 1u) << "the jpeg named .pdf";

  const auto archive =
      dir.write_file("book.epub", samples::zip({{"mimetype", "application/epub+zip"}}));
  EXPECT_REFUSED(user_message().add_attachment(archive), "book.epub", "not a supported",
                 "not an Office Open XML document");
  const auto binary = dir.write_file("blob", std::string("\x00\x01\x02\x03", 4));
  EXPECT_REFUSED(user_message().add_attachment(binary), "blob", "not a supported");
}

TEST(MessageBuilderTest, AMissingOrUnreadableFileIsNamed) {
  test::ScopedTempDir dir;
  const auto missing = dir.path() / "nowhere.png";
  EXPECT_REFUSED(user_message().add_image_file(missing), "nowhere.png", "no such file");
  EXPECT_REFUSED(user_message().add_attachment(missing), "nowhere.png", "no such file");
  EXPECT_REFUSED(user_message().add_document_file(dir.path()), "not a regular file");
  if (geteuid() != 0) {
    const auto locked = dir.write_file("locked.pdf", samples::pdf());
    std::filesystem::permissions(locked, std::filesystem::perms::none);
    EXPECT_REFUSED(user_message().add_document_file(locked), "locked.pdf", "cannot be read");
  }
}

TEST(MessageBuilderTest, TheWrongKindOrAnUnconfirmedFormatIsRefused) {
  EXPECT_REFUSED(user_message().add_image(samples::pdf(), {.filename = "scan.png"}), "scan.png",
                 "detected pdf", "is a document, not an image");
  EXPECT_REFUSED(user_message().add_text("x").add_document(samples::mp4()), "detected mp4",
                 "is a video");
  EXPECT_REFUSED(user_message().add_video(samples::gif()), "is an image", "not a video");
  EXPECT_REFUSED(user_message().add_image("not really a picture", {.filename = "photo.png"}),
                 "photo.png", "png by extension", "no png signature");
  EXPECT_REFUSED(user_message().add_image(std::string("\x01\x02\x03", 3)), "image bytes",
                 "could not be told");
  EXPECT_REFUSED(user_message().add_image(samples::png(), {.format = FileFormat::Pdf}),
                 "pdf, is not an image format");
  // An explicit format sends what detection cannot confirm.
  const Message forced =
      user_message().add_image("opaque bytes", {.format = FileFormat::Webp}).build();
  EXPECT_EQ(std::get<ImageBlock>(forced.content[0]).format, "webp");
}

TEST(MessageBuilderTest, AtMostTwentyImagesUnlessRaised) {
  MessageBuilder builder = user_message();
  for (int i = 0; i < 20; ++i) builder.add_image(samples::gif());
  EXPECT_REFUSED(builder.add_image(samples::gif()), "image 21", "20 images",
                 "MessageLimits::max_images_per_message");
  EXPECT_REFUSED(builder.add_image_s3("s3://b/k.png", FileFormat::Png), "20 images");
  MessageLimits limits;
  limits.max_images_per_message = 21;
  MessageBuilder raised = user_message(limits);
  for (int i = 0; i < 21; ++i) raised.add_image(samples::gif());
  EXPECT_EQ(raised.build().content.size(), 21u);
  // validate_message counts images inside tool results too.
  Message raw{Role::User, {}};
  for (int i = 0; i < 21; ++i) {
    raw.content.emplace_back(ToolResultBlock{
        "t" + std::to_string(i), {image_block(samples::gif())}, std::nullopt, std::nullopt});
  }
  EXPECT_REFUSED(validate_message(raw), "21 images");
}

TEST(MessageBuilderTest, DocumentsAreCappedInSizeAndNumberAndNeedText) {
  const std::string big = padded(samples::pdf(), 4'500'001);
  EXPECT_REFUSED(user_message().add_document(big, {.filename = "big.pdf"}), "big.pdf",
                 "document pdf", "4500001", "MessageLimits::max_document_bytes");
  MessageLimits limits;
  limits.max_document_bytes = 5'000'000;
  EXPECT_NO_THROW((void)user_message(limits).add_text("x").add_document(big).build());

  MessageBuilder five = user_message();
  five.add_text("Compare these");
  for (int i = 0; i < 5; ++i)
    five.add_document(samples::csv(), {.filename = "t" + std::to_string(i) + ".csv"});
  EXPECT_EQ(five.build().content.size(), 6u);
  EXPECT_REFUSED(five.add_document(samples::csv(), {.filename = "t6.csv"}), "t6.csv", "document 6",
                 "MessageLimits::max_documents_per_message");

  EXPECT_REFUSED(user_message().add_document(samples::pdf()).build(), "text block beside",
                 "require_text_with_documents");
  MessageLimits no_text;
  no_text.require_text_with_documents = false;
  EXPECT_NO_THROW((void)user_message(no_text).add_document(samples::pdf()).build());
}

TEST(MessageBuilderTest, ImagesAndDocumentsOnlyInUserMessages) {
  EXPECT_REFUSED(assistant_message().add_image(samples::png()), "user messages only");
  EXPECT_REFUSED(assistant_message().add_document(samples::pdf()), "user messages only");
  EXPECT_REFUSED(assistant_message().add_image_s3("s3://b/k.png", FileFormat::Png),
                 "user messages only");
  Message raw{Role::Assistant, {TextBlock{"x"}, image_block(samples::png())}};
  EXPECT_REFUSED(validate_message(raw), "block 2 (image png)", "user messages only");
}

TEST(MessageBuilderTest, InlineVideoMustBeUnderTheBase64LimitLargerGoesThroughS3) {
  MessageLimits limits;
  limits.max_inline_video_base64_bytes = 100;
  // 72 bytes encode to 96, 73..75 to 100 (not under 100).
  EXPECT_NO_THROW((void)user_message(limits).add_video(padded(samples::mp4(), 72)).build());
  EXPECT_REFUSED(
      user_message(limits).add_video(padded(samples::mp4(), 73), {.filename = "clip.mp4"}),
      "clip.mp4 (video mp4)", "100 once base64-encoded", "add_video_s3",
      "MessageLimits::max_inline_video_base64_bytes");
  test::ScopedTempDir dir;
  const auto file = dir.write_file("long.mkv", padded(samples::mkv(), 4096));
  EXPECT_REFUSED(user_message(limits).add_video_file(file), "long.mkv (video mkv)", "too large",
                 "add_video_s3");
  // The default: 18,749,997 bytes encode to 24,999,996; 18,750,000 to 25,000,000.
  EXPECT_NO_THROW((void)user_message().add_video(padded(samples::mp4(), 18'749'997)).build());
  EXPECT_REFUSED(user_message().add_video(padded(samples::mp4(), 18'750'000)), "25000000");
  // S3: no size known here (Bedrock takes up to 1 GB); the owner must be an account id.
  const Message s3 =
      user_message().add_video_s3("s3://videos/long.mp4", FileFormat::Mp4, "123456789012").build();
  const auto& video = std::get<VideoBlock>(s3.content[0]);
  EXPECT_EQ(std::get<S3Location>(video.source),
            (S3Location{"s3://videos/long.mp4", "123456789012"}));
  EXPECT_REFUSED(user_message().add_video_s3("s3://videos/a.mp4", FileFormat::Mp4, "12345"),
                 "12-digit");
  EXPECT_REFUSED(user_message().add_video_s3("s3://videos/a.mp4", FileFormat::Png),
                 "not a video format");
}

TEST(MessageBuilderTest, S3ImagesAndDocuments) {
  const Message message =
      user_message()
          .add_text("Look")
          .add_image_s3("s3://photos/cat.jpg", FileFormat::Jpeg)
          .add_document_s3("s3://docs/annual_report-2024.pdf", FileFormat::Pdf, {}, "111122223333")
          .build();
  EXPECT_EQ(std::get<ImageBlock>(message.content[1]).format, "jpeg");
  const auto& document = std::get<DocumentBlock>(message.content[2]);
  EXPECT_EQ(document.name, "annual report-2024");
  EXPECT_EQ(std::get<S3Location>(document.source).bucket_owner, "111122223333");
  EXPECT_REFUSED(user_message().add_image_s3("s3://b/k", FileFormat::Mp4), "not an image format");
}

TEST(MessageBuilderTest, DocumentNamesAreSanitized) {
  EXPECT_EQ(sanitize_document_name("Q3: results (final)!"), "Q3 results (final)");
  EXPECT_EQ(sanitize_document_name("a__b..c  d"), "a b c d");
  EXPECT_EQ(sanitize_document_name("[draft]-v2"), "[draft]-v2");
  EXPECT_EQ(sanitize_document_name("caf\xC3\xA9 menu"), "caf menu");
  EXPECT_EQ(sanitize_document_name("!!!"), "document");
  EXPECT_EQ(sanitize_document_name(std::string(300, 'a')).size(), 200u);
  MessageBuilder builder = user_message();
  const Message message =
      builder.add_text("x")
          .add_document(samples::txt(), {.filename = "n.txt", .name = "My notes: v1"})
          .build();
  EXPECT_EQ(std::get<DocumentBlock>(message.content[1]).name, "My notes v1");
  ASSERT_EQ(builder.warnings().size(), 1u);
  EXPECT_NE(builder.warnings()[0].find("sent as 'My notes v1'"), std::string::npos);
  Message raw{Role::User,
              {TextBlock{"x"}, DocumentBlock{"txt", "bad_name", std::string("hi"), {}, {}}}};
  EXPECT_REFUSED(validate_message(raw), "bad_name", "sanitize_document_name gives 'bad name'");
  Message unnamed{Role::User,
                  {TextBlock{"x"}, DocumentBlock{"txt", "", std::string("hi"), {}, {}}}};
  EXPECT_REFUSED(validate_message(unnamed), "needs a name");
}

TEST(MessageBuilderTest, GuardContent) {
  const Message message =
      user_message()
          .add_guard_text("Is this safe?", {GuardQualifier::Query, GuardQualifier::GroundingSource})
          .add_guard_image(samples::jpeg())
          .build();
  const auto& text =
      std::get<GuardContentText>(std::get<GuardContentBlock>(message.content[0]).content);
  EXPECT_EQ(text.qualifiers, (std::vector<std::string>{"query", "grounding_source"}));
  const auto& image =
      std::get<GuardContentImage>(std::get<GuardContentBlock>(message.content[1]).content);
  EXPECT_EQ(image.format, "jpeg");
  EXPECT_REFUSED(user_message().add_guard_image(samples::gif()), "png or jpeg");
  EXPECT_REFUSED(user_message().add_guard_text(" "), "blank");
  Message raw{Role::User, {GuardContentBlock{GuardContentText{"x", {"everything"}}}}};
  EXPECT_REFUSED(validate_message(raw), "qualifier 'everything'");
}

TEST(MessageBuilderTest, ToolUseAndResults) {
  const Message call =
      assistant_message()
          .add_text("Checking the weather.")
          .add_tool_use("tooluse_1", "get_weather", JsonValue::parse(R"({"city":"Paris"})"))
          .build();
  EXPECT_EQ(std::get<ToolUseBlock>(call.content[1]).name, "get_weather");
  EXPECT_REFUSED(user_message().add_tool_use("t", "f", JsonValue::object()),
                 "assistant messages only");
  EXPECT_REFUSED(assistant_message().add_tool_use("bad id", "f", JsonValue::object()),
                 "toolUseId 'bad id'");
  EXPECT_REFUSED(assistant_message().add_tool_use("t", "f", JsonValue::parse("[1]")),
                 "JSON object");

  const Message results =
      user_message()
          .add_tool_result("tooluse_1", "21 degrees", ToolResultStatus::Success)
          .add_tool_result("tooluse_2",
                           std::vector<ToolResultContentBlock>{
                               TextBlock{"see the chart"}, image_block(samples::png()),
                               document_block(samples::csv(), {.filename = "data.csv"})})
          .add_tool_result("tooluse_3", "failed", ToolResultStatus::Error)
          .build();
  const auto& first = std::get<ToolResultBlock>(results.content[0]);
  EXPECT_EQ(std::get<TextBlock>(first.content[0]).text, "21 degrees");
  EXPECT_EQ(first.status, "success");
  const auto& second = std::get<ToolResultBlock>(results.content[1]);
  EXPECT_EQ(std::get<ImageBlock>(second.content[1]).format, "png");
  EXPECT_EQ(std::get<DocumentBlock>(second.content[2]).name, "data");
  EXPECT_EQ(std::get<ToolResultBlock>(results.content[2]).status, "error");
  EXPECT_REFUSED(assistant_message().add_tool_result("t", "x"), "user messages only");
  EXPECT_REFUSED(user_message().add_tool_result("t", ""), "blank");
  EXPECT_REFUSED(user_message().add_tool_result("t", std::vector<ToolResultContentBlock>{}),
                 "at least one content block");
  EXPECT_REFUSED(user_message().add_tool_result("t", std::vector<ToolResultContentBlock>{ImageBlock{
                                                         "png", std::string(), {}}}),
                 "tool result t", "no bytes");
}

TEST(MessageBuilderTest, ReasoningAndCitationsForTheEchoBack) {
  CitationsContentBlock citations{{"Paris is the capital."},
                                  {Citation{"Atlas",
                                            std::nullopt,
                                            {"Paris is the capital of France."},
                                            DocumentCharLocation{0, 10, 40}}}};
  const Message message = assistant_message()
                              .add_reasoning("The user asks about capitals.", "sig-abc")
                              .add_redacted_reasoning(std::string("\x00\x01opaque", 8))
                              .add_citations(citations)
                              .add_text("Paris.")
                              .build();
  const auto& text =
      std::get<ReasoningTextBlock>(std::get<ReasoningContentBlock>(message.content[0]).content);
  EXPECT_EQ(text.signature, "sig-abc");
  EXPECT_EQ(std::get<RedactedReasoning>(std::get<ReasoningContentBlock>(message.content[1]).content)
                .bytes.size(),
            8u);
  EXPECT_EQ(std::get<CitationsContentBlock>(message.content[2]), citations);
  EXPECT_REFUSED(user_message().add_reasoning("x"), "assistant messages only");
  EXPECT_REFUSED(assistant_message().add_reasoning(""), "reasoning text");
  EXPECT_REFUSED(assistant_message().add_redacted_reasoning(""), "redacted");
  EXPECT_REFUSED(user_message().add_citations(citations), "assistant messages only");
}

TEST(MessageBuilderTest, RawBlocksAreCheckedAtBuild) {
  MessageBuilder builder = user_message();
  builder.add_block(TextBlock{"x"}).add_block(ImageBlock{"bmp", std::string("BM"), {}});
  EXPECT_REFUSED(builder.build(), "block 2 (image bmp)", "'bmp' is not an image format");
}

TEST(MessageBuilderTest, ErrorsNameTheFileTheDetectedFormatAndTheRule) {
  test::ScopedTempDir dir;
  const auto photo = dir.write_file("holiday.jpg", padded(samples::png(), 4'000'000));
  EXPECT_REFUSED(user_message().add_image_file(photo), "holiday.jpg (image png)", "4000000 bytes",
                 "3750000-byte limit", "MessageLimits::max_image_bytes");
  const auto report = dir.write_file("report.pdf", padded(samples::pdf(), 5'000'000));
  EXPECT_REFUSED(user_message().add_document_file(report), "report.pdf (document pdf)",
                 "max_document_bytes", "raise it to lift the limit");
}

TEST(ConversationTest, AppendResponseKeepsEveryBlock) {
  std::vector<Message> conversation{user_message().add_text("Hi").build()};
  ConverseOutput output;
  output.message = assistant_message().add_reasoning("thinking", "sig").add_text("Hello!").build();
  append_response(conversation, output);
  ASSERT_EQ(conversation.size(), 2u);
  EXPECT_EQ(conversation[1], output.message);
  append_response(conversation, Message::assistant("again"));
  EXPECT_EQ(conversation.size(), 3u);
  EXPECT_REFUSED(append_response(conversation, ConverseOutput{}), "no content blocks");
  EXPECT_REFUSED(append_response(conversation, Message::user("x")), "not the assistant's answer");
  EXPECT_EQ(conversation.size(), 3u);
}

}  // namespace
}  // namespace llmm
