#include "support/emulator_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace llmm::test {
namespace {

using Clock = std::chrono::steady_clock;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Waits until fd is readable or the deadline passes.
bool wait_readable(int fd, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return false;
  }
}

struct Parsed {
  RawReply reply;
  std::size_t consumed = 0;
};

// One response from the start of `bytes`; nullopt until the status line and headers are there.
std::optional<Parsed> parse_prefix(std::string_view bytes, bool at_eof) {
  const std::size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos || !bytes.starts_with("HTTP/1.")) return std::nullopt;
  Parsed parsed;
  RawReply& reply = parsed.reply;
  const std::size_t first_eol = bytes.find("\r\n");
  const std::string_view status_line = bytes.substr(0, first_eol);
  const std::size_t space = status_line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  reply.status = std::atoi(std::string(status_line.substr(space + 1, 3)).c_str());
  std::size_t at = first_eol + 2;
  while (at < head_end) {
    const std::size_t eol = bytes.find("\r\n", at);
    const std::string_view line = bytes.substr(at, eol - at);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      reply.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    at = eol + 2;
  }
  std::size_t body_at = head_end + 4;
  const auto encoding = reply.header("transfer-encoding");
  if (encoding && iequals(*encoding, "chunked")) {
    reply.chunked = true;
    for (;;) {
      const std::size_t eol = bytes.find("\r\n", body_at);
      if (eol == std::string_view::npos) break;
      const std::size_t size =
          std::strtoul(std::string(bytes.substr(body_at, eol - body_at)).c_str(), nullptr, 16);
      if (size == 0) {
        if (bytes.size() >= eol + 4) {
          reply.complete = true;
          parsed.consumed = eol + 4;
        }
        break;
      }
      if (bytes.size() < eol + 2 + size + 2) {
        reply.body += bytes.substr(eol + 2, size);  // what arrived of a partial chunk
        break;
      }
      reply.body += bytes.substr(eol + 2, size);
      body_at = eol + 2 + size + 2;
    }
    return parsed;
  }
  if (const auto length = reply.header("content-length")) {
    const std::size_t size = std::strtoul(length->c_str(), nullptr, 10);
    reply.body = std::string(bytes.substr(body_at, size));
    if (bytes.size() >= body_at + size) {
      reply.complete = true;
      parsed.consumed = body_at + size;
    }
    return parsed;
  }
  reply.body = std::string(bytes.substr(body_at));
  reply.complete = at_eof;
  parsed.consumed = bytes.size();
  return parsed;
}

}  // namespace

std::optional<std::string> RawReply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<RawReply> parse_raw_reply(std::string_view bytes) {
  auto parsed = parse_prefix(bytes, true);
  if (!parsed) return std::nullopt;
  return std::move(parsed->reply);
}

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), pending_(std::move(other.pending_)) {}

bool RawConnection::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<RawReply> RawConnection::read_reply(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char buffer[16384];
  for (;;) {
    if (auto parsed = parse_prefix(pending_, false); parsed && parsed->reply.complete) {
      pending_.erase(0, parsed->consumed);
      return std::move(parsed->reply);
    }
    if (!wait_readable(fd_, deadline)) return std::nullopt;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      auto parsed = parse_prefix(pending_, true);
      pending_.clear();
      if (!parsed) return std::nullopt;
      return std::move(parsed->reply);
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
  }
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    if (!wait_readable(fd_, deadline)) return false;
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
  }
}

EmulatorProcess::EmulatorProcess(std::string executable, std::vector<std::string> args,
                                 std::chrono::milliseconds startup_timeout) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("emulator: pipe failed");
  std::vector<char*> argv;
  argv.push_back(executable.data());
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls until exec. PDEATHSIG: a test process that crashes does not
    // leave an emulator behind.
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::execve(executable.c_str(), argv.data(), environ);
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(pipe_fds[1]);
  if (pid_ < 0) {
    ::close(pipe_fds[0]);
    pid_ = -1;
    throw std::runtime_error("emulator: cannot start " + executable + ": " +
                             std::strerror(fork_errno));
  }
  stdout_fd_ = pipe_fds[0];

  // The first line, read byte by byte so nothing after it is consumed.
  const auto deadline = Clock::now() + startup_timeout;
  std::string line;
  bool got_line = false;
  while (!got_line && wait_readable(stdout_fd_, deadline)) {
    char c = 0;
    const ssize_t n = ::read(stdout_fd_, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (c == '\n') {
      got_line = true;
    } else {
      line.push_back(c);
    }
  }
  const std::string prefix = "listening on ";
  const std::size_t colon = line.rfind(':');
  if (!got_line || !line.starts_with(prefix) || colon == std::string::npos) {
    const int status = stop(std::chrono::seconds(2));
    throw std::runtime_error("emulator: no listening line (got '" + line + "', exit status " +
                             std::to_string(status) + ")");
  }
  listening_line_ = line;
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

EmulatorProcess::~EmulatorProcess() { stop(); }

std::string EmulatorProcess::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

int EmulatorProcess::stop(std::chrono::milliseconds grace) {
  if (exit_status_) return *exit_status_;
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  // A pidfd becomes readable when the process exits: a bounded wait without polling sleeps.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    int rc = 0;
    do {
      rc = ::poll(&p, 1, static_cast<int>(grace.count()));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) ::kill(pid_, SIGKILL);
    ::close(pidfd);
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return *exit_status_;
}

RawReply EmulatorProcess::request(
    std::string_view method, std::string_view target, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  RawConnection connection(port_);
  if (!connection.connected())
    throw std::runtime_error("emulator: cannot connect to port " + std::to_string(port_));
  std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  text += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  text += body;
  if (!connection.send_all(text)) throw std::runtime_error("emulator: send failed");
  auto reply = connection.read_reply();
  if (!reply)
    throw std::runtime_error("emulator: no reply to " + std::string(method) + " " +
                             std::string(target));
  return std::move(*reply);
}

RawReply EmulatorProcess::admin_put_scenario(std::string_view json) const {
  return request("PUT", "/_emulator/scenario", json, {{"Content-Type", "application/json"}});
}

std::string EmulatorProcess::admin_get_scenario() const {
  return request("GET", "/_emulator/scenario").body;
}

std::string EmulatorProcess::admin_requests() const {
  return request("GET", "/_emulator/requests").body;
}

std::string EmulatorProcess::admin_counters() const {
  return request("GET", "/_emulator/counters").body;
}

AuthConfig EmulatorProcess::auth_config() const {
  return AuthConfig{.type = AuthType::Credentials,
                    .access_key_id = "AKIDEXAMPLE",
                    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    .runtime_endpoint = base_url(),
                    .control_endpoint = base_url(),
                    .environment = Environment::from_map({})};
}

void EmulatorProcess::admin_reset() const {
  const RawReply reply = request("POST", "/_emulator/reset");
  if (reply.status != 200)
    throw std::runtime_error("emulator: reset answered " + std::to_string(reply.status));
}

long EmulatorProcess::rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
  }
  return 0;
}

EmulatorExit run_emulator_to_exit(const std::string& executable, const std::string& arguments) {
  const std::string command = executable + " --port 0 " + arguments + " 2>&1";
  EmulatorExit finished;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return finished;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) {
    finished.output += buffer.data();
    if (finished.output.starts_with("listening on")) break;  // not expected: do not serve forever
  }
  const int status = ::pclose(pipe);
  finished.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return finished;
}

}  // namespace llmm::test
