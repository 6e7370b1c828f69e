// The emulator's credential services (credential_services.hpp) on the wire, as raw requests:
// IMDSv2's token rules, the container endpoint's Authorization check, STS's XML answers and
// errors, SSO's bearer check, the admin settings, and issued keys on Bedrock (their session
// token required, 403 ExpiredTokenException after expiry, --credential-lifetime).
#include <llmm/auth_manager.hpp>

#include "auth/sigv4_signer.hpp"
#include "auth/timestamp.hpp"
#include "support/emulator_process.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace llmm {
namespace {

using test::EmulatorProcess;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kModel = "anthropic.claude-3-haiku-20240307-v1:0";

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

std::string imds_token(const EmulatorProcess& emulator) {
  const auto reply = emulator.request("PUT", "/latest/api/token", "",
                                      {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("x-aws-ec2-metadata-token-ttl-seconds"), "60");
  return reply.body;
}

TEST(CredentialServicesTest, ImdsRequiresAValidToken) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const std::string path = "/latest/meta-data/iam/security-credentials/";
  EXPECT_EQ(emulator.request("GET", path).status, 401);
  EXPECT_EQ(emulator.request("GET", path, "", {{"x-aws-ec2-metadata-token", "forged"}}).status,
            401);
  EXPECT_EQ(emulator.request("PUT", "/latest/api/token").status, 400)
      << "the TTL header is required";
  EXPECT_EQ(emulator
                .request("PUT", "/latest/api/token", "",
                         {{"x-aws-ec2-metadata-token-ttl-seconds", "21601"}})
                .status,
            400);
  const Headers token = {{"x-aws-ec2-metadata-token", imds_token(emulator)}};
  auto reply = emulator.request("GET", path, "", token);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "emulator-instance-role");
  EXPECT_EQ(emulator.request("GET", path + "someone-else", "", token).status, 404);
  reply = emulator.request("GET", path + "emulator-instance-role", "", token);
  ASSERT_EQ(reply.status, 200);
  const auto document = nlohmann::json::parse(reply.body);
  EXPECT_EQ(document["Code"], "Success");
  EXPECT_EQ(document["Type"], "AWS-HMAC");
  for (const char* member :
       {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "LastUpdated"}) {
    EXPECT_TRUE(document[member].is_string()) << member;
  }
  EXPECT_TRUE(auth::parse_iso8601(document["Expiration"].get<std::string>()).has_value());
  reply = emulator.request("GET", "/latest/meta-data/placement/region", "", token);
  EXPECT_EQ(reply.body, "us-east-1");
}

// imdsRoleName "" plays an instance without an instance profile: EC2 answers the role listing
// with 404 (the SDKs then fail with "no role"), never an empty 200 they would read as a role "".
TEST(CredentialServicesTest, ImdsWithoutAnInstanceProfileAnswers404) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  ASSERT_EQ(emulator.request("PUT", "/_emulator/credentials", R"({"imdsRoleName": ""})").status,
            200);
  const Headers token = {{"x-aws-ec2-metadata-token", imds_token(emulator)}};
  for (const char* path :
       {"/latest/meta-data/iam/security-credentials/", "/latest/meta-data/iam/security-credentials",
        "/latest/meta-data/iam/security-credentials/emulator-instance-role"}) {
    EXPECT_EQ(emulator.request("GET", path, "", token).status, 404) << path;
  }
  EXPECT_EQ(emulator.request("GET", "/latest/meta-data/placement/region", "", token).status, 200);
}

// faults.imdsToken fails the token PUT only: the metadata GETs still require a token (401 without
// one), so a client's IMDSv1 fallback is refused as on an IMDSv2-only instance.
TEST(CredentialServicesTest, ImdsTokenFaultFailsOnlyTheTokenPut) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const Headers token = {{"x-aws-ec2-metadata-token", imds_token(emulator)}};
  ASSERT_EQ(emulator.request("PUT", "/_emulator/credentials", R"({"faults": {"imdsToken": "404"}})")
                .status,
            200);
  EXPECT_EQ(
      emulator
          .request("PUT", "/latest/api/token", "", {{"x-aws-ec2-metadata-token-ttl-seconds", "60"}})
          .status,
      404);
  const std::string path = "/latest/meta-data/iam/security-credentials/";
  EXPECT_EQ(emulator.request("GET", path).status, 401);
  EXPECT_EQ(emulator.request("GET", path, "", token).status, 200)
      << "a token issued before still works";
  EXPECT_EQ(
      emulator.request("PUT", "/_emulator/credentials", R"({"faults": {"imdsTokens": "404"}})")
          .status,
      400);
}

TEST(CredentialServicesTest, ContainerEndpointChecksAuthorizationWhenConfigured) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  EXPECT_EQ(emulator.request("GET", "/v2/credentials/abc").status, 200)
      << "no token configured: open";
  ASSERT_EQ(
      emulator.request("PUT", "/_emulator/credentials", R"({"containerAuthorizationToken": "t0k"})")
          .status,
      200);
  EXPECT_EQ(emulator.request("GET", "/v2/credentials/abc").status, 401);
  EXPECT_EQ(emulator.request("GET", "/v1/credentials", "", {{"Authorization", "other"}}).status,
            401);
  const auto reply = emulator.request("GET", "/v1/credentials", "", {{"Authorization", "t0k"}});
  ASSERT_EQ(reply.status, 200);
  const auto document = nlohmann::json::parse(reply.body);
  EXPECT_TRUE(document["Token"].is_string());
  EXPECT_EQ(document["RoleArn"], "arn:aws:iam::123456789012:role/emulator-task-role");
}

