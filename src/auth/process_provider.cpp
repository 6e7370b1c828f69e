#include "auth/process_provider.hpp"

#include "auth/timestamp.hpp"

#include <llmm/exceptions.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;  // NOLINT: POSIX

namespace llmm::auth {
namespace {

constexpr std::size_t kMaxStdout = 1024 * 1024;  // far above any credentials document
constexpr std::size_t kMaxStderr = 64 * 1024;
constexpr std::size_t kStderrShown = 800;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Closes a descriptor once.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int value) : fd(value) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

std::string printable_tail(std::string_view text) {
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  std::string out(text.substr(0, kStderrShown));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u == '\n' || u == '\t')
      c = ' ';
    else if (u < 0x20 || u > 0x7e)
      c = '?';
  }
  if (text.size() > kStderrShown) out += "...";
  return out;
}

struct ProcessResult {
  bool timed_out = false;
  int status = 0;  // waitpid status
  std::string out;
  std::string err;
  bool out_truncated = false;
};

[[noreturn]] void fail(const ProcessSource& source, const std::string& program,
                       const std::string& why) {
  throw AuthenticationError("credential_process of profile '" + source.profile + "' in '" +
                            source.file + "' (program '" + program + "'): " + why);
}

ProcessResult run(const ProcessSource& source, const std::vector<std::string>& argv,
                  std::chrono::milliseconds timeout) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    fail(source, argv[0], std::string("pipe failed: ") + std::strerror(errno));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    fail(source, argv[0], std::string("pipe failed: ") + std::strerror(errno));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so a timeout kills whatever it started too.
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  out_write.reset();
  err_write.reset();
  if (spawned != 0)
    fail(source, argv[0], std::string("cannot be started: ") + std::strerror(spawned));

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<char, 4096> buffer{};
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    std::array<pollfd, 2> fds{{{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}}};
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      result.timed_out = true;  // cannot wait any more: treat as a hang, the child is killed
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        (i == 0 ? out_read : err_read).reset();
        continue;
      }
      std::string& sink = i == 0 ? result.out : result.err;
      const std::size_t cap = i == 0 ? kMaxStdout : kMaxStderr;
      const std::size_t take =
          std::min(static_cast<std::size_t>(n), cap - std::min(cap, sink.size()));
      sink.append(buffer.data(), take);
      if (i == 0 && take < static_cast<std::size_t>(n)) result.out_truncated = true;
    }
  }
  if (result.timed_out) ::kill(-pid, SIGKILL);
  // Reaped in every case, so no zombie is left; after SIGKILL this returns promptly.
  while (::waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {}
  return result;
}

std::string required_string(const nlohmann::json& doc, const char* name,
                            const ProcessSource& source, const std::string& program) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_string() || it->get<std::string>().empty()) {
    fail(source, program,
         std::string("its output has no ") + name + " (a non-empty string is required)");
  }
  return it->get<std::string>();
}

}  // namespace

std::vector<std::string> split_command_line(std::string_view text, std::string_view what) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '\'') {
      const std::size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) {
        throw ConfigurationError(std::string(what) + ": no closing single quotation mark");
      }
      word.append(text.substr(i + 1, close - i - 1));
      i = close;
      in_word = true;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        // In double quotes a backslash escapes only these (POSIX shell and shlex).
        if (text[j] == '\\' && j + 1 < text.size() &&
            std::string_view("\\\"$`\n").find(text[j + 1]) != std::string_view::npos) {
          ++j;
        }
        word.push_back(text[j]);
      }
      if (j >= text.size())
        throw ConfigurationError(std::string(what) + ": no closing double quotation mark");
      i = j;
      in_word = true;
    } else if (c == '\\') {
      if (i + 1 >= text.size())
        throw ConfigurationError(std::string(what) + ": ends in a lone backslash");
      word.push_back(text[++i]);
      in_word = true;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

ResolvedCredentials credentials_from_process(const ProcessSource& source,
                                             std::chrono::milliseconds timeout,
                                             std::chrono::system_clock::time_point now) {
  const std::string what =
      "credential_process of profile '" + source.profile + "' in '" + source.file + "'";
  const std::vector<std::string> argv = split_command_line(source.command, what);
  if (argv.empty()) throw ConfigurationError(what + " is empty");
  const std::string& program = argv[0];

  const ProcessResult result = run(source, argv, timeout);
  if (result.timed_out) {
    fail(source, program,
         "did not finish within " + std::to_string(timeout.count()) + " ms and was killed" +
             (result.err.empty() ? std::string() : "; stderr: " + printable_tail(result.err)));
  }
  if (WIFSIGNALED(result.status)) {
    fail(source, program,
         "was killed by signal " + std::to_string(WTERMSIG(result.status)) +
             (result.err.empty() ? std::string() : "; stderr: " + printable_tail(result.err)));
  }
  if (!WIFEXITED(result.status) || WEXITSTATUS(result.status) != 0) {
    fail(source, program,
         "exited with status " + std::to_string(WEXITSTATUS(result.status)) +
             (result.err.empty() ? "; stderr was empty"
                                 : "; stderr: " + printable_tail(result.err)));
  }
  if (result.out_truncated) fail(source, program, "wrote more than 1 MiB to stdout");
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  // Never quote stdout: it is where the secret is.
  if (doc.is_discarded() || !doc.is_object())
    fail(source, program, "its output is not a JSON object");
  const auto version = doc.find("Version");
  if (version == doc.end() || !version->is_number_integer() || version->get<long long>() != 1) {
    fail(source, program,
         "its output must have \"Version\": 1" +
             (version != doc.end() && version->is_number_integer()
                  ? ", got " + std::to_string(version->get<long long>())
                  : std::string()));
  }
  AwsCredentials keys;
  keys.access_key_id = required_string(doc, "AccessKeyId", source, program);
  keys.secret_access_key = required_string(doc, "SecretAccessKey", source, program);
  if (const auto token = doc.find("SessionToken"); token != doc.end() && !token->is_null()) {
    if (!token->is_string()) fail(source, program, "its output's SessionToken is not a string");
    keys.session_token = token->get<std::string>();
  }
  ResolvedCredentials resolved;
  if (const auto expiration = doc.find("Expiration");
      expiration != doc.end() && !expiration->is_null()) {
    const auto when =
        expiration->is_string() ? parse_iso8601(expiration->get<std::string>()) : std::nullopt;
    if (!when) fail(source, program, "its output's Expiration is not an ISO 8601 time");
    if (*when <= now)
      fail(source, program, "returned credentials that expired at " + format_iso8601(*when));
    resolved.expiration = *when;
  }
  resolved.value = std::move(keys);
  resolved.source = "credential_process of profile '" + source.profile + "' in " + source.file +
                    " (" + program + ")";
  resolved.provider = "process";
  resolved.profile = source.profile;
  return resolved;
}

}  // namespace llmm::auth
