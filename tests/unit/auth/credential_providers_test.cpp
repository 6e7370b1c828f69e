// The credential providers' pure parts and their failures before any network call: command-line
// splitting, ISO 8601, STS XML, credential_process (real child processes, no shell), token files,
// the SSO cache and the container endpoint's host rules. No sockets.

#include "auth/container_provider.hpp"
#include "auth/crypto.hpp"
#include "auth/process_provider.hpp"
#include "auth/sso_provider.hpp"
#include "auth/sts_client.hpp"
#include "auth/timestamp.hpp"
#include "auth/web_identity_provider.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace llmm::auth {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

const std::string kSentinel = "PROC-SECRET-SENTINEL-42";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "llmm-prov-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text,
                    bool executable = false) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    if (executable) ::chmod(file.c_str(), 0755);
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

template <typename E>
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const E& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find(kSentinel), std::string::npos) << "secret leaked: " << message;
    return message;
  } catch (const std::exception& other) {
    ADD_FAILURE() << "wrong exception type: " << other.what();
    return other.what();
  }
  ADD_FAILURE() << "no exception";
  return {};
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

// ---- command-line splitting (shlex, POSIX mode) ---------------------------------------------

TEST(SplitCommandLineTest, SplitsAsShlexDoes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split_command_line("a b\tc", "x"), (V{"a", "b", "c"}));
  EXPECT_EQ(split_command_line("  a   b  ", "x"), (V{"a", "b"}));
  EXPECT_EQ(split_command_line("'a b' \"c d\" e\\ f", "x"), (V{"a b", "c d", "e f"}));
  EXPECT_EQ(split_command_line("a'b'\"c\"d", "x"), (V{"abcd"}));
  EXPECT_EQ(split_command_line("'$HOME' \"\\$x \\\" \\n\"", "x"), (V{"$HOME", "$x \" \\n"}));
  EXPECT_EQ(split_command_line("''", "x"), (V{""}));
  EXPECT_EQ(split_command_line("a;b|c&&d $(e)", "x"), (V{"a;b|c&&d", "$(e)"}));
  EXPECT_TRUE(split_command_line("   ", "x").empty());
  EXPECT_THROW((void)split_command_line("'open", "x"), ConfigurationError);
  EXPECT_THROW((void)split_command_line("\"open", "x"), ConfigurationError);
  EXPECT_THROW((void)split_command_line("a\\", "x"), ConfigurationError);
}

// ---- timestamps ---------------------------------------------------------------------------

TEST(TimestampTest, ParsesTheFormsCredentialSourcesWrite) {
  const auto base = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2} + 14h;
  EXPECT_EQ(parse_iso8601("2026-12-02T14:00:00Z"), base);
  EXPECT_EQ(parse_iso8601("2026-12-02T14:00:00.250Z"), base + 250ms);
  EXPECT_EQ(parse_iso8601("2026-12-02T14:00:00UTC"), base);
  EXPECT_EQ(parse_iso8601("2026-12-02T16:00:00+02:00"), base);
  EXPECT_EQ(parse_iso8601("2026-12-02T13:30:00-0030"), base);
  EXPECT_EQ(format_iso8601(base + 999ms), "2026-12-02T14:00:00Z");
  EXPECT_EQ(parse_iso8601("9999-12-31T23:59:59Z"),
            std::chrono::sys_days{std::chrono::year{2200} / 1 / 1});
  for (const char* bad :
       {"", "2026-12-02", "2026-12-02T14:00:00", "2026-13-02T14:00:00Z", "2026-02-30T14:00:00Z",
        "yesterday", "2026-12-02T14:00:00+2", "2026-12-02T25:00:00Z", "2026-12-02T14:00:00.Z"}) {
    EXPECT_EQ(parse_iso8601(bad), std::nullopt) << bad;
  }
}

TEST(StsXmlTest, ReadsElementsAndEntities) {
  const std::string xml =
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
      "<SecretAccessKey>a&amp;b&lt;c</SecretAccessKey></Credentials></AssumeRoleResult></"
      "AssumeRoleResponse>";
  EXPECT_EQ(xml_element_text(xml, "AccessKeyId"), "ASIA1");
  EXPECT_EQ(xml_element_text(xml, "SecretAccessKey"), "a&b<c");
  EXPECT_EQ(xml_element_text(xml, "SessionToken"), std::nullopt);
  EXPECT_EQ(xml_element_text("<A>unclosed", "A"), std::nullopt);
}

