// `llmm models` and `llmm models resolve` as a user runs them. Every run gets its own cache
// directory (XDG_CACHE_HOME or --catalog-dir), so nothing is read from or written under $HOME.
#include "cli_runner.hpp"
#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace {

using llmm::test::CliRun;
using llmm::test::EmulatorProcess;
using llmm::test::run_cli;
using llmm::test::ScopedTempDir;

// No credentials anywhere (run_cli passes no other variable) and a private cache directory.
CliRun run_models(const ScopedTempDir& cache, const std::string& arguments) {
  return run_cli("XDG_CACHE_HOME=" + cache.path().string(), "models " + arguments);
}

// The emulator's key pair in the environment and its endpoint as --endpoint: a fixed control
// plane across runs, so its cache entry can be hit by a second run.
class CliModelsEmulatorTest : public ::testing::Test {
 protected:
  CliRun run_models(const std::string& arguments) const {
    const llmm::AuthConfig auth = emulator_.auth_config();
    return run_cli("AWS_ACCESS_KEY_ID=" + auth.access_key_id + " AWS_SECRET_ACCESS_KEY='" +
                       auth.secret_access_key + "' XDG_CACHE_HOME=" + xdg_.path().string(),
                   "models --endpoint " + emulator_.base_url() + " " + arguments);
  }
  [[nodiscard]] std::size_t requests_seen() const {
    return nlohmann::json::parse(emulator_.admin_requests())["requests"].size();
  }

  EmulatorProcess emulator_{BEDROCK_EMULATOR_PATH};
  ScopedTempDir xdg_;
  ScopedTempDir catalog_dir_;
};

