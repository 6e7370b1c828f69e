// llmm_credentials_soak: Converse calls kept in flight for a while with credentials that expire
// every few seconds (bench/run_credentials_soak.sh starts the emulator with
// --credential-lifetime). The credentials come from web identity through the emulator's STS, as
// on EKS with IRSA; the AuthManager refreshes them ahead of expiry (and after an
// ExpiredTokenException). Prints one JSON line: calls, failures (with the first few errors),
// refreshes, resends after ExpiredToken, latency percentiles and the longest call.
//
//   llmm_credentials_soak --endpoint http://127.0.0.1:PORT [--concurrency 64] [--seconds 60]
//                         [--region us-east-1] [--model ID]

#include <llmm/auth_manager.hpp>
#include <llmm/converse_request.hpp>
#include <llmm/runtime_client.hpp>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string endpoint;
  int concurrency = 64;
  int seconds = 60;
  std::string region = "us-east-1";
  std::string model = "anthropic.claude-3-haiku-20240307-v1:0";
};

void usage(const std::string& problem) {
  std::cerr << "llmm_credentials_soak: " << problem
            << "\nusage: llmm_credentials_soak --endpoint URL [--concurrency N] [--seconds N] "
               "[--region R] [--model ID]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  llmm_bench::Flags flags(argc, argv, usage);
  std::string flag;
  std::string value;
  while (flags.next(flag, value)) {
    if (flag == "--endpoint")
      options.endpoint = value;
    else if (flag == "--concurrency")
      options.concurrency = flags.to_int(flag, value);
    else if (flag == "--seconds")
      options.seconds = flags.to_int(flag, value);
    else if (flag == "--region")
      options.region = value;
    else if (flag == "--model")
      options.model = value;
    else
      usage("unknown flag " + flag);
  }
  if (options.endpoint.empty()) usage("--endpoint is required");
  if (options.concurrency < 1 || options.seconds < 1)
    usage("--concurrency and --seconds must be at least 1");
  return options;
}

// The closed loop: each completion records its call and submits the next until the time is up.
class Soak {
 public:
  Soak(const Options& options, std::shared_ptr<llmm::RuntimeClient> client)
      : options_(options),
        client_(std::move(client)),
        until_(Clock::now() + std::chrono::seconds(options.seconds)) {}

  void run() {
    {
      std::lock_guard lock(mutex_);
      in_flight_ = options_.concurrency;
    }
    for (int i = 0; i < options_.concurrency; ++i) send();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return in_flight_ == 0; });
  }

  nlohmann::json report(const llmm::CredentialsInfo& info) const {
    std::lock_guard lock(mutex_);
    const std::vector<double>& sorted = latencies_ms_;
    return {
        {"mode", "credentials_soak"},
        {"concurrency", options_.concurrency},
        {"seconds", options_.seconds},
        {"calls", calls_},
        {"failed", failed_},
        {"first_errors", first_errors_},
        {"refreshes", info.refreshes},
        {"failed_refreshes", info.failed_refreshes},
        {"expired_token_resends", expired_resends_},
        {"calls_per_second", static_cast<double>(calls_) / options_.seconds},
        {"latency_ms", llmm_bench::percentiles(sorted)},
        {"max_latency_ms", sorted.empty() ? 0.0 : *std::max_element(sorted.begin(), sorted.end())}};
  }

 private:
  void send() {
    const auto started = Clock::now();
    client_->converse_async(
        options_.model, llmm::ConverseRequest::from_prompt("soak"),
        [this, started](llmm::BedrockResponse response) { complete(started, response); });
  }

  // On the event-loop thread: records the call, then sends the next one in its place.
  void complete(Clock::time_point started, const llmm::BedrockResponse& response) {
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    {
      std::lock_guard lock(mutex_);
      ++calls_;
      latencies_ms_.push_back(ms);
      for (const auto& attempt : response.attempts) {
        if (attempt.decision == llmm::AttemptDecision::RefreshCredentials) ++expired_resends_;
      }
      if (!response.ok()) {
        ++failed_;
        if (first_errors_.size() < 5) first_errors_.push_back(response.error->describe());
      }
      if (Clock::now() >= until_) {
        if (--in_flight_ == 0) done_.notify_all();
        return;
      }
    }
    send();
  }

  const Options& options_;
  std::shared_ptr<llmm::RuntimeClient> client_;
  const Clock::time_point until_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  int in_flight_ = 0;
  long calls_ = 0;
  long failed_ = 0;
  long expired_resends_ = 0;
  std::vector<std::string> first_errors_;
  std::vector<double> latencies_ms_;
};

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const auto home =
      std::filesystem::temp_directory_path() / ("llmm-soak-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home);
  const auto token = home / "web-identity-token";
  std::ofstream(token) << "soak-header.soak-payload.soak-signature";  // a JWT's shape

  llmm::AuthConfig auth;
  auth.runtime_endpoint = options.endpoint;
  auth.control_endpoint = options.endpoint;
  auth.environment =
      llmm::Environment::from_map({{"HOME", home.string()},
                                   {"AWS_ENDPOINT_URL_STS", options.endpoint},
                                   {"AWS_REGION", options.region},
                                   {"AWS_EC2_METADATA_DISABLED", "true"},
                                   {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/Soak"},
                                   {"AWS_WEB_IDENTITY_TOKEN_FILE", token.string()}});
  nlohmann::json result;
  try {
    llmm::AuthManager manager(auth);
    Soak soak(options, manager.runtime_client(options.region));
    soak.run();
    result = soak.report(manager.credentials_info());
  } catch (const std::exception& error) {
    std::filesystem::remove_all(home);
    std::cerr << "llmm_credentials_soak: " << error.what() << "\n";
    return 2;
  }
  std::filesystem::remove_all(home);
  std::cout << result.dump() << std::endl;
  return result["failed"].get<long>() == 0 ? 0 : 1;
}
