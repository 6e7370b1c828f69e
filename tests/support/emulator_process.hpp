#pragma once
// The real bedrock-emulator executable as a test fixture: started with the given flags, its port
// read from the first stdout line ("listening on HOST:PORT"), stopped with SIGTERM and reaped
// when the fixture goes out of scope. The emulator also gets SIGTERM when the thread that started
// it ends (PR_SET_PDEATHSIG), so a crashed test leaves no server behind: create it on the thread
// that keeps it. Plus small HTTP helpers over plain sockets for the admin API and for raw-request
// tests (no library code in between).
//
//   test::EmulatorProcess emulator(BEDROCK_EMULATOR_PATH, {"--seed", "7"});
//   emulator.admin_put_scenario(R"({"rules":[...]})");
//   AuthConfig auth{..., .runtime_endpoint = emulator.base_url()};

#include <llmm/auth_config.hpp>

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_paths.hpp"

namespace llmm::test {

struct RawReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // de-chunked when the reply was chunked
  bool chunked = false;
  bool complete = false;  // the whole message arrived (a terminating chunk for chunked replies)

  // Case-insensitive lookup of the first header called `name`.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// Parses one HTTP/1.1 response from the start of `bytes`. nullopt when no status line is there.
std::optional<RawReply> parse_raw_reply(std::string_view bytes);

// A connected TCP socket to 127.0.0.1:port, closed on destruction.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  bool send_all(std::string_view bytes);
  // Reads one complete response (Content-Length or chunked), waiting at most `timeout`;
  // nullopt on timeout or when the connection ends before a status line.
  std::optional<RawReply> read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until the peer closes; true if it closed (EOF or reset) within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  int fd_ = -1;
  std::string pending_;  // bytes read past the previous reply
};

// How an emulator run that was meant to refuse its flags ended: its exit code (-1 when it did
// not exit normally) and its stdout and stderr.
struct EmulatorExit {
  int exit_code = -1;
  std::string output;
};

// Runs `executable` with `arguments` (shell words, quoted by the caller) to its end: for flags it
// must refuse before it listens. A "listening on" line ends the wait instead of serving forever.
EmulatorExit run_emulator_to_exit(const std::string& executable, const std::string& arguments);

class EmulatorProcess {
 public:
  // Starts `executable` with `args` (no shell); throws std::runtime_error when it does not print
  // its listening line within `startup_timeout` (its exit status is in the message).
  EmulatorProcess(std::string executable, std::vector<std::string> args = {},
                  std::chrono::milliseconds startup_timeout = std::chrono::seconds(15));
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] std::string base_url() const;  // http://127.0.0.1:PORT
  // The emulator's default key pair with both endpoints pointed here; no AWS_* variable or
  // shared file is read.
  [[nodiscard]] AuthConfig auth_config() const;
  [[nodiscard]] const std::string& listening_line() const noexcept { return listening_line_; }

  // One request on a fresh connection ("Connection: close"); throws std::runtime_error when no
  // reply arrives within 10 s.
  RawReply request(std::string_view method, std::string_view target, std::string_view body = {},
                   const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  RawReply admin_put_scenario(std::string_view json) const;
  [[nodiscard]] std::string admin_get_scenario() const;
  [[nodiscard]] std::string admin_requests() const;  // the JSON text of GET /_emulator/requests
  [[nodiscard]] std::string admin_counters() const;
  void admin_reset() const;

  // The resident set size from /proc/<pid>/status (VmRSS), in KiB; 0 when unreadable.
  [[nodiscard]] long rss_kib() const;

  // SIGTERM, then waits (SIGKILL after `grace`). Returns the exit code, or -signal when killed
  // by one. Idempotent; the destructor calls it.
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string listening_line_;
  std::optional<int> exit_status_;
};

}  // namespace llmm::test
