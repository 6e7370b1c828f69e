// --catalog over the wire: the real executable serves the bundled catalog with
// `--catalog bundled` and the small built-in table by default.
#include "auth/sigv4_signer.hpp"
#include "support/emulator_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <string>

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
  for (const auto& [name, value] : signed_request.headers_to_add) text += name + ": " + value + "\r\n";
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

TEST(EmulatorCatalogFlagTest, BundledServesTheBundledCatalog) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--catalog", "bundled"});
  const auto paris = listed_models(emulator, "eu-west-3");
  EXPECT_TRUE(paris.contains("anthropic.claude-opus-4-8"));
  EXPECT_TRUE(paris.contains("amazon.nova-lite-v1:0"));
  EXPECT_GT(paris.size(), 20U);
}

TEST(EmulatorCatalogFlagTest, TheDefaultIsTheBuiltInTable) {
  EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const auto east = listed_models(emulator, "us-east-1");
  EXPECT_TRUE(east.contains("anthropic.claude-3-haiku-20240307-v1:0"));
  EXPECT_FALSE(east.contains("anthropic.claude-opus-4-8"));
  EXPECT_LT(east.size(), 20U);
}

}  // namespace
}  // namespace llmm
