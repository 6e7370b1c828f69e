// Properties of the Converse codec: any ConverseRequest (every block kind, random bytes, unicode
// text, random JSON documents, unknown blocks) survives encode -> decode unchanged; any
// ConverseOutput survives encode_converse_output -> decode_converse_response; any BedrockResponse
// survives to_json -> from_json; and any bytes given to any of the decoders give a value or an
// error, never an exception or a crash.

#include "protocol/converse_json.hpp"

#include <llmm/bedrock_response.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmm::protocol {
namespace {

// ---- generic generators -----------------------------------------------------------------------

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Valid UTF-8: ASCII (controls, quotes, backslashes included), BMP and astral code points.
rc::Gen<std::string> text() {
  const auto code_point = rc::gen::weightedOneOf<std::uint32_t>(
      {{6, rc::gen::inRange<std::uint32_t>(0, 0x80)},
       {2, rc::gen::suchThat(rc::gen::inRange<std::uint32_t>(0x80, 0x10000),
                             [](std::uint32_t cp) { return cp < 0xD800 || cp > 0xDFFF; })},
       {1, rc::gen::inRange<std::uint32_t>(0x10000, 0x110000)}});
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(code_point),
                      [](const std::vector<std::uint32_t>& cps) {
                        std::string out;
                        for (const auto cp : cps) append_utf8(out, cp);
                        return out;
                      });
}

rc::Gen<std::string> bytes() { return rc::gen::container<std::string>(rc::gen::arbitrary<char>()); }

template <typename T>
rc::Gen<std::optional<T>> opt(rc::Gen<T> gen) {
  return rc::gen::oneOf(rc::gen::just(std::optional<T>()), rc::gen::map(std::move(gen), [](T v) {
                          return std::optional<T>(std::move(v));
                        }));
}

template <typename T>
rc::Gen<std::vector<T>> few(rc::Gen<T> gen) {
  return rc::gen::resize(4, rc::gen::container<std::vector<T>>(std::move(gen)));
}

rc::Gen<nlohmann::json> json_tree(int depth) {
  using nlohmann::json;
  auto scalar = rc::gen::oneOf(
      rc::gen::just(json(nullptr)),
      rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t i) { return json(i); }),
      rc::gen::map(rc::gen::arbitrary<std::uint64_t>(), [](std::uint64_t u) { return json(u); }),
      rc::gen::map(rc::gen::suchThat(rc::gen::arbitrary<double>(),
                                     [](double d) { return std::isfinite(d); }),
                   [](double d) { return json(d); }),
      rc::gen::map(text(), [](std::string s) { return json(std::move(s)); }));
  if (depth == 0) return scalar;
  auto child = rc::gen::lazy([depth] { return json_tree(depth - 1); });
  return rc::gen::oneOf(
      scalar,
      rc::gen::map(few(child), [](std::vector<json> items) { return json(std::move(items)); }),
      rc::gen::map(few(rc::gen::pair(text(), child)),
                   [](std::vector<std::pair<std::string, json>> members) {
                     json object = json::object();
                     for (auto& [key, value] : members) object[key] = std::move(value);
                     return object;
                   }));
}

rc::Gen<JsonValue> json_document() {
  return rc::gen::map(json_tree(3),
                      [](const nlohmann::json& j) { return JsonValue::parse(j.dump()); });
}

// A key no union of the model uses.
rc::Gen<std::string> unknown_key() {
  return rc::gen::map(text(), [](std::string s) { return "future_" + s; });
}

// ---- block generators -------------------------------------------------------------------------

