#pragma once
// Runs the llmm binary (LLMM_CLI_PATH) as a user would: a subprocess with a controlled
// environment, stdout and stderr captured apart.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "test_paths.hpp"

namespace llmm::test {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  [[nodiscard]] std::string both() const { return "stdout:\n" + out + "\nstderr:\n" + err; }
};

// `environment` holds "NAME=value ..." assignments (nothing else is inherited); `arguments` is
// shell text, so quote values with spaces. AWS_EC2_METADATA_DISABLED=true comes first (a test
// may override it): the credential chain must never reach the test machine's own instance
// metadata service.
inline CliRun run_cli(const std::string& environment, const std::string& arguments) {
  CliRun run;
  std::array<char, 32> err_path{};
  const std::string pattern = "/tmp/llmm-cli-stderr-XXXXXX";
  pattern.copy(err_path.data(), pattern.size());
  const int err_fd = mkstemp(err_path.data());
  if (err_fd < 0) return run;
  close(err_fd);
  const std::string command = "env -i AWS_EC2_METADATA_DISABLED=true " + environment + " " +
                              LLMM_CLI_PATH + " " + arguments + " 2>" + err_path.data();
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe != nullptr) {
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream err_file(err_path.data());
  std::ostringstream err_text;
  err_text << err_file.rdbuf();
  run.err = err_text.str();
  std::remove(err_path.data());
  return run;
}

}  // namespace llmm::test
