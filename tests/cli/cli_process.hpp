#pragma once
// The llmm binary (LLMM_CLI_PATH) as a child process a test can signal: started with a
// controlled environment (nothing inherited, as run_cli), stdout and stderr into files, reaped
// by wait() or, at the latest, by the destructor (SIGKILL first if it still runs).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.hpp"

namespace llmm::test {

class CliProcess {
 public:
  // `environment` as "NAME=value" entries; `arguments` without the program name, which is
  // LLMM_CLI_PATH unless `program_is_first_argument` (then arguments[0] is run: a script).
  CliProcess(std::vector<std::string> environment, std::vector<std::string> arguments,
             const std::string& out_path, const std::string& err_path,
             bool program_is_first_argument = false)
      : err_path_(err_path) {
    environment.insert(environment.begin(), "AWS_EC2_METADATA_DISABLED=true");
    std::vector<std::string> argv_text;
    if (!program_is_first_argument) argv_text.emplace_back(LLMM_CLI_PATH);
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& text : argv_text) argv.push_back(text.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& text : environment) envp.push_back(text.data());
    envp.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      dup2(in, STDIN_FILENO);
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
  }
  ~CliProcess() {
    if (!status_ && pid_ > 0) {
      kill(pid_, SIGKILL);
      wait();
    }
  }
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  // Only while it has not been reaped: a reaped pid may belong to another process by now.
  void signal(int number) {
    if (!status_) kill(pid_, number);
  }
  // The exit code, or -signal when a signal ended it.
  int wait() {
    if (!status_) {
      int raw = 0;
      while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {}
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
    }
    return *status_;
  }
  // Whether it has ended, without waiting.
  bool ended() {
    if (status_) return true;
    int raw = 0;
    if (waitpid(pid_, &raw, WNOHANG) != pid_) return false;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
    return true;
  }
  [[nodiscard]] std::string err() const {
    std::ifstream file(err_path_);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
  }

 private:
  pid_t pid_ = -1;
  std::string err_path_;
  std::optional<int> status_;
};

// Polls `condition` every millisecond until it holds or `limit` passes: for a state another
// process reaches (a file's length), which no event of ours announces. False on timeout.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace llmm::test