rc::Gen<S3Location> s3() {
  return rc::gen::exec([] { return S3Location{*text(), *opt(text())}; });
}
rc::Gen<MediaSource> media_source() {
  return rc::gen::oneOf(rc::gen::cast<MediaSource>(bytes()), rc::gen::cast<MediaSource>(s3()));
}
rc::Gen<std::optional<ErrorBlock>> error_block() {
  return opt(rc::gen::exec([] { return ErrorBlock{*opt(text())}; }));
}
rc::Gen<std::optional<CitationsConfig>> citations_config() {
  return opt(rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return CitationsConfig{b}; }));
}
rc::Gen<ImageBlock> image() {
  return rc::gen::exec([] { return ImageBlock{*text(), *media_source(), *error_block()}; });
}
rc::Gen<DocumentBlock> document() {
  return rc::gen::exec([] {
    const auto source = *rc::gen::oneOf(
        rc::gen::cast<DocumentSource>(bytes()), rc::gen::cast<DocumentSource>(s3()),
        rc::gen::map(text(), [](std::string t) { return DocumentSource{DocumentTextSource{t}}; }),
        rc::gen::map(few(text()), [](std::vector<std::string> t) {
          return DocumentSource{DocumentContentSource{t}};
        }));
    return DocumentBlock{*opt(text()), *text(), source, *opt(text()), *citations_config()};
  });
}
rc::Gen<VideoBlock> video() {
  return rc::gen::exec([] { return VideoBlock{*text(), *media_source()}; });
}
rc::Gen<AudioBlock> audio() {
  return rc::gen::exec([] { return AudioBlock{*text(), *media_source(), *error_block()}; });
}
rc::Gen<ToolUseBlock> tool_use() {
  return rc::gen::exec([] {
    return ToolUseBlock{*text(), *text(), *json_document(), *opt(text())};
  });
}
rc::Gen<SearchResultBlock> search_result() {
  return rc::gen::exec([] {
    return SearchResultBlock{*text(), *text(), *few(text()), *citations_config()};
  });
}
rc::Gen<ToolResultBlock> tool_result() {
  return rc::gen::exec([] {
    const auto content = *few(rc::gen::oneOf(
        rc::gen::cast<ToolResultContentBlock>(json_document()),
        rc::gen::map(text(), [](std::string t) { return ToolResultContentBlock{TextBlock{t}}; }),
        rc::gen::cast<ToolResultContentBlock>(image()),
        rc::gen::cast<ToolResultContentBlock>(document()),
        rc::gen::cast<ToolResultContentBlock>(video()),
        rc::gen::cast<ToolResultContentBlock>(search_result())));
    return ToolResultBlock{*text(), content, *opt(text()), *opt(text())};
  });
}
rc::Gen<GuardContentBlock> guard_content() {
  return rc::gen::oneOf(rc::gen::exec([] {
                          return GuardContentBlock{GuardContentText{*text(), *few(text())}};
                        }),
                        rc::gen::exec([] {
                          return GuardContentBlock{GuardContentImage{*text(), *bytes()}};
                        }));
}
rc::Gen<CachePointBlock> cache_point() {
  return rc::gen::exec([] { return CachePointBlock{*text(), *opt(text())}; });
}
rc::Gen<ReasoningContentBlock> reasoning() {
  return rc::gen::oneOf(rc::gen::exec([] {
                          return ReasoningContentBlock{ReasoningTextBlock{*text(), *opt(text())}};
                        }),
                        rc::gen::map(bytes(), [](std::string b) {
                          return ReasoningContentBlock{RedactedReasoning{b}};
                        }));
}
rc::Gen<UnknownBlock> unknown_block() {
  return rc::gen::exec([] { return UnknownBlock{*unknown_key(), *json_document()}; });
}
rc::Gen<CitationLocation> location() {
  const auto i = [] { return opt(rc::gen::arbitrary<int>()); };
  return rc::gen::oneOf(rc::gen::exec([] {
                          return CitationLocation{WebLocation{*opt(text()), *opt(text())}};
                        }),
                        rc::gen::exec([i] {
                          return CitationLocation{DocumentCharLocation{*i(), *i(), *i()}};
                        }),
                        rc::gen::exec([i] {
                          return CitationLocation{DocumentPageLocation{*i(), *i(), *i()}};
                        }),
                        rc::gen::exec([i] {
                          return CitationLocation{DocumentChunkLocation{*i(), *i(), *i()}};
                        }),
                        rc::gen::exec([i] {
                          return CitationLocation{SearchResultLocation{*i(), *i(), *i()}};
                        }),
                        rc::gen::cast<CitationLocation>(unknown_block()));
}
rc::Gen<CitationsContentBlock> citations_content() {
  return rc::gen::exec([] {
    const auto citations = *few(rc::gen::exec([] {
      return Citation{*opt(text()), *opt(text()), *few(text()), *opt(location())};
    }));
    return CitationsContentBlock{*few(text()), citations};
  });
}

