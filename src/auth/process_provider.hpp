#pragma once
// The credential_process provider: runs the profile's command and reads credentials from its
// stdout (JSON {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
// "Expiration"?}).
//
// The command line is split as botocore splits it (shlex in POSIX mode: blanks separate, single
// quotes are literal, double quotes and backslashes escape) and run with posix_spawnp: no shell,
// so nothing in it is expanded or injected. stdin is /dev/null; the child has its own process
// group, which is killed when the command outlives `timeout`.
//
// Errors are llmm::AuthenticationError naming the profile, the file and the program (argv[0]
// only: arguments may carry secrets), with the command's stderr (trimmed, printable) for a
// non-zero exit. stdout is never quoted: it holds the secret. An unsplittable command line is a
// ConfigurationError.
//
// Thread-safe: no shared state (posix_spawn is safe to call from any thread).

#include "auth/credentials.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::auth {

// shlex.split(text) in POSIX mode; ConfigurationError (naming `what`) for an unclosed quote or
// a trailing backslash.
std::vector<std::string> split_command_line(std::string_view text, std::string_view what);

struct ProcessSource {
  std::string command;  // the credential_process value
  std::string profile;
  std::string file;  // the file the key is in, for messages
};

ResolvedCredentials credentials_from_process(const ProcessSource& source,
                                             std::chrono::milliseconds timeout,
                                             std::chrono::system_clock::time_point now);

}  // namespace llmm::auth
