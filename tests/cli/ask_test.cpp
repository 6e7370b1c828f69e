// `llmm ask` as a user runs it: against the in-process emulator (--emulator), with bad flags and
// with an unreachable endpoint. Nothing here depends on how fast the machine is.
#include "cli_runner.hpp"
#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

using llmm::test::run_cli;

constexpr const char* kHaiku = "--model 'Claude 3 Haiku'";

TEST(CliAskTest, EmulatorAnswerGoesToStdout) {
  const auto run =
      run_cli("", std::string("ask --emulator 'hi' ") + kHaiku + " --region us-east-1");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_FALSE(run.out.empty()) << run.both();
  // The emulator's default (echo) mode repeats the prompt.
  EXPECT_NE(run.out.find("hi"), std::string::npos) << run.both();
  EXPECT_TRUE(run.err.empty()) << run.both();
}

TEST(CliAskTest, TheEmulatorsCatalogIsDiscoveredAndNeverCached) {
  // An emulator's catalog must not replace the one cached for the real service.
  const llmm::test::ScopedTempDir home;
  const auto run = run_cli("XDG_CACHE_HOME=" + home.path().string(),
                           std::string("ask --emulator 'hi' -v ") + kHaiku + " --region us-east-1");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("catalog: discovery"), std::string::npos) << run.both();
  EXPECT_TRUE(std::filesystem::is_empty(home.path())) << run.both();
}

TEST(CliAskTest, JsonIsTheWholeResponseWithItsAttempts) {
  const auto run = run_cli(
      "", std::string("ask --emulator 'hello there' --json ") + kHaiku + " --region eu-west-1");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const auto document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document.value("ok", false), true) << run.out;
  EXPECT_EQ(document.value("region", ""), "eu-west-1") << run.out;
  ASSERT_TRUE(document.contains("attempts")) << run.out;
  ASSERT_TRUE(document["attempts"].is_array()) << run.out;
  ASSERT_FALSE(document["attempts"].empty()) << run.out;
  EXPECT_EQ(document["attempts"].back().value("decision", ""), "succeeded") << run.out;
  EXPECT_NE(document.value("text", "").find("hello there"), std::string::npos) << run.out;
}

TEST(CliAskTest, RepeatedModelsAndRegionsKeepTheirOrder) {
  const auto run = run_cli("", "ask --emulator 'hi' --json --model 'Nova Pro' " +
                                   std::string(kHaiku) + " --region eu-west-1 --region us-east-1");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const auto document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document.value("model_name", ""), "Nova Pro") << run.out;
  EXPECT_EQ(document.value("region", ""), "eu-west-1") << run.out;
}

TEST(CliAskTest, VerbosePrintsTheAttemptTableToStderr) {
  const auto run =
      run_cli("", std::string("ask --emulator 'hi' -v ") + kHaiku + " --region us-west-2");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("model id sent"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("decision"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("us-west-2"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("succeeded"), std::string::npos) << run.both();
  EXPECT_EQ(run.out.find("model id sent"), std::string::npos) << "the table belongs on stderr";
}

TEST(CliAskTest, UnknownModelExitsTwoNamingIt) {
  const auto run = run_cli("", "ask --emulator 'hi' --model 'Claude 9 Opus' --region us-east-1");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("Claude 9 Opus"), std::string::npos) << run.both();
  EXPECT_TRUE(run.out.empty()) << run.both();
}

TEST(CliAskTest, BadFlagValuesExitTwo) {
  const std::string base = std::string("ask --emulator 'hi' ") + kHaiku + " --region us-east-1 ";

  auto run = run_cli("", base + "--read-timeout banana");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("banana"), std::string::npos) << run.both();

  run = run_cli("", base + "--retries-max-attempts -3");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("retries_max_attempts"), std::string::npos) << run.both();

  run = run_cli("", base + "--retry-delay soon");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("retry-delay"), std::string::npos) << run.both();

  run = run_cli("", base + "--retry-delay -5");
  EXPECT_EQ(run.exit_code, 2) << run.both();

  run = run_cli("", base + "--no-such-flag");
  EXPECT_EQ(run.exit_code, 2) << run.both();

  run = run_cli("", base + "--endpoint http://127.0.0.1:9");
  EXPECT_EQ(run.exit_code, 2) << "--endpoint and --emulator exclude each other\n" << run.both();

  run = run_cli("", "ask --emulator 'hi' --region us-east-1");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("--model"), std::string::npos) << run.both();

  run = run_cli("", std::string("ask --emulator 'hi' ") + kHaiku + " --region ' '");
  EXPECT_EQ(run.exit_code, 2) << run.both();
}

TEST(CliAskTest, FailedCallExitsOneWithTheErrorOnStderr) {
  // Port 9 (discard) on loopback has no listener here: every attempt is refused at once.
  const auto run =
      run_cli("AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret HOME=/nonexistent",
              std::string("ask 'hi' ") + kHaiku +
                  " --region us-east-1 --endpoint http://127.0.0.1:9 --retries-max-attempts 0"
                  " --retry-delay 0 --connect-timeout 5s");
  EXPECT_EQ(run.exit_code, 1) << run.both();
  EXPECT_NE(run.err.find("llmm: call failed: "), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("us-east-1"), std::string::npos) << run.both();
  EXPECT_TRUE(run.out.empty()) << run.both();
}

TEST(CliAskTest, MissingCredentialsExitTwo) {
  const auto run = run_cli(
      "HOME=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent/c "
      "AWS_CONFIG_FILE=/nonexistent/f",
      std::string("ask 'hi' ") + kHaiku + " --region us-east-1");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_FALSE(run.err.empty()) << run.both();
}

// -r is optional: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region.
TEST(CliAskTest, RegionComesFromTheEnvironmentWhenNotGiven) {
  auto run = run_cli("AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=us-west-2 HOME=/nonexistent",
                     std::string("ask --emulator 'hi' --json ") + kHaiku);
  ASSERT_EQ(run.exit_code, 0) << run.both();
  auto document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document.value("region", ""), "eu-west-1") << run.out;

  const llmm::test::ScopedTempDir home;
  std::filesystem::create_directories(home.path() / ".aws");
  std::ofstream(home.path() / ".aws" / "config") << "[profile dev]\nregion = ap-southeast-2\n";
  run = run_cli("HOME=" + home.path().string() + " AWS_PROFILE=dev",
                std::string("ask --emulator 'hi' --json ") + kHaiku);
  ASSERT_EQ(run.exit_code, 0) << run.both();
  document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document.value("region", ""), "ap-southeast-2") << run.out;
}

TEST(CliAskTest, NoRegionAnywhereExitsTwoSayingWhereItLooked) {
  const auto run = run_cli("HOME=/nonexistent", std::string("ask --emulator 'hi' ") + kHaiku);
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("AWS_REGION"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("--region"), std::string::npos) << run.both();
  EXPECT_TRUE(run.out.empty()) << run.both();
}

}  // namespace