rc::Gen<ContentBlock> content_block() {
  return rc::gen::oneOf(
      rc::gen::map(text(), [](std::string t) { return ContentBlock{TextBlock{t}}; }),
      rc::gen::cast<ContentBlock>(image()), rc::gen::cast<ContentBlock>(document()),
      rc::gen::cast<ContentBlock>(video()), rc::gen::cast<ContentBlock>(audio()),
      rc::gen::cast<ContentBlock>(tool_use()), rc::gen::cast<ContentBlock>(tool_result()),
      rc::gen::cast<ContentBlock>(guard_content()), rc::gen::cast<ContentBlock>(cache_point()),
      rc::gen::cast<ContentBlock>(reasoning()), rc::gen::cast<ContentBlock>(citations_content()),
      rc::gen::cast<ContentBlock>(search_result()), rc::gen::cast<ContentBlock>(unknown_block()));
}

rc::Gen<Message> message() {
  return rc::gen::exec([] {
    return Message{*rc::gen::element(Role::User, Role::Assistant), *few(content_block())};
  });
}

rc::Gen<Tool> tool() {
  return rc::gen::oneOf(rc::gen::exec([] {
                          return Tool{ToolSpecification{*text(), *opt(text()), *json_document(),
                                                        *opt(rc::gen::arbitrary<bool>())}};
                        }),
                        rc::gen::map(text(), [](std::string n) { return Tool{SystemTool{n}}; }),
                        rc::gen::cast<Tool>(cache_point()));
}

rc::Gen<ConverseRequest> request() {
  return rc::gen::exec([] {
    ConverseRequest r;
    r.messages = *few(message());
    r.system = *few(rc::gen::oneOf(
        rc::gen::map(text(), [](std::string t) { return SystemContentBlock{TextBlock{t}}; }),
        rc::gen::cast<SystemContentBlock>(guard_content()),
        rc::gen::cast<SystemContentBlock>(cache_point())));
    const auto unit =
        rc::gen::suchThat(rc::gen::arbitrary<double>(), [](double d) { return std::isfinite(d); });
    r.inference_config =
        InferenceConfig{*opt(rc::gen::arbitrary<int>()), *opt(unit), *opt(unit), *few(text())};
    r.tool_config = *opt(rc::gen::exec([] {
      return ToolConfiguration{*few(tool()),
                               *opt(rc::gen::oneOf(rc::gen::just(ToolChoice{AutoToolChoice{}}),
                                                   rc::gen::just(ToolChoice{AnyToolChoice{}}),
                                                   rc::gen::map(text(), [](std::string n) {
                                                     return ToolChoice{SpecificToolChoice{n}};
                                                   })))};
    }));
    r.guardrail_config = *opt(rc::gen::exec([] {
      return GuardrailConfiguration{*text(), *text(), *opt(text()), *opt(text())};
    }));
    r.additional_model_request_fields = *opt(json_document());
    r.prompt_variables =
        *rc::gen::resize(4, rc::gen::container<std::map<std::string, std::string>>(text(), text()));
    r.additional_model_response_field_paths = *few(text());
    r.request_metadata =
        *rc::gen::resize(4, rc::gen::container<std::map<std::string, std::string>>(text(), text()));
    r.performance_config = *opt(rc::gen::map(
        opt(text()), [](std::optional<std::string> l) { return PerformanceConfiguration{l}; }));
    r.service_tier = *opt(rc::gen::map(text(), [](std::string t) { return ServiceTier{t}; }));
    r.output_config = *opt(rc::gen::exec([] {
      return OutputConfig{*opt(rc::gen::exec([] {
        return OutputFormat{*text(), JsonSchemaDefinition{*text(), *opt(text()), *opt(text())}};
      }))};
    }));
    return r;
  });
}

