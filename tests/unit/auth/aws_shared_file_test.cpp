// The INI dialect of ~/.aws/config and ~/.aws/credentials (wire doc §7.2).

#include "auth/aws_shared_file.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace llmm::auth {
namespace {

constexpr const char* secret_sentinel = "SECRET-SENTINEL-123";

// A per-test directory from mkdtemp, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "llmm-ini-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::filesystem::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

AwsSharedFile parse_config(const std::string& text) {
  return AwsSharedFile::parse(text, SharedFileKind::Config, "/home/u/.aws/config");
}

AwsSharedFile parse_credentials(const std::string& text) {
  return AwsSharedFile::parse(text, SharedFileKind::Credentials, "/home/u/.aws/credentials");
}

std::string value_of(const AwsSharedFile& file, const std::string& profile,
                     const std::string& key) {
  const SharedFileSection* section = file.profile(profile);
  if (section == nullptr) return "<no profile>";
  const SharedFileEntry* entry = section->find(key);
  return entry == nullptr ? "<no key>" : entry->value;
}

// The message of the ConfigurationError that parsing `text` as a config file throws.
std::string config_error(const std::string& text) {
  try {
    parse_config(text);
  } catch (const ConfigurationError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigurationError for:\n" << text;
  return {};
}

TEST(AwsSharedFileTest, ParsesDefaultAndNamedProfilesInConfig) {
  auto file = parse_config(
      "[default]\n"
      "region = us-west-2\n"
      "\n"
      "[profile dev]\n"
      "region=eu-west-1\n"
      "retry_mode   =   adaptive   \n");
  EXPECT_EQ(value_of(file, "default", "region"), "us-west-2");
  EXPECT_EQ(value_of(file, "dev", "region"), "eu-west-1");
  EXPECT_EQ(value_of(file, "dev", "retry_mode"), "adaptive");
  EXPECT_EQ(file.profile_names(), (std::vector<std::string>{"default", "dev"}));
  EXPECT_EQ(file.profile("dev")->line, 4);
  EXPECT_EQ(file.profile("dev")->find("region")->line, 5);
}

TEST(AwsSharedFileTest, PlainSectionInConfigIsIgnored) {
  auto file = parse_config(
      "[dev2]\n"
      "region = eu-west-1\n"
      "[profile dev]\n"
      "region = us-east-1\n");
  EXPECT_EQ(file.profile("dev2"), nullptr);
  ASSERT_NE(file.profile("dev"), nullptr);
  EXPECT_EQ(file.ignored_sections(), (std::vector<std::string>{"dev2"}));
}

TEST(AwsSharedFileTest, ProfileDefaultIsTheDefaultProfile) {
  auto file = parse_config(
      "[profile default]\n"
      "region = us-east-2\n"
      "output = json\n"
      "[default]\n"
      "region = us-west-1\n");
  // Same section written twice: merged, the later value wins.
  EXPECT_EQ(value_of(file, "default", "region"), "us-west-1");
  EXPECT_EQ(value_of(file, "default", "output"), "json");
}

TEST(AwsSharedFileTest, CredentialsFileUsesPlainSectionNames) {
  auto file = parse_credentials(
      "[default]\n"
      "aws_access_key_id = AKIDDEFAULT\n"
      "[dev]\n"
      "aws_access_key_id = AKIDDEV\n"
      "[profile odd]\n"
      "aws_access_key_id = AKIDODD\n");
  EXPECT_EQ(value_of(file, "default", "aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(value_of(file, "dev", "aws_access_key_id"), "AKIDDEV");
  // The "profile " prefix means nothing in the credentials file.
  EXPECT_EQ(value_of(file, "profile odd", "aws_access_key_id"), "AKIDODD");
  EXPECT_EQ(file.profile("odd"), nullptr);
}

TEST(AwsSharedFileTest, SsoSessionAndServicesSectionsKeptByKind) {
  auto file = parse_config(
      "[profile sso]\n"
      "sso_session = corp\n"
      "[sso-session corp]\n"
      "sso_region = us-east-1\n"
      "[services local-dev]\n"
      "bedrock_runtime =\n"
      "  endpoint_url = http://127.0.0.1:8080\n");
  ASSERT_NE(file.sso_session("corp"), nullptr);
  EXPECT_EQ(file.sso_session("corp")->value("sso_region"), "us-east-1");
  ASSERT_NE(file.services("local-dev"), nullptr);
  EXPECT_EQ(file.profile("corp"), nullptr);
  EXPECT_EQ(file.profile("local-dev"), nullptr);
  EXPECT_EQ(file.sso_session("local-dev"), nullptr);
}

TEST(AwsSharedFileTest, CommentsAtLineStartAndAfterWhitespace) {
  auto file = parse_config(
      "# a comment\n"
      "; another\n"
      "[profile dev] # trailing comment on a header\n"
      "  # an indented comment\n"
      "region = eu-west-1 ; comment\n"
      "services = local-dev\t# tab then comment\n"
      "token = abc#def;ghi\n");
  EXPECT_EQ(value_of(file, "dev", "region"), "eu-west-1");
  EXPECT_EQ(value_of(file, "dev", "services"), "local-dev");
  // Without whitespace before it, '#' or ';' is part of the value.
  EXPECT_EQ(value_of(file, "dev", "token"), "abc#def;ghi");
}

TEST(AwsSharedFileTest, KeysAreTrimmedAndLowerCased) {
  auto file = parse_config("[profile dev]\n\t AWS_Access_Key_ID \t=\t AKID \t\n");
  EXPECT_EQ(value_of(file, "dev", "aws_access_key_id"), "AKID");
}

TEST(AwsSharedFileTest, ValueMayContainEquals) {
  auto file = parse_credentials("[dev]\naws_secret_access_key = abc=def==\n");
  EXPECT_EQ(value_of(file, "dev", "aws_secret_access_key"), "abc=def==");
}

TEST(AwsSharedFileTest, EmptyValueOpensSubSection) {
  auto file = parse_config(
      "[services local-dev]\n"
      "bedrock_runtime =\n"
      "  endpoint_url = http://127.0.0.1:8080\n"
      "  # a comment inside\n"
      "\n"
      "  other = x\n"
      "bedrock =\n"
      "\tendpoint_url = http://127.0.0.1:9090\n"
      "plain = value\n");
  const SharedFileSection* services = file.services("local-dev");
  ASSERT_NE(services, nullptr);
  const SharedFileEntry* runtime = services->find("bedrock_runtime");
  ASSERT_NE(runtime, nullptr);
  EXPECT_EQ(runtime->value, "");
  EXPECT_EQ(runtime->sub_values.at("endpoint_url"), "http://127.0.0.1:8080");
  EXPECT_EQ(runtime->sub_values.at("other"), "x");
  EXPECT_EQ(services->find("bedrock")->sub_values.at("endpoint_url"), "http://127.0.0.1:9090");
  EXPECT_EQ(services->value("plain"), "value");
  EXPECT_TRUE(services->find("plain")->sub_values.empty());
  // An empty value reads as absent through value().
  EXPECT_EQ(services->value("bedrock_runtime"), std::nullopt);
}

TEST(AwsSharedFileTest, ContinuationLinesAreJoined) {
  auto file = parse_config(
      "[profile dev]\n"
      "note = first\n"
      "   second\n"
      "   third\n"
      "region = us-east-1\n");
  EXPECT_EQ(value_of(file, "dev", "note"), "first\nsecond\nthird");
  EXPECT_EQ(value_of(file, "dev", "region"), "us-east-1");
}

TEST(AwsSharedFileTest, IndentedSectionBodyParses) {
  auto file = parse_config(
      "[profile dev]\n"
      "    region = us-east-1\n"
      "    output = json\n"
      "      more\n");
  EXPECT_EQ(value_of(file, "dev", "region"), "us-east-1");
  EXPECT_EQ(value_of(file, "dev", "output"), "json\nmore");
}

TEST(AwsSharedFileTest, CrlfByteOrderMarkAndNoFinalNewline) {
  auto file = parse_credentials("\xEF\xBB\xBF[dev]\r\naws_access_key_id = AKID\r\nx = y");
  EXPECT_EQ(value_of(file, "dev", "aws_access_key_id"), "AKID");
  EXPECT_EQ(value_of(file, "dev", "x"), "y");
}

TEST(AwsSharedFileTest, EmptyTextHasNoProfiles) {
  EXPECT_TRUE(parse_config("").profile_names().empty());
  EXPECT_TRUE(parse_config("\n\n# only comments\n").profile_names().empty());
}

TEST(AwsSharedFileTest, RepeatedKeyLaterValueWins) {
  auto file = parse_config("[default]\nregion = a\nregion = b\n");
  EXPECT_EQ(value_of(file, "default", "region"), "b");
}

TEST(AwsSharedFileTest, LineWithoutEqualsNamesFileLineAndProfile) {
  std::string message = config_error(
      "[default]\n"
      "region = us-east-1\n"
      "[profile dev]\n"
      "aws_secret_access_key SECRET-SENTINEL-123\n");
  EXPECT_NE(message.find("/home/u/.aws/config"), std::string::npos) << message;
  EXPECT_NE(message.find("line 4"), std::string::npos) << message;
  EXPECT_NE(message.find("profile 'dev'"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
}

TEST(AwsSharedFileTest, UnterminatedHeaderIsAnError) {
  std::string message = config_error("[default]\nregion = x\n[profile dev\nregion = y\n");
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("']'"), std::string::npos) << message;
}

TEST(AwsSharedFileTest, HeaderWithTrailingTextIsAnError) {
  std::string message = config_error("[default]junk\n");
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
}

TEST(AwsSharedFileTest, EmptyHeaderIsAnError) {
  std::string message = config_error("[ ]\n");
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
}

TEST(AwsSharedFileTest, KeyBeforeAnySectionIsAnError) {
  std::string message =
      config_error("\n# header missing\naws_secret_access_key = SECRET-SENTINEL-123\n");
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("aws_secret_access_key"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
}

TEST(AwsSharedFileTest, IndentedLineWithoutParentIsAnError) {
  std::string message = config_error("[profile dev]\n   SECRET-SENTINEL-123\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("profile 'dev'"), std::string::npos) << message;
  EXPECT_NE(message.find("no parent"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;

  message = config_error("  SECRET-SENTINEL-123\n[default]\n");
  EXPECT_NE(message.find("line 1"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
}

TEST(AwsSharedFileTest, SubSectionLineWithoutEqualsIsAnError) {
  std::string message = config_error("[services x]\nbedrock =\n  SECRET-SENTINEL-123\n");
  EXPECT_NE(message.find("line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("services 'x'"), std::string::npos) << message;
  EXPECT_NE(message.find("'bedrock'"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
}

TEST(AwsSharedFileTest, MissingKeyNameIsAnError) {
  std::string message = config_error("[default]\n = SECRET-SENTINEL-123\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
}

TEST(AwsSharedFileTest, GarbledLineInIgnoredSectionStillNamesIt) {
  std::string message = config_error("[dev2]\ngarbage\n");
  EXPECT_NE(message.find("[dev2]"), std::string::npos) << message;
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
}

TEST(AwsSharedFileTest, CredentialsFileErrorSaysCredentialsFile) {
  try {
    parse_credentials("[dev]\naws_access_key_id = AKID\nSECRET-SENTINEL-123\n");
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("credentials file '/home/u/.aws/credentials'"), std::string::npos)
        << message;
    EXPECT_NE(message.find("line 3"), std::string::npos) << message;
    EXPECT_NE(message.find("profile 'dev'"), std::string::npos) << message;
    EXPECT_EQ(message.find(secret_sentinel), std::string::npos) << message;
  }
}

TEST(AwsSharedFileTest, LoadReadsAFile) {
  TempDir dir;
  auto path = dir.write("credentials", "[dev]\naws_access_key_id = AKID\n");
  auto file = AwsSharedFile::load(path, SharedFileKind::Credentials);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->path(), path.string());
  EXPECT_EQ(file->kind(), SharedFileKind::Credentials);
  EXPECT_EQ(value_of(*file, "dev", "aws_access_key_id"), "AKID");
}

TEST(AwsSharedFileTest, LoadErrorNamesTheRealPath) {
  TempDir dir;
  auto path = dir.write("config", "[default]\n!!\n");
  try {
    AwsSharedFile::load(path, SharedFileKind::Config);
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string() + "', line 2"), std::string::npos)
        << error.what();
  }
}

TEST(AwsSharedFileTest, MissingFileIsAbsentUnlessRequired) {
  TempDir dir;
  auto path = dir.path() / "nope";
  EXPECT_FALSE(AwsSharedFile::load(path, SharedFileKind::Config).has_value());
  EXPECT_FALSE(
      AwsSharedFile::load(dir.path() / "nope" / "deeper", SharedFileKind::Config).has_value());
  try {
    AwsSharedFile::load(path, SharedFileKind::Config, AwsSharedFile::Presence::Required);
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

TEST(AwsSharedFileTest, DirectoryIsAnErrorNamingIt) {
  TempDir dir;
  try {
    AwsSharedFile::load(dir.path(), SharedFileKind::Config);
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(dir.path().string()), std::string::npos) << message;
    EXPECT_NE(message.find("directory"), std::string::npos) << message;
  }
}

TEST(AwsSharedFileTest, UnreadableFileIsAnErrorNamingIt) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  TempDir dir;
  auto path = dir.write("credentials", "[dev]\naws_access_key_id = AKID\n");
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  try {
    AwsSharedFile::load(path, SharedFileKind::Credentials);
    FAIL() << "expected ConfigurationError";
  } catch (const ConfigurationError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
  }
}

TEST(AwsSharedFileTest, DevNullReadsAsEmpty) {
  auto file = AwsSharedFile::load("/dev/null", SharedFileKind::Config);
  ASSERT_TRUE(file.has_value());
  EXPECT_TRUE(file->profile_names().empty());
}

}  // namespace
}  // namespace llmm::auth
