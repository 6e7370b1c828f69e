// --log-bodies over the wire: the real executable keeps each request's body and serves it as
// "body" in GET /_emulator/requests; without the flag there is no "body".
#include "auth/sigv4_signer.hpp"
#include "support/emulator_process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace llmm {
namespace {

using test::EmulatorProcess;
using test::RawConnection;
using test::RawReply;

constexpr const char* kPath = "/model/amazon.nova-lite-v1%3A0/converse";

// A Converse request signed with the emulator's default key pair, sent on a fresh connection.
RawReply send_signed(const EmulatorProcess& emulator, const std::string& body) {
  auth::SigningInput input;
  input.method = "POST";
  input.path = kPath;
  input.headers = {{"host", "127.0.0.1:" + std::to_string(emulator.port())},
                   {"content-type", "application/json"}};
  input.body = body;
  const auto signed_request =
      auth::sign_request(input, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""},
                         {"us-west-2"}, std::chrono::system_clock::now());
  std::string text = "POST " + std::string(kPath) + " HTTP/1.1\r\n";
  for (const auto& [name, value] : input.headers) text += name + ": " + value + "\r\n";
  for (const auto& [name, value] : signed_request.headers_to_add)
    text += name + ": " + value + "\r\n";
  text += "content-length: " + std::to_string(body.size()) + "\r\nconnection: close\r\n\r\n" + body;
  RawConnection connection(emulator.port());
  EXPECT_TRUE(connection.send_all(text));
  auto reply = connection.read_reply();
  if (!reply) ADD_FAILURE() << "no reply";
  return reply.value_or(RawReply{});
}

nlohmann::json logged(const EmulatorProcess& emulator) {
  return nlohmann::json::parse(emulator.admin_requests())["requests"];
}

TEST(EmulatorLogBodiesTest, BodiesAreKeptAndServedWithTheFlag) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--log-bodies"});
  const std::string body =
      R"({"messages":[{"role":"user","content":[{"text":"Grüße"}]}],"additionalModelRequestFields":{"top_k":3}})";
  const RawReply refused = send_signed(emulator, body);  // Nova takes no top_k: still logged
  EXPECT_EQ(refused.status, 400) << refused.body;
  const std::string ok = R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}]})";
  EXPECT_EQ(send_signed(emulator, ok).status, 200);

  const auto log = logged(emulator);
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0]["body"], body);
  EXPECT_EQ(log[0]["bodySize"], body.size());
  EXPECT_EQ(log[0]["outcome"], "400 ValidationException");
  EXPECT_EQ(log[1]["body"], ok);
  EXPECT_EQ(nlohmann::json::parse(log[1]["body"].get<std::string>())["messages"][0]["role"],
            "user");
}

TEST(EmulatorLogBodiesTest, NoBodiesWithoutTheFlag) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  EXPECT_EQ(
      send_signed(emulator, R"({"messages":[{"role":"user","content":[{"text":"Hi"}]}]})").status,
      200);
  const auto log = logged(emulator);
  ASSERT_EQ(log.size(), 1U);
  EXPECT_FALSE(log[0].contains("body"));
  EXPECT_GT(log[0]["bodySize"].get<int>(), 0);
}

}  // namespace
}  // namespace llmm
