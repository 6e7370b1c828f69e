// The request log's JSON: bodies only when the log keeps them (--log-bodies), as UTF-8 text.
#include "request_log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using bedrock_emulator::LogEntry;
using bedrock_emulator::RequestLog;
using nlohmann::json;

LogEntry entry_with_body(std::string body) {
  LogEntry entry;
  entry.method = "POST";
  entry.path = "/model/m/converse";
  entry.body_size = body.size();
  entry.body = std::move(body);
  return entry;
}

TEST(EmulatorRequestLog, BodiesAreServedOnlyWhenKept) {
  RequestLog plain(10);
  EXPECT_FALSE(plain.keeps_bodies());
  plain.record(LogEntry{});
  EXPECT_FALSE(json::parse(plain.requests_json())["requests"][0].contains("body"));

  RequestLog keeping(10, true);
  EXPECT_TRUE(keeping.keeps_bodies());
  const std::string body = R"({"messages":[{"role":"user","content":[{"text":"héllo"}]}]})";
  keeping.record(entry_with_body(body));
  keeping.record(LogEntry{});  // a request whose body was never read (e.g. unparseable HTTP)
  const json requests = json::parse(keeping.requests_json())["requests"];
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0]["body"], body);
  EXPECT_EQ(requests[0]["bodySize"], body.size());
  EXPECT_FALSE(requests[1].contains("body"));
}

TEST(EmulatorRequestLog, BodyBytesThatAreNotUtf8AreReplaced) {
  RequestLog log(10, true);
  log.record(entry_with_body(std::string("ok\xff\xfe", 4)));
  const json requests = json::parse(log.requests_json())["requests"];
  EXPECT_EQ(requests[0]["body"], "ok\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
