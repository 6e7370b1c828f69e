// The llmm binary as a user runs it: a subprocess with a controlled environment.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

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
            "\"max_pool_connections\":10,\"max_response_bytes\":67108864,\"no_proxy\":\"\",\"proxy\":\"\","
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

}  // namespace
