#pragma once
// Parser for the INI dialect of ~/.aws/config and ~/.aws/credentials (wire doc §7.2).
//
// Dialect, as read here:
// * '#' or ';' at the start of a line or after whitespace starts a comment (so "a#b" keeps its
// '#').
// * Config file: [default] and [profile NAME] are profiles ([profile default] is the same as
//   [default]); [sso-session NAME] and [services NAME] are kept by kind; any other [NAME] is
//   ignored, as the SDKs do (its lines are still checked, and its name is remembered for hints).
//   Credentials file: every [NAME] is a profile, named literally.
// * "key = value", both sides trimmed; key names are lower-cased (as botocore does).
// * A line indented deeper than the key line above it continues that key: it is a
//   "sub = value" line when the key's value is empty ("key =" opens a sub-section), else a
//   continuation appended to the value after '\n'. A file indented throughout still parses.
// * A section or key seen twice is merged; the later value wins.
// Errors are llmm::ConfigurationError naming the file, the line and the section; they name keys
// but never quote a value or a garbled line, since either may hold a secret.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::auth {

enum class SharedFileKind { Config, Credentials };

struct SharedFileEntry {
  std::string value;  // continuation lines joined with '\n'
  // The indented "sub = value" lines under a "key =" line.
  std::map<std::string, std::string, std::less<>> sub_values;
  int line = 0;  // 1-based line of the key
};

struct SharedFileSection {
  std::string name;  // "dev" for [profile dev], "corp" for [sso-session corp]
  int line = 0;      // 1-based line of the (first) header
  std::map<std::string, SharedFileEntry, std::less<>> entries;

  [[nodiscard]] const SharedFileEntry* find(std::string_view key) const;
  // The value of `key` when present and not empty.
  [[nodiscard]] std::optional<std::string> value(std::string_view key) const;
};

class AwsSharedFile {
 public:
  // Whether a file that does not exist is an error. The credential chain uses Optional even for
  // paths named by AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, like every AWS SDK (pointing
  // them at a non-existent path is a common way to isolate a process from the user's files); its
  // errors say "(not found)" next to such a file so a typo stays visible. Required is for a path
  // the user named on purpose, e.g. a command-line option.
  enum class Presence { Optional, Required };

  // Parses `text`; `path` only labels error messages.
  static AwsSharedFile parse(std::string_view text, SharedFileKind kind, std::string path);
  // Reads and parses `path`. nullopt when the file does not exist and presence is Optional.
  // A file that exists but cannot be read (a directory, permission denied, too large) is a
  // ConfigurationError naming the file.
  static std::optional<AwsSharedFile> load(const std::filesystem::path& path, SharedFileKind kind,
                                           Presence presence = Presence::Optional);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] SharedFileKind kind() const { return kind_; }

  [[nodiscard]] const SharedFileSection* profile(std::string_view name) const;
  [[nodiscard]] const SharedFileSection* sso_session(std::string_view name) const;
  [[nodiscard]] const SharedFileSection* services(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> profile_names() const;
  // Names of config-file sections written [NAME] without "profile " (ignored), for hints.
  [[nodiscard]] const std::vector<std::string>& ignored_sections() const {
    return ignored_sections_;
  }

 private:
  AwsSharedFile(std::string path, SharedFileKind kind) : path_(std::move(path)), kind_(kind) {}

  using SectionMap = std::map<std::string, SharedFileSection, std::less<>>;
  friend class SharedFileParser;

  std::string path_;
  SharedFileKind kind_;
  SectionMap profiles_;
  SectionMap sso_sessions_;
  SectionMap services_;
  std::vector<std::string> ignored_sections_;
};

}  // namespace llmm::auth
