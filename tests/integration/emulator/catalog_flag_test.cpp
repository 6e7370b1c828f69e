// --catalog over the wire: the real executable serves the bundled data by default and a catalog
// file of our schema with `--catalog FILE`; a file that cannot be read, parsed or trusted stops
// it with exit code 2 and a message naming the file.
#include "auth/sigv4_signer.hpp"
#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <utility>

namespace llmm {
namespace {

using test::EmulatorProcess;
using test::RawConnection;
using test::RawReply;

// A signed ListFoundationModels in `region` with the emulator's default key pair.
std::set<std::string> listed_models(const EmulatorProcess& emulator, const std::string& region) {
  auth::SigningInput input;
  input.method = "GET";
  input.path = "/foundation-models";
  input.headers = {{"host", "127.0.0.1:" + std::to_string(emulator.port())}};
  const auto signed_request =
      auth::sign_request(input, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""},
                         {region}, std::chrono::system_clock::now());
  std::string text = "GET /foundation-models HTTP/1.1\r\n";
  for (const auto& [name, value] : input.headers) text += name + ": " + value + "\r\n";
  for (const auto& [name, value] : signed_request.headers_to_add)
    text += name + ": " + value + "\r\n";
  text += "connection: close\r\n\r\n";
  RawConnection connection(emulator.port());
  EXPECT_TRUE(connection.send_all(text));
  const auto reply = connection.read_reply();
  std::set<std::string> ids;
  if (!reply) {
    ADD_FAILURE() << "no reply";
    return ids;
  }
  EXPECT_EQ(reply->status, 200) << reply->body;
  const auto body = nlohmann::json::parse(reply->body);
  for (const auto& model : body["modelSummaries"]) ids.insert(model["modelId"].get<std::string>());
  return ids;
}

// The emulator with `--catalog path`, run to its end (a bad file stops it before it listens).
test::EmulatorExit run_with_catalog(const std::string& path) {
  return test::run_emulator_to_exit(BEDROCK_EMULATOR_PATH, "--catalog '" + path + "'");
}

std::string one_model_catalog(const std::string& region) {
  return R"({"schema":"llmm-catalog","version":2,"generated_at":"2026-01-01T00:00:00Z",)"
         R"("source":"test","models":[{"model_id":"acme.only-v1:0","model_name":"Only",)"
         R"("provider_name":"Acme","input_modalities":["TEXT"],"output_modalities":["TEXT"],)"
         R"("on_demand_regions":[")" +
         region + R"("]}],"profiles":[]})";
}

TEST(EmulatorCatalogFlagTest, TheDefaultIsTheBundledData) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const auto paris = listed_models(emulator, "eu-west-3");
  EXPECT_TRUE(paris.contains("anthropic.claude-opus-4-8"));
  EXPECT_TRUE(paris.contains("amazon.nova-lite-v1:0"));
  EXPECT_GT(paris.size(), 20U);
  EXPECT_TRUE(
      listed_models(emulator, "us-east-1").contains("anthropic.claude-3-haiku-20240307-v1:0"));
}

TEST(EmulatorCatalogFlagTest, AFileReplacesTheBundledData) {
  const test::ScopedTempDir directory;
  const auto path = directory.write_file("catalog.json", one_model_catalog("us-west-2"));
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--catalog", path.string()});
  EXPECT_EQ(listed_models(emulator, "us-west-2"), std::set<std::string>{"acme.only-v1:0"});
  EXPECT_TRUE(listed_models(emulator, "us-east-1").empty());
}

TEST(EmulatorCatalogFlagTest, ABadFileExitsWithCode2AndNamesIt) {
  const test::ScopedTempDir directory;
  const std::string missing = (directory.path() / "missing.json").string();
  const std::string garbage = directory.write_file("garbage.json", "{\"schema\":").string();
  // Parses, but its model is offered in no region.
  auto unoffered = nlohmann::json::parse(one_model_catalog("us-east-1"));
  unoffered["models"][0]["on_demand_regions"] = nlohmann::json::array();
  const std::string inconsistent =
      directory.write_file("inconsistent.json", unoffered.dump()).string();
  for (const auto& [path, reason] :
       {std::pair{missing, "cannot read catalog file"}, std::pair{garbage, "catalog document"},
        std::pair{inconsistent, "offered in no region"}}) {
    const test::EmulatorExit finished = run_with_catalog(path);
    EXPECT_EQ(finished.exit_code, 2) << path << ": " << finished.output;
    EXPECT_NE(finished.output.find(path), std::string::npos) << finished.output;
    EXPECT_NE(finished.output.find(reason), std::string::npos) << finished.output;
  }
}

}  // namespace
}  // namespace llmm
