// Properties of detection and the message builder: any byte string (random, or a real sample cut,
// flipped or prefixed) gives a format or Unknown with a consistent confidence, never a crash; and
// any message the builder accepts, after any sequence of add_* calls, encodes to a Converse body
// that decodes back to the same message.
#include <llmm/exceptions.hpp>
#include <llmm/message_builder.hpp>

#include "protocol/converse_json.hpp"
#include "support/media_samples.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llmm {
namespace {

namespace samples = test::samples;

const std::vector<std::string> kNames = {
    "",      "a.png",  "a.jpg",  "a.gif", "a.webp", "a.pdf", "a.csv", "a.doc", "a.docx",
    "a.xls", "a.xlsx", "a.html", "a.txt", "a.md",   "a.mkv", "a.mov", "a.mp4", "a.webm",
    "a.flv", "a.mpeg", "a.mpg",  "a.wmv", "a.3gp",  "a.bin", "noext"};

rc::Gen<std::string> any_bytes() {
  return rc::gen::container<std::string>(rc::gen::arbitrary<char>());
}

// A real sample of a random format, then cut, flipped at random places, or given a random prefix.
rc::Gen<std::string> mangled_sample() {
  return rc::gen::exec([] {
    const FileFormat format = *rc::gen::elementOf(samples::kAllFormats);
    std::string bytes = samples::make(format);
    switch (*rc::gen::inRange(0, 4)) {
      case 0: bytes.resize(*rc::gen::inRange<std::size_t>(0, bytes.size() + 1)); break;
      case 1: {
        const int flips = *rc::gen::inRange(1, 8);
        for (int i = 0; i < flips && !bytes.empty(); ++i) {
          bytes[*rc::gen::inRange<std::size_t>(0, bytes.size())] = *rc::gen::arbitrary<char>();
        }
        break;
      }
      case 2: bytes = *any_bytes() + bytes; break;
      default: bytes += *any_bytes(); break;
    }
    return bytes;
  });
}

void check_detection(const std::string& bytes, const std::string& name) {
  const FileTypeDetection found = detect_file_type(bytes, name);
  if (found.known()) {
    RC_ASSERT(found.confidence > 0.0);
    RC_ASSERT(found.confidence <= 1.0);
    RC_ASSERT(modality_of(found.format).has_value());
    RC_ASSERT(found.method != DetectionMethod::None);
  } else {
    RC_ASSERT(found.confidence == 0.0);
    RC_ASSERT(!found.content_confirmed);
  }
}

RC_GTEST_PROP(FileTypeDetectionProperty, AnyBytesGiveAFormatOrUnknown, ()) {
  const auto bytes = *any_bytes();
  const auto name = *rc::gen::elementOf(kNames);
  check_detection(bytes, name);
}

RC_GTEST_PROP(FileTypeDetectionProperty, MangledSamplesGiveAFormatOrUnknown, ()) {
  const auto bytes = *mangled_sample();
  const auto name = *rc::gen::elementOf(kNames);
  check_detection(bytes, name);
}

RC_GTEST_PROP(FileTypeDetectionProperty, AnIntactSampleIsAlwaysItsOwnFormatByContent, ()) {
  const FileFormat format = *rc::gen::elementOf(samples::kAllFormats);
  const FileTypeDetection found =
      detect_file_type(samples::make(format), samples::filename(format));
  RC_ASSERT(found.format == format);
  RC_ASSERT(found.content_confirmed);
}

// ---- builder
// ---------------------------------------------------------------------------------------

rc::Gen<std::string> short_text() {
  return rc::gen::oneOf(rc::gen::elementOf(std::vector<std::string>{
                            "hello", "  spaced  ", "", " ", "caf\xC3\xA9", "bad \xE9 utf8",
                            "\xF0\x9F\x98\x80 emoji", "line\nbreak", "tab\tquote\"back\\slash"}),
                        rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7F)));
}

template <typename T>
std::optional<T> maybe(rc::Gen<T> gen) {
  if (*rc::gen::arbitrary<bool>()) return std::nullopt;
  return *gen;
}

rc::Gen<std::string> identifier() {
  return rc::gen::elementOf(std::vector<std::string>{"tool_1", "t-2", "X", "bad id", "", "a.b",
                                                     std::string(64, 'a'), std::string(65, 'a')});
}

