// `llmm demo` end to end: the story it tells must contain each act. Only words are checked,
// never timings, so a slow machine passes too.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(CliDemoTest, ShowsThrottleTimeoutProfileSwitchAndSuccess) {
  const auto run = llmm::test::run_cli("", "demo");
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const std::string& out = run.out;
  EXPECT_NE(out.find("429 ThrottlingException"), std::string::npos) << out;
  EXPECT_NE(out.find("Timeout"), std::string::npos) << out;
  EXPECT_NE(out.find("-> failover"), std::string::npos) << out;
  EXPECT_NE(out.find("-> switch to profile"), std::string::npos) << out;
  EXPECT_NE(out.find("regional_profile"), std::string::npos) << out;
  EXPECT_NE(out.find("-> succeeded"), std::string::npos) << out;
  EXPECT_NE(out.find("manager stats:"), std::string::npos) << out;
  EXPECT_EQ(out.find("failed:"), std::string::npos) << out;
  // Not a terminal: no colour escapes, and plain ASCII throughout.
  for (const char c : out) {
    ASSERT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f)) << "non-ASCII or control byte " << int(c);
  }
}

}  // namespace