TEST(CliModelsTest, WithoutCredentialsListsTheBundledCatalogWithItsCounts) {
  const ScopedTempDir cache;
  const auto run = run_models(cache, "");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_TRUE(run.out.starts_with("MODEL ID")) << run.out;
  EXPECT_NE(run.out.find("anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos);
  EXPECT_NE(run.out.find("123 models, 18 providers, 17 regions, 108 profiles"), std::string::npos)
      << run.out;
  EXPECT_NE(run.err.find("llmm: catalog from bundled"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no catalog discovery"), std::string::npos) << "says why\n" << run.err;
  EXPECT_NE(run.err.find("may be stale"), std::string::npos) << run.err;
}

TEST(CliModelsTest, FiltersByRegionAndProviderWithAccessColumns) {
  const ScopedTempDir cache;
  const auto run = run_models(cache, "--region ap-northeast-1 --provider anthropic --offline");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("REGIONAL PROFILE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("jp.anthropic.claude-sonnet-4-5-20250929-v1:0"), std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("amazon.nova"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 provider,"), std::string::npos) << run.out;
}

TEST(CliModelsTest, JsonIsOurCatalogSchema) {
  const ScopedTempDir cache;
  const auto run = run_models(cache, "--json --provider Meta --offline");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("\"schema\": \"llmm-catalog\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("meta.llama3-1-8b-instruct-v1:0"), std::string::npos);
  EXPECT_EQ(run.out.find("anthropic."), std::string::npos);
}

TEST(CliModelsTest, UnknownRegionOrProviderIsAConfigurationError) {
  const ScopedTempDir cache;
  auto run = run_models(cache, "--region mars-north-1");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("mars-north-1"), std::string::npos) << run.err;
  run = run_models(cache, "--provider Nobody --offline");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("no provider 'Nobody'"), std::string::npos) << run.err;
}

TEST(CliModelsTest, ResolveExplainsTheMatchAndTheAccess) {
  const ScopedTempDir cache;
  const auto run = run_models(cache, "resolve claude-3-haiku --region us-east-1");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("resolves to 'Claude 3 Haiku' (anthropic.claude-3-haiku-20240307-v1:0)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("match:   normalized"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("us.anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos)
      << run.out;
}

TEST(CliModelsTest, ResolveProfilesArnsAndUnknownNames) {
  const ScopedTempDir cache;
  auto run = run_models(cache, "resolve eu.amazon.nova-pro-v1:0 --offline");
  EXPECT_EQ(run.exit_code, 0) << "catalog flags may follow the name\n" << run.both();
  EXPECT_NE(run.out.find("match:   profile"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("eu-west-3"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("us-east-1"), std::string::npos) << "an EU profile: EU regions only\n"
                                                          << run.out;

  run = run_models(
      cache, "resolve arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("match:   arn"), std::string::npos) << run.out;

  run = run_models(cache, "resolve 'Claude 3 Hiku'");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("did you mean 'Claude 3 Haiku'"), std::string::npos) << run.err;

  run = run_models(cache, "resolve 'Claude 3 Haiku' --region us-west-1");
  EXPECT_EQ(run.exit_code, 1) << "offered, but not in this region\n" << run.both();
  EXPECT_NE(run.out.find("not offered"), std::string::npos) << run.out;
}

TEST(CliModelsTest, BadCatalogFlagsAreUsageErrors) {
  const ScopedTempDir cache;
  auto run = run_models(cache, "--catalog-cache disk");
  EXPECT_EQ(run.exit_code, 2) << run.both();
  EXPECT_NE(run.err.find("--catalog-cache"), std::string::npos) << run.err;
  run = run_models(cache, "--offline --refresh-catalog");
  EXPECT_EQ(run.exit_code, 2) << "refreshing means discovering\n" << run.both();
  run = run_models(cache, "--catalog builtin");
  EXPECT_EQ(run.exit_code, 2) << "the built-in table is gone\n" << run.both();
}

TEST(CliModelsTest, TheEmbeddedEmulatorIsDiscovered) {
  const ScopedTempDir cache;
  const auto run = run_models(cache, "--emulator --region us-east-1 --provider anthropic");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from discovery"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("catalog: discovery us-east-1"), std::string::npos) << run.out;
}

TEST_F(CliModelsEmulatorTest, OfflineMakesNoCallAndGivesTheBundledData) {
  const auto run = run_models("--offline --catalog-dir " + catalog_dir_.path().string());
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.out.find("123 models, 18 providers, 17 regions, 108 profiles"), std::string::npos)
      << run.out;
  EXPECT_NE(run.err.find("llmm: catalog from bundled"), std::string::npos) << run.err;
  EXPECT_EQ(requests_seen(), 0U);
}

TEST_F(CliModelsEmulatorTest, DiscoversThenReadsTheCacheThenRefreshes) {
  const std::string dir = " --catalog-dir " + catalog_dir_.path().string();
  auto run = run_models("--region us-east-1" + dir);
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from discovery"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("catalog: discovery us-east-1"), std::string::npos) << run.out;
  EXPECT_TRUE(std::filesystem::exists(catalog_dir_.path() / "bedrock_catalog.json"));
  const std::size_t discovery_requests = requests_seen();
  EXPECT_GE(discovery_requests, 2U) << "ListFoundationModels and ListInferenceProfiles";

  run = run_models("--region us-east-1" + dir);
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from cache"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bedrock_catalog.json"), std::string::npos) << "names the file\n"
                                                                     << run.err;
  EXPECT_EQ(requests_seen(), discovery_requests) << "a cache hit calls nothing";

  run = run_models("--region us-east-1 --offline" + dir);
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from cache"), std::string::npos)
      << "offline reads the cache\n"
      << run.err;

  run = run_models("--region us-east-1 --refresh-catalog" + dir);
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from discovery"), std::string::npos) << run.err;
  EXPECT_GT(requests_seen(), discovery_requests);
}

TEST_F(CliModelsEmulatorTest, CacheNoneNeverWritesTheDirectory) {
  const std::filesystem::path dir = catalog_dir_.path() / "catalog";
  const std::string flags = "--region us-east-1 --catalog-cache none --catalog-dir " + dir.string();
  for (int i = 0; i < 2; ++i) {
    const auto run = run_models(flags);
    EXPECT_EQ(run.exit_code, 0) << run.both();
    EXPECT_NE(run.err.find("llmm: catalog from discovery"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_TRUE(std::filesystem::is_empty(xdg_.path())) << "nor the default one";
}

TEST_F(CliModelsEmulatorTest, ResolveUsesTheDiscoveredCatalog) {
  const auto run = run_models("resolve 'Claude 3 Haiku' --region us-east-1 --catalog-cache none");
  EXPECT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("llmm: catalog from discovery"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("anthropic.claude-3-haiku-20240307-v1:0"), std::string::npos) << run.out;
}

}  // namespace