TEST(Sha1Test, KnownVector) {
  // The SSO cache names files by SHA-1 (sha1("abc") is the FIPS 180 test vector).
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

// ---- credential_process ---------------------------------------------------------------------

ProcessSource process(const std::string& command) { return {command, "proc", "/etc/aws-config"}; }

TEST(ProcessProviderTest, ReadsVersionOneJson) {
  const TempDir dir;
  const std::string script = dir.write(
      "helper.sh",
      "#!/bin/sh\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
      "\"SecretAccessKey\": \"" +
          kSentinel + "\", \"SessionToken\": \"tok\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'\n",
      true);
  const auto resolved = credentials_from_process(process(script), 10s, Clock::now());
  const auto& keys = std::get<AwsCredentials>(resolved.value);
  EXPECT_EQ(keys.access_key_id, "AKIDPROC");
  EXPECT_EQ(keys.secret_access_key, kSentinel);
  EXPECT_EQ(keys.session_token, "tok");
  EXPECT_EQ(resolved.expiration, parse_iso8601("2999-01-01T00:00:00Z"));
  EXPECT_EQ(resolved.provider, "process");
  EXPECT_EQ(resolved.profile, "proc");
  EXPECT_EQ(resolved.source.find(kSentinel), std::string::npos);
}

TEST(ProcessProviderTest, ArgumentsAreNotShellExpanded) {
  const TempDir dir;
  // The helper writes its arguments into the JSON; a shell would have expanded or run them.
  const std::string script = dir.write(
      "args.sh",
      "#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s|%s\",\"SecretAccessKey\":\"s\"}' "
      "\"$1\" \"$2\"\n",
      true);
  const std::string marker = (dir.path() / "injected").string();
  const auto resolved = credentials_from_process(
      process(script + " '$(touch " + marker + ")' 'a;touch " + marker + "'"), 10s, Clock::now());
  EXPECT_EQ(std::get<AwsCredentials>(resolved.value).access_key_id,
            "$(touch " + marker + ")|a;touch " + marker);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(ProcessProviderTest, FailuresNameProfileFileProgramAndStderr) {
  const TempDir dir;
  const auto fails = [&](const std::string& body) {
    static int n = 0;
    return dir.write("h" + std::to_string(++n) + ".sh", "#!/bin/sh\n" + body, true);
  };
  struct Case {
    std::string command;
    std::vector<std::string> parts;
  };
  const std::vector<Case> cases = {
      {fails("echo 'token expired, run login' >&2\nexit 3\n"),
       {"exited with status 3", "token expired, run login"}},
      {fails("echo '" + kSentinel + " not json'\n"), {"not a JSON object"}},
      {fails("echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + kSentinel +
             "\"}'\n"),
       {"\"Version\": 1", "got 2"}},
      {fails("echo '{\"Version\": 1, \"SecretAccessKey\": \"" + kSentinel + "\"}'\n"),
       {"no AccessKeyId"}},
      {fails("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + kSentinel +
             "\", \"Expiration\": \"soon\"}'\n"),
       {"Expiration is not an ISO 8601 time"}},
      {fails("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" + kSentinel +
             "\", \"Expiration\": \"2001-01-01T00:00:00Z\"}'\n"),
       {"expired at 2001-01-01T00:00:00Z"}},
      {(dir.path() / "does-not-exist").string(), {"cannot be started"}},
  };
  for (const auto& c : cases) {
    const auto message = error_of<AuthenticationError>(
        [&] { (void)credentials_from_process(process(c.command), 10s, Clock::now()); });
    expect_contains(message, "profile 'proc'");
    expect_contains(message, "/etc/aws-config");
    for (const auto& part : c.parts) expect_contains(message, part);
  }
}

TEST(ProcessProviderTest, AHangingProcessIsKilledAtTheBound) {
  const TempDir dir;
  // The helper's own child keeps stdout open too: the whole process group must go.
  // (Only the outcome is checked, not what it wrote before the bound: that would be a race.)
  const std::string script = dir.write("hang.sh", "#!/bin/sh\nsleep 300 &\nsleep 300\n", true);
  const auto message = error_of<AuthenticationError>(
      [&] { (void)credentials_from_process(process(script), 300ms, Clock::now()); });
  expect_contains(message, "did not finish within 300 ms and was killed");
}

// ---- token files, SSO cache, container host rules -------------------------------------------

TEST(WebIdentityProviderTest, MissingOrEmptyTokenFileIsNamed) {
  const TempDir dir;
  const StsTarget sts{parse_endpoint_url("http://127.0.0.1:9", "test"), "us-east-1"};
  WebIdentitySource source{"arn:aws:iam::123456789012:role/R", (dir.path() / "missing").string(),
                           "", "environment (AWS_WEB_IDENTITY_TOKEN_FILE)", ""};
  auto message = error_of<AuthenticationError>(
      [&] { (void)credentials_from_web_identity(source, sts, Clock::now()); });
  expect_contains(message, source.token_file);
  expect_contains(message, "AWS_WEB_IDENTITY_TOKEN_FILE");
  expect_contains(message, "cannot be read");
  source.token_file = dir.write("empty", "\n");
  message = error_of<AuthenticationError>(
      [&] { (void)credentials_from_web_identity(source, sts, Clock::now()); });
  expect_contains(message, "is empty");
}

TEST(SsoProviderTest, CacheProblemsSayToLogIn) {
  const TempDir home;
  const Environment environment = Environment::from_map({{"HOME", home.path().string()}});
  SsoSource source{"dev",       "/cfg",         "corp",  "https://corp.awsapps.com/start",
                   "us-east-1", "123456789012", "Reader"};
  const std::string cache = sso_cache_path(source, environment);
  EXPECT_EQ(cache, home.path().string() + "/.aws/sso/cache/" + sha1_hex("corp") + ".json");
  SsoSource legacy = source;
  legacy.session_name.clear();
  EXPECT_EQ(sso_cache_path(legacy, environment), home.path().string() + "/.aws/sso/cache/" +
                                                     sha1_hex("https://corp.awsapps.com/start") +
                                                     ".json");

  const auto fails = [&](const std::string& part) {
    const auto message = error_of<AuthenticationError>(
        [&] { (void)credentials_from_sso(source, environment, Clock::now()); });
    expect_contains(message, "profile 'dev'");
    expect_contains(message, part);
    expect_contains(message, "aws sso login --sso-session corp");
    EXPECT_EQ(message.find("SSO-TOKEN-SENTINEL"), std::string::npos) << message;
  };
  fails("no cached SSO token at '" + cache + "'");
  std::filesystem::create_directories(std::filesystem::path(cache).parent_path());
  std::ofstream(cache) << "{not json";
  fails("not a JSON object");
  std::ofstream(cache) << R"({"accessToken": "SSO-TOKEN-SENTINEL", "expiresAt": "next tuesday"})";
  fails("expiresAt that is not an ISO 8601 time");
  std::ofstream(cache)
      << R"({"accessToken": "SSO-TOKEN-SENTINEL", "expiresAt": "2001-01-01T00:00:00Z"})";
  fails("expired at 2001-01-01T00:00:00Z");
}

TEST(ContainerProviderTest, HostsOutsideTheAllowedListAreRefused) {
  for (const char* url : {"http://10.0.0.1/creds", "http://169.254.169.254/latest",
                          "http://example.com/x", "http://127.example.com/x"}) {
    const auto environment = Environment::from_map({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url}});
    const auto message = error_of<ConfigurationError>(
        [&] { (void)container_credentials(environment, Clock::now()); });
    expect_contains(message, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    expect_contains(message, "not allowed");
  }
  EXPECT_EQ(container_credentials(Environment::from_map({}), Clock::now()).credentials,
            std::nullopt);
}

TEST(ContainerProviderTest, MissingOrEmptyTokenFileIsNamed) {
  const TempDir dir;
  const std::string missing = (dir.path() / "missing").string();
  auto message = error_of<AuthenticationError>([&] {
    (void)container_credentials(
        Environment::from_map({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x"},
                               {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", missing}}),
        Clock::now());
  });
  expect_contains(message, missing);
  expect_contains(message, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  const std::string empty = dir.write("empty", "");
  message = error_of<AuthenticationError>([&] {
    (void)container_credentials(
        Environment::from_map({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x"},
                               {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", empty}}),
        Clock::now());
  });
  expect_contains(message, "is empty");
}

}  // namespace
}  // namespace llmm::auth
