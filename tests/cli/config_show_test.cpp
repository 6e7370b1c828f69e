// The llmm binary as a user runs it: a subprocess with a controlled environment.
#include "cli_runner.hpp"

#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

// stdout and stderr together, as a user sees them.
struct Run {
  int exit_code = -1;
  std::string output;
};

Run run_cli(const std::string& environment, const std::string& arguments) {
  const auto run = llmm::test::run_cli(environment, arguments);
  return Run{run.exit_code, run.out + run.err};
}

TEST(CliConfigShowTest, PrintsTheDefaults) {
  const auto run = run_cli("", "config show");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output,
            "{\"ca_bundle\":\"\",\"connect_timeout\":\"60s\",\"http_version\":\"auto\","
            "\"max_pool_connections\":10,\"max_response_bytes\":67108864,\"no_proxy\":\"\","
            "\"proxy\":\"\","
            "\"read_timeout\":\"600s\",\"retries_max_attempts\":3}\n");
}

TEST(CliConfigShowTest, FlagsBeatEnvironment) {
  const auto run = run_cli("LLMM_READ_TIMEOUT=900 AWS_MAX_ATTEMPTS=2",
                           "config show --read-timeout 300ms --max-pool-connections=4");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("\"read_timeout\":\"300ms\""), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\"max_pool_connections\":4"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\"retries_max_attempts\":1"), std::string::npos) << run.output;
}

TEST(CliConfigShowTest, JsonDocumentIsApplied) {
  const auto run = run_cli("", "config show --json '{\"connect_timeout\": 2.5}'");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("\"connect_timeout\":\"2500ms\""), std::string::npos) << run.output;
}

TEST(CliConfigShowTest, BadValuesExitTwoNamingFieldAndText) {
  auto run = run_cli("", "config show --retries-max-attempts -3");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("retries_max_attempts"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("-3"), std::string::npos) << run.output;

  run = run_cli("AWS_MAX_ATTEMPTS=lots", "config show");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("AWS_MAX_ATTEMPTS"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("lots"), std::string::npos) << run.output;

  run = run_cli("", "config show --read-timeout 99999999999999h");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("out of range"), std::string::npos) << run.output;
}

// --credentials: where the default chain finds credentials, never the secret; the region.
TEST(CliConfigShowTest, CredentialsShowsProviderProfileAndNeverTheSecret) {
  const llmm::test::ScopedTempDir home;
  std::filesystem::create_directories(home.path() / ".aws");
  std::ofstream(home.path() / ".aws" / "credentials")
      << "[dev]\naws_access_key_id = AKIDSHOW\naws_secret_access_key = SHOW-SECRET-SENTINEL\n"
         "aws_session_token = SHOW-TOKEN-SENTINEL\n";
  std::ofstream(home.path() / ".aws" / "config") << "[profile dev]\nregion = eu-central-1\n";
  const std::string env =
      "HOME=" + home.path().string() + " AWS_PROFILE=dev AWS_EC2_METADATA_DISABLED=true";
  auto run = llmm::test::run_cli(env, "config show --credentials");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  auto document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document["credentials"]["provider"], "shared-file") << run.out;
  EXPECT_EQ(document["credentials"]["profile"], "dev") << run.out;
  EXPECT_NE(document["credentials"]["source"].get<std::string>().find(".aws/credentials"),
            std::string::npos)
      << run.out;
  EXPECT_FALSE(document["credentials"].contains("expiration")) << run.out;
  EXPECT_EQ(document["region"], "eu-central-1") << run.out;
  EXPECT_EQ(document["max_pool_connections"], 10) << "the ClientConfig is still there: " << run.out;
  for (const auto& text : {run.out, run.err}) {
    EXPECT_EQ(text.find("SHOW-SECRET-SENTINEL"), std::string::npos) << text;
    EXPECT_EQ(text.find("SHOW-TOKEN-SENTINEL"), std::string::npos) << text;
  }

  // Temporary credentials show their expiry (credential_process with an Expiration).
  const auto helper = home.write_file(
      "helper.sh",
      "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIDP\",\"SecretAccessKey\":"
      "\"SHOW-SECRET-SENTINEL\",\"Expiration\":\"2100-01-01T00:00:00Z\"}'\n");
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  std::ofstream(home.path() / ".aws" / "config")
      << "[profile proc]\ncredential_process = " << helper.string() << "\n";
  run = llmm::test::run_cli("HOME=" + home.path().string() +
                                " AWS_PROFILE=proc AWS_REGION=us-west-2 "
                                "AWS_EC2_METADATA_DISABLED=true",
                            "config show --credentials");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  EXPECT_EQ(document["credentials"]["provider"], "process") << run.out;
  EXPECT_EQ(document["credentials"]["expiration"], "2100-01-01T00:00:00Z") << run.out;
  EXPECT_EQ(document["region"], "us-west-2") << run.out;
  EXPECT_EQ(run.out.find("SHOW-SECRET-SENTINEL"), std::string::npos) << run.out;
}

TEST(CliConfigShowTest, CredentialsNotFoundIsReportedNotFatal) {
  const auto run = llmm::test::run_cli("HOME=/nonexistent AWS_EC2_METADATA_DISABLED=true",
                                       "config show --credentials");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const auto document = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << run.out;
  const std::string error = document["credentials"]["error"];
  EXPECT_NE(error.find("No AWS credentials found"), std::string::npos) << error;
  EXPECT_NE(error.find("IMDS"), std::string::npos) << error;
  EXPECT_TRUE(document["region"].is_null()) << run.out;
}

}  // namespace