rc::Gen<ConverseOutput> output() {
  return rc::gen::exec([] {
    ConverseOutput o;
    o.message = *message();
    o.stop_reason = *text();
    const auto count = rc::gen::arbitrary<long long>();
    o.usage = TokenUsage{
        *count, *count, *count,
        *count, *count, *few(rc::gen::exec([count] { return CacheDetail{*text(), *count}; }))};
    o.latency = std::chrono::milliseconds(*rc::gen::arbitrary<long long>());
    o.additional_model_response_fields = *opt(json_document());
    o.trace = *opt(json_document());
    o.performance_config = *opt(rc::gen::map(
        opt(text()), [](std::optional<std::string> l) { return PerformanceConfiguration{l}; }));
    o.service_tier = *opt(rc::gen::map(text(), [](std::string t) { return ServiceTier{t}; }));
    // Unknown members: keys that can never be a modelled member.
    o.unknown_fields =
        *rc::gen::map(few(rc::gen::pair(text(), json_tree(2))),
                      [](std::vector<std::pair<std::string, nlohmann::json>> members) {
                        nlohmann::json object = nlohmann::json::object();
                        for (auto& [key, value] : members) object["x_" + key] = std::move(value);
                        return JsonValue::parse(object.dump());
                      });
    return o;
  });
}

// ---- the response as the manager reports it ---------------------------------------------------

template <typename Enum>
rc::Gen<Enum> enum_value(int count) {
  return rc::gen::map(rc::gen::inRange(0, count), [](int i) { return static_cast<Enum>(i); });
}

rc::Gen<Error> error_value() {
  return rc::gen::exec([] {
    return Error{*enum_value<ErrorCode>(15),
                 *text(),
                 *rc::gen::arbitrary<int>(),
                 *text(),
                 *text(),
                 *text(),
                 *text(),
                 *rc::gen::arbitrary<int>()};
  });
}

rc::Gen<Attempt> attempt() {
  return rc::gen::exec([] {
    Attempt a;
    a.number = *rc::gen::arbitrary<int>();
    a.model_name = *text();
    a.model_id = *text();
    a.region = *text();
    a.access_method = *enum_value<AccessMethod>(3);
    // Whole milliseconds from 1970 to 2199 (the JSON form's precision and range).
    a.started = std::chrono::system_clock::time_point(
        std::chrono::milliseconds(*rc::gen::inRange<long long>(0, 7'258'118'400'000LL)));
    a.backoff_before = std::chrono::milliseconds(*rc::gen::arbitrary<long long>());
    a.rate_wait_before = std::chrono::milliseconds(*rc::gen::arbitrary<long long>());
    a.duration = std::chrono::milliseconds(*rc::gen::arbitrary<long long>());
    a.error = *opt(error_value());
    a.decision = *enum_value<AttemptDecision>(10);
    return a;
  });
}

rc::Gen<std::optional<std::chrono::milliseconds>> optional_duration() {
  return opt(rc::gen::map(rc::gen::arbitrary<long long>(),
                          [](long long n) { return std::chrono::milliseconds(n); }));
}

// A success (an output) or a failure (an error), never both or neither.
rc::Gen<BedrockResponse> response() {
  return rc::gen::exec([] {
    BedrockResponse r;
    if (*rc::gen::arbitrary<bool>()) {
      r.output = *output();
      r.output->request_id = *text();
    } else {
      r.error = *error_value();
    }
    r.model_name = *text();
    r.model_id = *text();
    r.region = *text();
    r.access_method = *enum_value<AccessMethod>(3);
    r.profile_id = *text();
    r.attempts = *few(attempt());
    r.total_duration = std::chrono::milliseconds(*rc::gen::arbitrary<long long>());
    r.warnings = *few(text());
    r.validations = *few(rc::gen::exec([] {
      return ValidationRecord{*rc::gen::arbitrary<int>(), *rc::gen::arbitrary<bool>(), *text(),
                              *text()};
    }));
    if (*rc::gen::arbitrary<bool>()) {
      ConverseOutput partial;
      partial.message.content.emplace_back(TextBlock{*text()});
      r.partial_output = std::move(partial);
    }
    r.recoveries = *few(rc::gen::exec([] {
      return StreamRecovery{*rc::gen::arbitrary<int>(), *text(), *text(), *text(),
                            *rc::gen::inRange<std::size_t>(0, std::size_t{1} << 62)};
    }));
    r.time_to_first_token = *optional_duration();
    r.time_to_last_token = *optional_duration();
    return r;
  });
}