TEST(CredentialServicesTest, StsAnswersAndErrorsInTheServicesXml) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}};
  auto reply = emulator.request("POST", "/",
                                "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%"
                                "3Aaws%3Aiam%3A%3A123456789012%3Arole%2FW"
                                "&RoleSessionName=s1&WebIdentityToken=a.b.c",
                                form);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("Content-Type"), "text/xml");
  for (const char* part :
       {"<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">",
        "<AssumeRoleWithWebIdentityResult>", "<SubjectFromWebIdentityToken>", "<Audience>",
        "<Arn>arn:aws:sts::123456789012:assumed-role/W/s1</Arn>", "<AccessKeyId>ASIA",
        "<SecretAccessKey>", "<SessionToken>", "<Expiration>", "<ResponseMetadata>"}) {
    expect_contains(reply.body, part);
  }
  // Unsigned AssumeRole or unknown action, missing version or action, a bad token or session
  // name: <ErrorResponse>.
  const std::vector<std::tuple<std::string, int, std::string>> errors = {
      {"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&"
       "RoleSessionName=s",
       403, "MissingAuthenticationToken"},
      {"Action=Fly&Version=2011-06-15", 403,
       "MissingAuthenticationToken"},  // authentication comes first
      {"Action=GetCallerIdentity", 400, "InvalidAction"},
      {"Version=2011-06-15", 400, "MissingAction"},
      {"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
       "3A123456789012%3Arole%2FW"
       "&RoleSessionName=s&WebIdentityToken=opaque",
       400, "InvalidIdentityToken"},
      {"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=s1&WebIdentityToken=a."
       "b.c",
       400, "ValidationError"},
      {"Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%"
       "3A123456789012%3Arole%2FW"
       "&RoleSessionName=s&WebIdentityToken=a.b.c",
       400, "ValidationError"},
  };
  for (const auto& [body, status, code] : errors) {
    reply = emulator.request("POST", "/", body, form);
    EXPECT_EQ(reply.status, status) << body << "\n" << reply.body;
    expect_contains(reply.body,
                    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">");
    expect_contains(reply.body, "<Type>Sender</Type>");
    expect_contains(reply.body, "<Code>" + code + "</Code>");
    expect_contains(reply.body, "<RequestId>");
  }
}

TEST(CredentialServicesTest, SsoChecksTheBearerToken) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH);
  const std::string path = "/federation/credentials?role_name=Reader&account_id=123456789012";
  auto reply = emulator.request("GET", path);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.header("x-amzn-ErrorType"), "UnauthorizedException");
  reply = emulator.request("GET", path, "", {{"x-amz-sso_bearer_token", "any"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto role = nlohmann::json::parse(reply.body)["roleCredentials"];
  EXPECT_TRUE(role["expiration"].is_number_integer()) << "epoch milliseconds";
  EXPECT_EQ(emulator
                .request("GET", "/federation/credentials?role_name=R", "",
                         {{"x-amz-sso_bearer_token", "any"}})
                .status,
            400);
}

TEST(CredentialServicesTest, AdminSettingsAreValidated) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--credential-lifetime", "120"});
  auto reply = emulator.request("GET", "/_emulator/credentials");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["lifetimeSeconds"], 120);
  for (const char* bad : {"[]", R"({"lifetimeSeconds": 0})", R"({"faults": {"s3": "500"}})",
                          R"({"faults": {"imds": "418"}})", R"({"surprise": 1})"}) {
    EXPECT_EQ(emulator.request("PUT", "/_emulator/credentials", bad).status, 400) << bad;
  }
}

// Issued keys on Bedrock: the lifetime from the flag is in the expiry, the session token must
// come with the key, and after expiry Bedrock answers 403 ExpiredTokenException.
TEST(CredentialServicesTest, IssuedKeysOnBedrock) {
  const EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--credential-lifetime", "900"});
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto reply = emulator.request("GET", "/v2/credentials/x");
  const auto after = std::chrono::ceil<std::chrono::seconds>(std::chrono::system_clock::now());
  ASSERT_EQ(reply.status, 200);
  const auto document = nlohmann::json::parse(reply.body);
  const auto expiration = auth::parse_iso8601(document["Expiration"].get<std::string>());
  ASSERT_TRUE(expiration.has_value());
  // Issued between `before` and `after`, for exactly the flag's 900 s (not the default 3600 s).
  EXPECT_GE(*expiration, before + std::chrono::seconds(900));
  EXPECT_LE(*expiration, after + std::chrono::seconds(900));

  AuthConfig config{.type = AuthType::Credentials,
                    .access_key_id = document["AccessKeyId"],
                    .secret_access_key = document["SecretAccessKey"],
                    .runtime_endpoint = emulator.base_url(),
                    .control_endpoint = emulator.base_url(),
                    .environment = Environment::from_map({})};
  {
    AuthManager without_token(config);
    const auto response = without_token.runtime_client("us-east-1")
                              ->converse(kModel, ConverseRequest::from_prompt("x"));
    ASSERT_FALSE(response.ok());
    EXPECT_EQ(response.error->aws_error_type, "UnrecognizedClientException");
  }
  config.session_token = document["Token"];
  AuthManager manager(config);
  ASSERT_TRUE(manager.runtime_client("us-east-1")
                  ->converse(kModel, ConverseRequest::from_prompt("x"))
                  .ok());
  ASSERT_EQ(emulator.request("POST", "/_emulator/credentials/expire").status, 200);
  const auto response =
      manager.runtime_client("us-east-1")->converse(kModel, ConverseRequest::from_prompt("x"));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->http_status, 403);
  EXPECT_EQ(response.error->aws_error_type, "ExpiredTokenException");
  expect_contains(response.error->message, "The security token included in the request is expired");
}

}  // namespace
}  // namespace llmm
