// Quotas over the wire (docs/emulator.md "Quotas"): the real executable with --quota answers
// requests beyond the bucket with Bedrock's 429 ThrottlingException, counts them in
// GET /_emulator/quotas and the request log, refills on POST /_emulator/reset, takes new rules
// by PUT and drops them by DELETE, and refuses a bad --quota with exit code 2. The buckets hold
// one request and refill once a minute, so "quick" needs no timing assumption worth the name.
#include "auth/sigv4_signer.hpp"
#include "support/emulator_process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

namespace llmm {
namespace {

using nlohmann::json;
using test::EmulatorProcess;
using test::RawConnection;
using test::RawReply;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";
constexpr const char* kBody = R"({"messages":[{"role":"user","content":[{"text":"Hello"}]}]})";

// A signed Converse of kModel in `region` with the emulator's default key pair.
RawReply converse(const EmulatorProcess& emulator, const std::string& region) {
  auth::SigningInput input;
  input.method = "POST";
  input.path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
  input.headers = {{"host", "127.0.0.1:" + std::to_string(emulator.port())},
                   {"content-type", "application/json"}};
  input.body = kBody;
  const auto signed_request =
      auth::sign_request(input, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""},
                         {region}, std::chrono::system_clock::now());
  std::string text = "POST " + input.path + " HTTP/1.1\r\n";
  for (const auto& [name, value] : input.headers) text += name + ": " + value + "\r\n";
  for (const auto& [name, value] : signed_request.headers_to_add)
    text += name + ": " + value + "\r\n";
  text += "content-length: " + std::to_string(input.body.size()) + "\r\nconnection: close\r\n\r\n" +
          kBody;
  RawConnection connection(emulator.port());
  EXPECT_TRUE(connection.send_all(text));
  auto reply = connection.read_reply();
  if (!reply) ADD_FAILURE() << "no reply";
  return reply.value_or(RawReply{});
}

json quotas(const EmulatorProcess& emulator) {
  const RawReply reply = emulator.request("GET", "/_emulator/quotas");
  EXPECT_EQ(reply.status, 200) << reply.body;
  return json::parse(reply.body);
}

// The counters of the (region, kModel) bucket; null when it has none.
json bucket(const EmulatorProcess& emulator, const std::string& region) {
  const json state = quotas(emulator);  // named: a range-for over a temporary's member dangles
  for (const json& b : state["buckets"]) {
    if (b["region"] == region && b["model"] == kModel) return b;
  }
  return nullptr;
}

TEST(EmulatorQuota, RequestsBeyondTheBucketAreThrottledAndCounted) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH,
                           {"--quota", std::string("us-east-1:") + kModel + ":rpm=1,burst=60",
                            "--quota", "*:*:rpm=2,tpm=100000,burst=30"});
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  for (int i = 0; i < 2; ++i) {
    const RawReply reply = converse(emulator, "us-east-1");
    EXPECT_EQ(reply.status, 429);
    const std::string type = reply.header("x-amzn-ErrorType").value_or("");
    EXPECT_EQ(type.substr(0, type.find(':')), "ThrottlingException");
    EXPECT_EQ(json::parse(reply.body),
              json::parse(R"({"message":"Too many requests, please wait before trying again."})"));
  }
  // Another region falls to the second flag: its own bucket of one request (2 a minute, 30 s).
  EXPECT_EQ(converse(emulator, "us-west-2").status, 200);
  EXPECT_EQ(converse(emulator, "us-west-2").status, 429);

  const json state = quotas(emulator);
  ASSERT_EQ(state["rules"].size(), 2u);
  EXPECT_EQ(state["rules"][0], json::parse(std::string(R"({"region":"us-east-1","model":")") +
                                           kModel + R"(","rpm":1,"tpm":null,"burst":60.0})"));
  EXPECT_EQ(state["rules"][1],
            json::parse(R"({"region":"*","model":"*","rpm":2,"tpm":100000,"burst":30.0})"));
  const json east = bucket(emulator, "us-east-1");
  EXPECT_EQ(east["admitted"], 1);
  EXPECT_EQ(east["throttledRpm"], 2);
  EXPECT_EQ(east["throttledTpm"], 0);
  EXPECT_EQ(bucket(emulator, "us-west-2")["throttledRpm"], 1);

  const json log = json::parse(emulator.admin_requests())["requests"];
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[0]["rule"], "");
  EXPECT_EQ(log[1]["outcome"], "429 ThrottlingException");
  EXPECT_EQ(log[1]["rule"], "quota:rpm");
  EXPECT_EQ(log[1]["model"], kModel);
}

TEST(EmulatorQuota, ResetRefillsAndKeepsTheRules) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--quota", "*:*:rpm=1,burst=60"});
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 429);
  emulator.admin_reset();
  EXPECT_EQ(bucket(emulator, "us-east-1")["admitted"], 0);
  EXPECT_EQ(bucket(emulator, "us-east-1")["throttledRpm"], 0);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 429);
  EXPECT_EQ(quotas(emulator)["rules"].size(), 1u);
  EXPECT_EQ(bucket(emulator, "us-east-1")["admitted"], 1);
}

TEST(EmulatorQuota, PutReplacesDeleteRemovesBadPutIs400) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  EXPECT_EQ(quotas(emulator), json::parse(R"({"rules":[],"buckets":[]})"));
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);

  RawReply put = emulator.request("PUT", "/_emulator/quotas",
                                  R"({"rules":[{"region":"us-east-1","rpm":1,"burst":60}]})",
                                  {{"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["rules"][0]["model"], "*");
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 429);
  EXPECT_EQ(converse(emulator, "eu-west-1").status, 200);  // no rule there

  const RawReply bad = emulator.request("PUT", "/_emulator/quotas", R"({"rules":[{"rpm":0}]})");
  EXPECT_EQ(bad.status, 400);
  const std::string type = bad.header("x-amzn-ErrorType").value_or("");
  EXPECT_EQ(type.substr(0, type.find(':')), "ValidationException");
  EXPECT_EQ(json::parse(bad.body)["message"],
            "rules[0]: rpm must be an integer from 1 to 1000000000, not 0");
  EXPECT_EQ(emulator.request("PUT", "/_emulator/quotas", "not json").status, 400);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 429);  // the rules stayed

  const RawReply removed = emulator.request("DELETE", "/_emulator/quotas");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(json::parse(removed.body), json::parse(R"({"rules":[],"buckets":[]})"));
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
  EXPECT_EQ(converse(emulator, "us-east-1").status, 200);
}

test::EmulatorExit run_with_quota(const std::string& value) {
  return test::run_emulator_to_exit(BEDROCK_EMULATOR_PATH, "--quota '" + value + "'");
}

TEST(EmulatorQuota, BadFlagExitsWithTwoNamingFlagAndValue) {
  test::EmulatorExit finished = run_with_quota("*:*:rpm=0");
  EXPECT_EQ(finished.exit_code, 2) << finished.output;
  EXPECT_EQ(finished.output,
            "bedrock-emulator: --quota '*:*:rpm=0': rpm must be an integer from 1 to 1000000000, "
            "not 0\n");
  finished = run_with_quota("us-east-1:rpm=5");
  EXPECT_EQ(finished.exit_code, 2) << finished.output;
  EXPECT_NE(finished.output.find(
                "--quota 'us-east-1:rpm=5': expected REGION:MODEL:rpm=N,tpm=N[,burst=S]"),
            std::string::npos)
      << finished.output;
}

}  // namespace
}  // namespace llmm
