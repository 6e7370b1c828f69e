// The logfmt line of a LogRecord, the level names the seed's `log_level` accepts, the Logger's
// threshold and the wire log's redaction of credential headers.
#include <llmm/logging.hpp>

#include "observe/logger.hpp"
#include "observe/wire_log.hpp"
#include "support/fixed_seams.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm {
namespace {

using namespace std::chrono;

system_clock::time_point noon() {
  return sys_days{year{2026} / December / 4} + hours{12} + milliseconds{123};
}

TEST(LogLineTest, FieldsFollowTheTimeLevelAndMessage) {
  const std::array fields = {LogField{"call", "7"}, LogField{"model", "Claude 3 Haiku"},
                             LogField{"region", "us-east-1"}};
  const LogRecord record{LogLevel::Info, noon(), "call ended", fields};
  EXPECT_EQ(
      format_log_line(record),
      R"(2026-12-04T12:00:00.123Z info call ended call=7 model="Claude 3 Haiku" region=us-east-1)");
}

TEST(LogLineTest, ValuesThatWouldBreakTheLineAreQuotedAndEscaped) {
  const std::array fields = {LogField{"empty", ""},
                             LogField{"equals", "a=b"},
                             LogField{"quote", R"(say "hi")"},
                             LogField{"backslash", R"(C:\x y)"},
                             LogField{"newline", "one\ntwo"},
                             LogField{"control", std::string_view("\x01\x7f", 2)},
                             LogField{"utf8", "caf\xc3\xa9"}};
  const LogRecord record{LogLevel::Warning, noon(), "m", fields};
  EXPECT_EQ(format_log_line(record),
            "2026-12-04T12:00:00.123Z warning m empty=\"\" equals=\"a=b\" quote=\"say \\\"hi\\\"\" "
            "backslash=\"C:\\\\x y\" newline=\"one\\ntwo\" control=\"\\x01\\x7f\" "
            "utf8=caf\xc3\xa9");
}

TEST(LogLineTest, NoLineEverHoldsARawNewline) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
  const std::array fields = {LogField{"bytes", all_bytes}};
  const std::string line = format_log_line({LogLevel::Trace, noon(), "reply", fields});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
}

TEST(LogLevelTest, NamesRoundTripAndThePythonNamesAreAccepted) {
  for (const LogLevel level : {LogLevel::Trace, LogLevel::Debug, LogLevel::Info, LogLevel::Warning,
                               LogLevel::Error, LogLevel::Off}) {
    EXPECT_EQ(log_level_from_string(to_string(level)), level) << to_string(level);
  }
  EXPECT_EQ(log_level_from_string("WARNING"), LogLevel::Warning);
  EXPECT_EQ(log_level_from_string("warn"), LogLevel::Warning);
  EXPECT_EQ(log_level_from_string("DEBUG"), LogLevel::Debug);
  EXPECT_EQ(log_level_from_string("CRITICAL"), LogLevel::Error);
  EXPECT_EQ(log_level_from_string("verbose"), std::nullopt);
  EXPECT_EQ(log_level_from_string(""), std::nullopt);
}

TEST(LoggingConfigTest, NothingIsEnabledWithoutASinkOrWhenOff) {
  LoggingConfig config;
  EXPECT_FALSE(config.enabled(LogLevel::Error)) << "no sink";
  config.sink = [](const LogRecord&) {};
  EXPECT_TRUE(config.enabled(LogLevel::Warning)) << "the default level, as the seed's";
  EXPECT_FALSE(config.enabled(LogLevel::Info));
  config.level = LogLevel::Off;
  EXPECT_FALSE(config.enabled(LogLevel::Error));
}

TEST(LoggerTest, OnlyRecordsAtTheLevelAndAboveReachTheSinkStampedWithTheClock) {
  std::vector<std::string> lines;
  LoggingConfig config{.level = LogLevel::Info,
                       .sink = [&](const LogRecord& r) { lines.push_back(format_log_line(r)); }};
  const observe::Logger logger(config, std::make_shared<test::PinnedWallClock>(noon()));
  EXPECT_FALSE(logger.enabled(LogLevel::Debug));
  EXPECT_TRUE(logger.enabled(LogLevel::Info));
  logger.log(LogLevel::Debug, "hidden", {{"a", "1"}});
  logger.log(LogLevel::Info, "shown", {{"a", "1"}});
  logger.log(LogLevel::Error, "also shown", {});
  EXPECT_EQ(lines, (std::vector<std::string>{"2026-12-04T12:00:00.123Z info shown a=1",
                                             "2026-12-04T12:00:00.123Z error also shown"}));
}

TEST(LoggerTest, ASinkThatThrowsIsIgnored) {
  const observe::Logger logger(
      {.level = LogLevel::Trace, .sink = [](const LogRecord&) { throw std::runtime_error("x"); }},
      std::make_shared<test::PinnedWallClock>(noon()));
  EXPECT_NO_THROW(logger.log(LogLevel::Info, "m", {}));
}

TEST(LoggerTest, OffAndNoSinkEnableNothing) {
  const auto clock = std::make_shared<test::PinnedWallClock>(noon());
  const observe::Logger no_sink({.level = LogLevel::Trace}, clock);
  const observe::Logger off({.level = LogLevel::Off, .sink = [](const LogRecord&) {}}, clock);
  for (const LogLevel level : {LogLevel::Trace, LogLevel::Error, LogLevel::Off}) {
    EXPECT_FALSE(no_sink.enabled(level));
    EXPECT_FALSE(off.enabled(level));
  }
}

TEST(WireLogTest, CredentialHeadersAreRedactedWhateverTheirCase) {
  const http::Headers headers = {
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKID/..., Signature=abcdef"},
      {"X-Amz-Security-Token", "SESSION-TOKEN"},
      {"proxy-authorization", "Basic dXNlcjpwYXNz"},
      {"X-Amz-Sso_bearer_token", "SSO-TOKEN"},
      {"x-amz-date", "20261204T120000Z"}};
  EXPECT_EQ(observe::redacted_headers(headers),
            "Authorization: ***\nX-Amz-Security-Token: ***\nproxy-authorization: ***\n"
            "X-Amz-Sso_bearer_token: ***\nx-amz-date: 20261204T120000Z");
}

TEST(WireLogTest, RequestLinesCarryNoBodyUnlessAskedAndNoUserinfo) {
  std::vector<std::string> lines;
  const auto clock = std::make_shared<test::PinnedWallClock>(noon());
  http::HttpRequest request;
  request.method = "POST";
  request.url = "https://user:secret@bedrock-runtime.us-east-1.amazonaws.com/model/m/converse";
  request.headers = {{"authorization", "SIG"}};
  request.body = R"({"messages":[]})";
  auto sink = [&](const LogRecord& r) { lines.push_back(format_log_line(r)); };

  observe::log_request(observe::Logger({.level = LogLevel::Trace, .sink = sink}, clock), 3, 1,
                       request);
  observe::log_request(
      observe::Logger({.level = LogLevel::Trace, .sink = sink, .log_bodies = true}, clock), 3, 2,
      request);
  observe::log_request(observe::Logger({.level = LogLevel::Debug, .sink = sink}, clock), 3, 3,
                       request);
  ASSERT_EQ(lines.size(), 2U) << "nothing below Trace";
  EXPECT_NE(lines[0].find("body=\"(not logged)\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(R"(body="{\"messages\":[]}")"), std::string::npos) << lines[1];
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find("secret"), std::string::npos) << line;
    EXPECT_EQ(line.find("SIG"), std::string::npos) << line;
    EXPECT_NE(line.find("authorization: ***"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace llmm
