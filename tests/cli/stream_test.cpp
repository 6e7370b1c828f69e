// `llmm stream` as a user runs it: the answer alone on stdout, the summary line on stderr.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using llmm::test::run_cli;

TEST(CliStreamTest, TheAnswerGoesToStdoutAndTheSummaryToStderr) {
  const auto run = run_cli("",
                           "stream --emulator 'one two three four' --model 'Claude 3 Haiku' "
                           "--region us-east-1 --first-token-timeout 5000");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_EQ(run.out, "one two three four\n") << run.both();
  EXPECT_NE(run.err.find("time to first token"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("tokens/s"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("us-east-1"), std::string::npos) << run.both();
  EXPECT_EQ(run.err.find("waiting"), std::string::npos)
      << "no spinner when stderr is not a terminal";
}

TEST(CliStreamTest, BadInputExitsTwo) {
  EXPECT_EQ(
      run_cli("", "stream --emulator hi --model 'No Such Model' --region us-east-1").exit_code, 2);
  EXPECT_EQ(run_cli("",
                    "stream --emulator hi --model 'Claude 3 Haiku' --region us-east-1 "
                    "--first-token-timeout 0")
                .exit_code,
            2);
}

TEST(CliStreamTest, AnUnreachableEndpointExitsOne) {
  const auto run = run_cli("AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret",
                           "stream hi --model 'Claude 3 Haiku' --region us-east-1 "
                           "--endpoint http://127.0.0.1:9 --retries-max-attempts 0");
  EXPECT_EQ(run.exit_code, 1) << run.both();
  EXPECT_TRUE(run.out.empty()) << run.both();
  EXPECT_NE(run.err.find("stream failed"), std::string::npos) << run.both();
}

}  // namespace
