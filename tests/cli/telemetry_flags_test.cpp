// The CLI's logs and metrics as an operator uses them: -v / -vv / -vvv and --log-level lines on
// stderr (credentials redacted), request ids in every output that reports a call, and a running
// `llmm batch --metrics-port` scraped over HTTP and read by python3-prometheus-client.
#include "cli_process.hpp"
#include "cli_runner.hpp"
#include "support/emulator_process.hpp"
#include "support/prometheus_samples.hpp"
#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using llmm::test::CliProcess;
using llmm::test::EmulatorProcess;
using llmm::test::eventually;
using llmm::test::run_cli;
using llmm::test::ScopedTempDir;
using nlohmann::json;

constexpr const char* kTarget = " --model 'Claude 3 Haiku' --region us-east-1";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// The request id after `marker` in `text`: the run of hex digits and dashes that follows it
// (empty when the marker is missing). Not std::regex: GCC 12's regex headers warn
// (-Wmaybe-uninitialized) in the sanitizer builds, where warnings are errors.
std::string id_after(const std::string& text, std::string_view marker) {
  const auto at = text.find(marker);
  if (at == std::string::npos) return {};
  std::string id;
  for (std::size_t i = at + marker.size(); i < text.size(); ++i) {
    const char c = text[i];
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != '-') break;
    id += c;
  }
  return id;
}

std::string keys() {
  return std::string("AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=") + kSecret;
}

TEST(CliLoggingTest, OneVGivesEachCallsEndWithItsRequestId) {
  const auto run = run_cli("", std::string("ask --emulator hello -v") + kTarget);
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find(" info call ended call=1 model=\"Claude 3 Haiku\""), std::string::npos)
      << run.err;
  EXPECT_GE(id_after(run.err, "request_id=").size(), 8U) << run.err;
  EXPECT_EQ(run.err.find("attempt ended"), std::string::npos) << "that is -vv";
}

TEST(CliLoggingTest, TwoVsAddTheAttemptsAndThreeTheWireRedacted) {
  const auto debug = run_cli("", std::string("ask --emulator hello -vv") + kTarget);
  ASSERT_EQ(debug.exit_code, 0) << debug.both();
  EXPECT_NE(debug.err.find(" debug attempt ended call=1 attempt=1"), std::string::npos)
      << debug.err;
  EXPECT_EQ(debug.err.find(" trace "), std::string::npos);

  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const auto trace =
      run_cli(keys() + " AWS_SESSION_TOKEN=SENTINEL-TOKEN-CLI",
              "ask hello -vvv --log-bodies --endpoint " + emulator.base_url() + kTarget);
  ASSERT_EQ(trace.exit_code, 0) << trace.both();
  EXPECT_NE(trace.err.find(" trace request call=1 attempt=1 method=POST"), std::string::npos)
      << trace.err;
  EXPECT_NE(trace.err.find("authorization: ***"), std::string::npos) << trace.err;
  EXPECT_NE(trace.err.find("x-amz-security-token: ***"), std::string::npos) << trace.err;
  EXPECT_NE(trace.err.find("hello"), std::string::npos) << "--log-bodies: the prompt";
  EXPECT_EQ(trace.err.find(kSecret), std::string::npos) << trace.err;
  EXPECT_EQ(trace.err.find("SENTINEL-TOKEN-CLI"), std::string::npos) << trace.err;
  EXPECT_EQ(trace.err.find("Signature="), std::string::npos) << trace.err;
}

