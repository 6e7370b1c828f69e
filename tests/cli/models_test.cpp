// `llmm models` and `llmm models resolve` as a user runs them.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using llmm::test::run_cli;

TEST(CliModelsTest, ListsTheBundledCatalogWithItsCounts) {
  const auto run = run_cli("", "models");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_TRUE(run.out.starts_with("MODEL ID")) << run.out;
  EXPECT_NE(run.out.find("anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos);
  EXPECT_NE(run.out.find("123 models, 18 providers, 17 regions, 108 profiles"), std::string::npos)
      << run.out;
}

TEST(CliModelsTest, FiltersByRegionAndProviderWithAccessColumns) {
  const auto run = run_cli("", "models --region ap-northeast-1 --provider anthropic");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("REGIONAL PROFILE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("jp.anthropic.claude-sonnet-4-5-20250929-v1:0"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("amazon.nova"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 provider,"), std::string::npos) << run.out;
}

TEST(CliModelsTest, JsonIsOurCatalogSchema) {
  const auto run = run_cli("", "models --json --provider Meta");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("\"schema\": \"llmm-catalog\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("meta.llama3-1-8b-instruct-v1:0"), std::string::npos);
  EXPECT_EQ(run.out.find("anthropic."), std::string::npos);
}

TEST(CliModelsTest, UnknownRegionOrProviderIsAConfigurationError) {
  auto run = run_cli("", "models --region mars-north-1");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("mars-north-1"), std::string::npos) << run.err;
  run = run_cli("", "models --provider Nobody");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("no provider 'Nobody'"), std::string::npos) << run.err;
}

TEST(CliModelsTest, ResolveExplainsTheMatchAndTheAccess) {
  const auto run = run_cli("", "models resolve claude-3-haiku --region us-east-1");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("resolves to 'Claude 3 Haiku' (anthropic.claude-3-haiku-20240307-v1:0)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("match:   normalized"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("us.anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos) << run.out;
}

TEST(CliModelsTest, ResolveProfilesArnsAndUnknownNames) {
  auto run = run_cli("", "models resolve eu.amazon.nova-pro-v1:0");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("match:   profile"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("eu-west-3"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("us-east-1"), std::string::npos) << "an EU profile: EU regions only\n" << run.out;

  run = run_cli("", "models resolve arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("match:   arn"), std::string::npos) << run.out;

  run = run_cli("", "models resolve 'Claude 3 Hiku'");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("did you mean 'Claude 3 Haiku'"), std::string::npos) << run.err;

  run = run_cli("", "models resolve 'Claude 3 Haiku' --region us-west-1");
  EXPECT_EQ(run.exit_code, 1) << "offered, but not in this region\n" << run.both();
  EXPECT_NE(run.out.find("not offered"), std::string::npos) << run.out;
}

TEST(CliModelsTest, TheBuiltInTableIsAvailableToo) {
  const auto run = run_cli("", "models --catalog builtin");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("catalog: builtin"), std::string::npos) << run.out;
}

}  // namespace