// ---- properties -------------------------------------------------------------------------------

RC_GTEST_PROP(ConverseJsonProp, RequestSurvivesEncodeDecode, ()) {
  const ConverseRequest original = *request();
  // The ConverseStream body carries every member (Converse's omits streamProcessingMode).
  const std::string body = encode_converse_request(original, ConverseOperation::ConverseStream);
  const auto decoded = decode_converse_request(body);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == original);
  RC_ASSERT(encode_converse_request(*decoded, ConverseOperation::ConverseStream) == body);
}

RC_GTEST_PROP(ConverseJsonProp, OutputSurvivesEncodeDecode, ()) {
  const ConverseOutput original = *output();
  const std::string body = encode_converse_output(original);
  const auto decoded = decode_converse_response(body);
  RC_ASSERT(decoded.has_value());
  RC_ASSERT(*decoded == original);
  RC_ASSERT(encode_converse_output(*decoded) == body);
}

RC_GTEST_PROP(ConverseJsonProp, JsonValueParseOfCanonicalTextIsIdentity, ()) {
  const JsonValue value = *json_document();
  RC_ASSERT(JsonValue::parse(value.text()) == value);
}

RC_GTEST_PROP(ConverseJsonProp, AnyBytesGiveAValueOrAnError, ()) {
  const std::string body = *bytes();
  const auto response = decode_converse_response(body);
  if (!response.has_value()) RC_ASSERT(response.error().code == ErrorCode::Internal);
  const auto request_result = decode_converse_request(body);
  if (!request_result.has_value())
    RC_ASSERT(request_result.error().code == ErrorCode::InvalidArgument);
}

RC_GTEST_PROP(ConverseJsonProp, BedrockResponseSurvivesItsJsonForm, ()) {
  const BedrockResponse original = *response();
  const std::string form = original.to_json();
  const auto back = BedrockResponse::from_json(form);
  RC_ASSERT(back.has_value());
  // Every member is in the form, so an equal form is an equal response.
  RC_ASSERT(back->to_json() == form);
  RC_ASSERT(back->output == original.output);
  RC_ASSERT(back->attempts.size() == original.attempts.size());
  for (std::size_t i = 0; i < original.attempts.size(); ++i) {
    RC_ASSERT(back->attempts[i].started == original.attempts[i].started);
  }
}

// A response's JSON form with one character changed, or any bytes, gives a response that keeps
// the invariant or an InvalidArgument error.
RC_GTEST_PROP(ConverseJsonProp, DamagedResponseFormsGiveAResponseOrAnError, ()) {
  std::string form = (*response()).to_json();
  const auto at = *rc::gen::inRange<std::size_t>(0, form.size());
  form[at] = *rc::gen::arbitrary<char>();
  for (const std::string& text : {form, *bytes()}) {
    const auto back = BedrockResponse::from_json(text);
    if (back.has_value()) {
      RC_ASSERT(back->output.has_value() != back->error.has_value());
    } else {
      RC_ASSERT(back.error().code == ErrorCode::InvalidArgument);
    }
  }
}

// Mutating one character of a valid body gives a value or an error, never an exception.
RC_GTEST_PROP(ConverseJsonProp, MutatedValidBodiesGiveAValueOrAnError, ()) {
  std::string body = encode_converse_output(*output());
  const auto at = *rc::gen::inRange<std::size_t>(0, body.size());
  body[at] = *rc::gen::arbitrary<char>();
  const auto response = decode_converse_response(body);
  if (!response.has_value()) RC_ASSERT(response.error().code == ErrorCode::Internal);
}

}  // namespace
}  // namespace llmm::protocol
