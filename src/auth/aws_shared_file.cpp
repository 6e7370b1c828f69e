#include "auth/aws_shared_file.hpp"

#include "core/ascii.hpp"

#include <llmm/exceptions.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace llmm::auth {

namespace {

// Far above any real config file; stops a mistaken path (a device, a log) from being slurped.
constexpr std::size_t max_file_size = 16U * 1024U * 1024U;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_blank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Cuts a comment: '#' or ';' at the start of the line or after a space or tab.
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if ((line[i] == '#' || line[i] == ';') && (i == 0 || is_blank(line[i - 1]))) {
      return line.substr(0, i);
    }
  }
  return line;
}

std::size_t indent_of(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && is_blank(line[n])) ++n;
  return n;
}

const char* file_label(SharedFileKind kind) {
  return kind == SharedFileKind::Config ? "AWS config file" : "AWS credentials file";
}

[[noreturn]] void fail_file(const std::string& path, SharedFileKind kind, const std::string& why) {
  throw ConfigurationError(std::string(file_label(kind)) + " '" + path + "' " + why);
}

}  // namespace

const SharedFileEntry* SharedFileSection::find(std::string_view key) const {
  auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

std::optional<std::string> SharedFileSection::value(std::string_view key) const {
  const SharedFileEntry* entry = find(key);
  if (entry == nullptr || entry->value.empty()) return std::nullopt;
  return entry->value;
}

// Line-by-line state machine; a class so AwsSharedFile can befriend it.
class SharedFileParser {
 public:
  SharedFileParser(std::string path, SharedFileKind kind) : file_(std::move(path), kind) {}

  AwsSharedFile run(std::string_view text) {
    // A UTF-8 byte order mark, as some Windows editors write.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    int line_number = 0;
    std::size_t start = 0;
    for (;;) {
      std::size_t end = text.find('\n', start);
      parse_line(text.substr(start, end == std::string_view::npos ? end : end - start),
                 ++line_number);
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    return std::move(file_);
  }

 private:
  enum class Kind { Profile, SsoSession, Services, Ignored };

  struct Context {
    Kind kind = Kind::Ignored;
    std::string name;
  };

  [[noreturn]] void fail(int line, const std::string& why) const {
    std::string message = std::string(file_label(file_.kind_)) + " '" + file_.path_ + "', line " +
                          std::to_string(line);
    if (section_ != nullptr) message += " (" + describe(context_) + ")";
    message += ": " + why;
    throw ConfigurationError(message);
  }

  static std::string describe(const Context& context) {
    switch (context.kind) {
      case Kind::Profile: return "profile '" + context.name + "'";
      case Kind::SsoSession: return "sso-session '" + context.name + "'";
      case Kind::Services: return "services '" + context.name + "'";
      case Kind::Ignored: break;
    }
    return "section [" + context.name + "]";
  }

  void parse_line(std::string_view raw, int line) {
    std::string_view content = strip_comment(raw);
    std::string_view trimmed = trim(content);
    if (trimmed.empty()) return;
    std::size_t indent = indent_of(content);

    if (trimmed.front() == '[') {
      open_section(trimmed, line);
      return;
    }
    std::size_t eq = trimmed.find('=');
    if (section_ == nullptr) {
      if (indent > 0) fail(line, "indented line has no parent key");
      if (eq == std::string_view::npos || eq == 0) fail(line, "expected a [section] header");
      fail(line, "key '" + core::to_lower_ascii(trim(trimmed.substr(0, eq))) +
                     "' appears before any [section] header");
    }
    if (parent_ != nullptr && indent > parent_indent_) {
      continue_parent(trimmed, eq, line);
      return;
    }
    if (eq == std::string_view::npos) {
      fail(line, indent > 0 ? "indented line has no parent key" : "expected 'key = value'");
    }
    std::string key = core::to_lower_ascii(trim(trimmed.substr(0, eq)));
    if (key.empty()) fail(line, "missing key name before '='");
    SharedFileEntry& entry = section_->entries[key];
    // A repeated key replaces the earlier one, sub-section included.
    entry = SharedFileEntry{};
    entry.value = std::string(trim(trimmed.substr(eq + 1)));
    entry.line = line;
    parent_ = &entry;
    parent_key_ = key;
    parent_indent_ = indent;
  }

  void continue_parent(std::string_view trimmed, std::size_t eq, int line) {
    if (parent_->value.empty()) {
      if (eq == std::string_view::npos) {
        fail(line, "expected 'name = value' in the sub-section of key '" + parent_key_ + "'");
      }
      std::string sub_key = core::to_lower_ascii(trim(trimmed.substr(0, eq)));
      if (sub_key.empty())
        fail(line, "missing key name before '=' in the sub-section of key '" + parent_key_ + "'");
      parent_->sub_values[sub_key] = std::string(trim(trimmed.substr(eq + 1)));
      return;
    }
    parent_->value += '\n';
    parent_->value += trimmed;
  }

  void open_section(std::string_view header, int line) {
    // Errors in a header belong to no section yet.
    section_ = nullptr;
    parent_ = nullptr;
    if (header.size() < 2 || header.back() != ']') {
      fail(line, "section header has no closing ']' at the end of the line");
    }
    std::string_view inner = trim(header.substr(1, header.size() - 2));
    if (inner.empty()) fail(line, "empty section header '[]'");
    if (inner.find_first_of("[]") != std::string_view::npos) {
      fail(line, "section header contains a stray '[' or ']'");
    }

    Context context;
    std::size_t gap = inner.find_first_of(" \t");
    std::string_view first = inner.substr(0, gap);
    std::string_view rest =
        gap == std::string_view::npos ? std::string_view{} : trim(inner.substr(gap));
    AwsSharedFile::SectionMap* target = nullptr;
    if (file_.kind_ == SharedFileKind::Credentials) {
      context = {Kind::Profile, std::string(inner)};
      target = &file_.profiles_;
    } else if (inner == "default") {
      context = {Kind::Profile, "default"};
      target = &file_.profiles_;
    } else if (!rest.empty() && first == "profile") {
      context = {Kind::Profile, std::string(rest)};
      target = &file_.profiles_;
    } else if (!rest.empty() && first == "sso-session") {
      context = {Kind::SsoSession, std::string(rest)};
      target = &file_.sso_sessions_;
    } else if (!rest.empty() && first == "services") {
      context = {Kind::Services, std::string(rest)};
      target = &file_.services_;
    } else {
      context = {Kind::Ignored, std::string(inner)};
      file_.ignored_sections_.push_back(context.name);
    }

    context_ = std::move(context);
    if (target == nullptr) {
      // Parsed for syntax only, then dropped.
      scratch_ = SharedFileSection{context_.name, line, {}};
      section_ = &scratch_;
      return;
    }
    auto [it, inserted] = target->try_emplace(context_.name);
    if (inserted) {
      it->second.name = context_.name;
      it->second.line = line;
    }
    section_ = &it->second;
  }

  AwsSharedFile file_;
  Context context_;
  SharedFileSection* section_ = nullptr;
  SharedFileSection scratch_;
  SharedFileEntry* parent_ = nullptr;  // the last key line of the current section
  std::string parent_key_;
  std::size_t parent_indent_ = 0;
};

AwsSharedFile AwsSharedFile::parse(std::string_view text, SharedFileKind kind, std::string path) {
  return SharedFileParser(std::move(path), kind).run(text);
}

std::optional<AwsSharedFile> AwsSharedFile::load(const std::filesystem::path& path,
                                                 SharedFileKind kind, Presence presence) {
  const std::string name = path.string();
  // POSIX calls rather than iostreams, so the reason (errno) is reliable.
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      if (presence == Presence::Optional) return std::nullopt;
      fail_file(name, kind, "does not exist");
    }
    fail_file(name, kind, std::string("cannot be opened: ") + std::strerror(err));
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};

  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    fail_file(name, kind, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (S_ISDIR(info.st_mode)) fail_file(name, kind, "is a directory, not a file");

  std::string text;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_file(name, kind, std::string("cannot be read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_file_size) fail_file(name, kind, "is larger than 16 MiB");
  }
  return parse(text, kind, name);
}

const SharedFileSection* AwsSharedFile::profile(std::string_view name) const {
  auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

const SharedFileSection* AwsSharedFile::sso_session(std::string_view name) const {
  auto it = sso_sessions_.find(name);
  return it == sso_sessions_.end() ? nullptr : &it->second;
}

const SharedFileSection* AwsSharedFile::services(std::string_view name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : &it->second;
}

std::vector<std::string> AwsSharedFile::profile_names() const {
  std::vector<std::string> names;
  names.reserve(profiles_.size());
  for (const auto& [name, section] : profiles_) names.push_back(name);
  return names;
}

}  // namespace llmm::auth