rc::Gen<std::string> s3_uri() {
  return rc::gen::elementOf(std::vector<std::string>{
      "s3://bucket/key.bin", "s3://b/k", "bucket/key", "s3://bucket", "s3:///key", "S3://b/k"});
}

rc::Gen<JsonValue> json_value() {
  return rc::gen::elementOf(std::vector<JsonValue>{
      JsonValue::object(), JsonValue::parse(R"({"a":[1,2,{"b":null}],"c":"d"})"),
      JsonValue::parse("[1,2]"), JsonValue::parse("42"), JsonValue::parse(R"("s")"), JsonValue()});
}

// One random add_* call (which may be refused; the builder is then unchanged).
void random_step(MessageBuilder& builder) {
  const int choice = *rc::gen::inRange(0, 17);
  const auto format = *rc::gen::elementOf(samples::kAllFormats);
  const auto name = *rc::gen::elementOf(kNames);
  switch (choice) {
    case 0: builder.add_text(*short_text()); break;
    case 1:
      builder.add_image(*rc::gen::oneOf(rc::gen::just(samples::make(format)), mangled_sample()),
                        {.filename = name});
      break;
    case 2:
      builder.add_document(*rc::gen::oneOf(rc::gen::just(samples::make(format)), mangled_sample()),
                           {.filename = name,
                            .name = maybe(short_text()),
                            .citations = *rc::gen::arbitrary<bool>(),
                            .context = maybe(short_text())});
      break;
    case 3: builder.add_video(samples::make(format), {.filename = name}); break;
    case 4:
      builder.add_image_s3(
          *s3_uri(), format,
          maybe(rc::gen::elementOf(std::vector<std::string>{"123456789012", "12ab"})));
      break;
    case 5: builder.add_document_s3(*s3_uri(), format, {.name = maybe(short_text())}); break;
    case 6: builder.add_video_s3(*s3_uri(), format); break;
    case 7: builder.add_cache_point(); break;
    case 8:
      builder.add_cache_point(*rc::gen::elementOf(std::vector<std::string>{"5m", "1h", "2h", ""}));
      break;
    case 9: builder.add_guard_text(*short_text(), {GuardQualifier::Query}); break;
    case 10: builder.add_guard_image(samples::make(format)); break;
    case 11: builder.add_tool_use(*identifier(), *identifier(), *json_value()); break;
    case 12:
      builder.add_tool_result(
          *identifier(), *short_text(),
          maybe(rc::gen::element(ToolResultStatus::Success, ToolResultStatus::Error)));
      break;
    case 13: builder.add_tool_result(*identifier(), *json_value()); break;
    case 14: builder.add_reasoning(*short_text(), maybe(short_text())); break;
    case 15: builder.add_redacted_reasoning(*any_bytes()); break;
    default:
      builder.add_citations(CitationsContentBlock{{*short_text()}, {Citation{"t", {}, {"s"}, {}}}});
      break;
  }
}

RC_GTEST_PROP(MessageBuilderProperty, AcceptedMessagesSurviveTheWireUnchanged, ()) {
  MessageLimits limits;
  limits.max_blocks_per_message = *rc::gen::inRange<std::size_t>(1, 12);
  MessageBuilder builder(*rc::gen::element(Role::User, Role::Assistant), limits);
  const int steps = *rc::gen::inRange(0, 12);
  for (int i = 0; i < steps; ++i) {
    const std::size_t before = builder.block_count();
    try {
      random_step(builder);
      RC_ASSERT(builder.block_count() == before + 1);
    } catch (const RequestValidationError&) {
      RC_ASSERT(builder.block_count() == before);
    }
  }
  Message message;
  try {
    message = builder.build();
  } catch (const RequestValidationError&) {
    RC_SUCCEED("refused");
  }
  RC_ASSERT(!message.content.empty());
  RC_ASSERT(message.content.size() <= limits.max_blocks_per_message);
  ConverseRequest request;
  request.messages.push_back(message);
  const std::string body = protocol::encode_converse_request(request);
  const auto decoded = protocol::decode_converse_request(body);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == request);
  RC_TAG(message.role == Role::User ? "user" : "assistant");
}

}  // namespace
}  // namespace llmm