TEST(CliLoggingTest, LogLevelByNameAndAnUnknownOneIsAUsageError) {
  const auto quiet =
      run_cli("", std::string("ask --emulator hello -vv --log-level warning") + kTarget);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.both();
  EXPECT_TRUE(quiet.err.empty() || quiet.err.find("call ended") == std::string::npos) << quiet.err;

  const auto bad = run_cli("", std::string("ask --emulator hello --log-level chatty") + kTarget);
  EXPECT_EQ(bad.exit_code, 2) << bad.both();
  EXPECT_NE(bad.err.find("--log-level"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("chatty"), std::string::npos) << bad.err;
}

TEST(CliLoggingTest, WithoutAFlagNothingIsLogged) {
  const auto run = run_cli("", std::string("ask --emulator hello") + kTarget);
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_TRUE(run.err.empty()) << run.err;
}

TEST(CliRequestIdTest, JsonOnSuccessAndTheFailureLineCarryTheRequestId) {
  const auto ok = run_cli("", std::string("ask --emulator hello --json") + kTarget);
  ASSERT_EQ(ok.exit_code, 0) << ok.both();
  const json response = json::parse(ok.out);
  ASSERT_TRUE(response.contains("request_id")) << ok.out;
  EXPECT_FALSE(response["request_id"].get<std::string>().empty()) << ok.out;

  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  emulator.admin_put_scenario(R"({"rules":[{"name":"denied","match":{},"action":{"type":"error",)"
                              R"("exception":"AccessDeniedException","message":"not for you"}}]})");
  const auto failed = run_cli(keys(), "ask hello --endpoint " + emulator.base_url() + kTarget);
  EXPECT_EQ(failed.exit_code, 1) << failed.both();
  EXPECT_NE(failed.err.find("llmm: call failed: "), std::string::npos) << failed.err;
  const std::string id = id_after(failed.err, "not for you [request id ");
  EXPECT_GE(id.size(), 8U) << failed.err;
  EXPECT_NE(failed.err.find("[request id " + id + "]"), std::string::npos) << failed.err;
  const auto streamed = run_cli(keys(), "stream hello --endpoint " + emulator.base_url() + kTarget);
  EXPECT_EQ(streamed.exit_code, 1) << streamed.both();
  EXPECT_NE(streamed.err.find("[request id "), std::string::npos) << streamed.err;
}

std::string text_of(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::size_t line_count(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::size_t lines = 0;
  for (std::string line; std::getline(file, line);) ++lines;
  return lines;
}

// GET `target` from 127.0.0.1:port, one request on its own connection.
std::optional<llmm::test::RawReply> http_get(std::uint16_t port, const std::string& target) {
  llmm::test::RawConnection connection(port);
  if (!connection.send_all("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) return {};
  return connection.read_reply();
}

TEST(CliBatchMetricsTest, ARunningBatchIsScrapedAndItsCountsAreTheCallsAnswered) {
  const ScopedTempDir dir;
  std::string input;
  for (int i = 0; i < 10; ++i) {
    input +=
        json{{"id", "q" + std::to_string(i)}, {"prompt", "p" + std::to_string(i)}}.dump() + "\n";
  }
  dir.write_file("in.jsonl", input);
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--seed", "11"});
  // Five calls answered, then every call stalls: the batch is still running when scraped.
  emulator.admin_put_scenario(
      R"({"rules":[{"name":"stall after five","match":{"operation":"Converse","calls":[6,7,8,9,10]},)"
      R"("action":{"type":"stall"}}]})");
  CliProcess batch(
      {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", std::string("AWS_SECRET_ACCESS_KEY=") + kSecret},
      {"batch", (dir.path() / "in.jsonl").string(), "-o", (dir.path() / "out.jsonl").string(),
       "--endpoint", emulator.base_url(), "--model", "Claude 3 Haiku", "--region", "us-east-1",
       "-q", "-c", "2", "--read-timeout", "300s", "--metrics-port", "0"},
      (dir.path() / "stdout").string(), (dir.path() / "stderr").string());
  ASSERT_TRUE(eventually([&] { return line_count(dir.path() / "out.jsonl") >= 5; })) << batch.err();

  const std::string err = batch.err();
  const std::string marker = "metrics at http://127.0.0.1:";
  const auto at = err.find(marker);
  ASSERT_NE(at, std::string::npos) << err;
  ASSERT_NE(err.find("/metrics", at + marker.size()), std::string::npos) << err;
  const auto port = static_cast<std::uint16_t>(std::stoi(err.substr(at + marker.size())));
  const auto scraped = http_get(port, "/metrics");
  ASSERT_TRUE(scraped) << "no reply";
  EXPECT_EQ(scraped->status, 200);
  EXPECT_EQ(scraped->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const json samples = llmm::test::parse_with_prometheus_client(scraped->body);
  ASSERT_TRUE(samples.is_object());
  EXPECT_EQ(llmm::test::sample_value(samples, "llmm_calls_total", {{"outcome", "success"}}), 5);
  EXPECT_EQ(llmm::test::sample_value(samples, "llmm_attempts_total",
                                     {{"region", "us-east-1"}, {"outcome", "success"}}),
            5);

  const auto missing = http_get(port, "/other");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  batch.signal(SIGINT);
  batch.signal(SIGTERM);
  EXPECT_EQ(batch.wait(), 3) << batch.err();
  EXPECT_EQ(text_of(dir.path() / "stdout"), "");
}

TEST(CliBatchMetricsTest, ABadAddressIsAUsageError) {
  const ScopedTempDir dir;
  dir.write_file("in.jsonl", "{\"prompt\":\"p\"}\n");
  const auto run = run_cli("", "batch " + (dir.path() / "in.jsonl").string() + " --emulator" +
                                   kTarget + " --metrics-port 0 --metrics-address not-an-ip");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("--metrics-address"), std::string::npos) << run.err;
}

}  // namespace
