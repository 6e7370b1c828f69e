// `llmm ask --attach FILE` as a user runs it: files written to a temporary directory, sent to the
// in-process emulator (whose echo names each media block it received), or refused before any
// call with exit code 2 and the file named.
#include "cli_runner.hpp"

#include "support/media_samples.hpp"
#include "support/scoped_temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using llmm::test::run_cli;
namespace samples = llmm::test::samples;

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

TEST(CliAskAttachTest, AttachmentsAreSentWithThePrompt) {
  llmm::test::ScopedTempDir dir;
  const auto chart = dir.write_file("chart.png", samples::png());
  const auto report = dir.write_file("Annual report.pdf", samples::pdf());
  const auto run = run_cli("",
                           "ask --emulator 'Compare these' --model 'Claude 3 Haiku' "
                           "--region us-east-1 --attach " +
                               quoted(chart) + " -a " + quoted(report));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("Compare these"), std::string::npos) << run.both();
  EXPECT_NE(run.out.find("[image png " + std::to_string(samples::png().size()) + " bytes]"),
            std::string::npos)
      << run.both();
  EXPECT_NE(run.out.find("[document pdf 'Annual report' " + std::to_string(samples::pdf().size()) +
                         " bytes]"),
            std::string::npos)
      << run.both();
  EXPECT_TRUE(run.err.empty()) << run.both();
}

TEST(CliAskAttachTest, VideoGoesToAModelThatTakesIt) {
  llmm::test::ScopedTempDir dir;
  const auto clip = dir.write_file("clip.webm", samples::webm());
  const auto run = run_cli("",
                           "ask --emulator 'What happens?' --model 'Nova Lite' --region us-east-1 "
                           "--attach " +
                               quoted(clip));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("[video webm "), std::string::npos) << run.both();
}

TEST(CliAskAttachTest, AMisnamedFileIsSentAsWhatItIsWithAWarning) {
  llmm::test::ScopedTempDir dir;
  const auto photo = dir.write_file("photo.jpg", samples::png());
  const auto run = run_cli("",
                           "ask --emulator 'What is it?' --model 'Claude 3 Haiku' "
                           "--region us-east-1 --attach " +
                               quoted(photo));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("[image png "), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("warning:"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("photo.jpg"), std::string::npos) << run.both();
}

TEST(CliAskAttachTest, FilesBedrockWouldRefuseExitTwoNamingThem) {
  llmm::test::ScopedTempDir dir;
  const std::string base =
      "ask --emulator 'hi' --model 'Claude 3 Haiku' --region us-east-1 --attach ";

  auto run = run_cli("", base + quoted(dir.path() / "missing.png"));
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("missing.png: no such file"), std::string::npos) << run.both();
  EXPECT_TRUE(run.out.empty()) << run.both();

  const auto archive = dir.write_file("bundle.zip", samples::zip({{"readme.txt", "hello"}}));
  run = run_cli("", base + quoted(archive));
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("bundle.zip"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("not a supported"), std::string::npos) << run.both();

  std::string big = samples::png();
  big.resize(3'750'001, '\0');
  const auto huge = dir.write_file("huge.png", big);
  run = run_cli("", base + quoted(huge));
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("huge.png (image png)"), std::string::npos) << run.both();
  EXPECT_NE(run.err.find("max_image_bytes"), std::string::npos) << run.both();
}

}  // namespace
