#pragma once
// Small pieces shared by the bench drivers (llmm_client_bench, llmm_catalog_bench,
// llmm_credentials_soak). Header-only:
// each driver is one translation unit.

#include <llmm/auth_config.hpp>
#include <llmm/environment.hpp>
#include <llmm/model_catalog.hpp>

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace llmm_bench {

// The emulator's default key pair (apps/bedrock-emulator): every request is really SigV4-signed.
inline constexpr const char* kAccessKey = "AKIDEXAMPLE";
inline constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// Both planes sent to the emulator; an empty environment so no AWS_* variable of the caller's
// shell changes what is measured.
inline llmm::AuthConfig emulator_auth(const std::string& endpoint) {
  return llmm::AuthConfig{.type = llmm::AuthType::Credentials,
                          .access_key_id = kAccessKey,
                          .secret_access_key = kSecretKey,
                          .runtime_endpoint = endpoint,
                          .control_endpoint = endpoint,
                          .environment = llmm::Environment::from_map({})};
}

// User + system CPU of the whole process (every thread, the event loop's included), in seconds.
inline double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto tv = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

inline double round2(double v) { return std::round(v * 100) / 100; }

// What a driver does with a bad argument: print it with the usage text and exit (never returns).
using Usage = void (*)(const std::string& problem);

[[noreturn]] inline void fail(Usage usage, const std::string& problem) {
  usage(problem);
  std::exit(2);  // usage does not return; this keeps the promise if it ever did
}

// The whole of `value` as an int, else usage("FLAG wants an integer, got 'VALUE'").
inline int to_int(const std::string& flag, const std::string& value, Usage usage) {
  try {
    std::size_t used = 0;
    const int parsed = std::stoi(value, &used);
    if (used == value.size()) return parsed;
  } catch (const std::exception&) {
    // Reported below.
  }
  fail(usage, flag + " wants an integer, got '" + value + "'");
}

// A driver's "--flag value" / "--flag=value" arguments, in order; problems go to `usage`.
class Flags {
 public:
  Flags(int argc, char** argv, Usage usage) : argc_(argc), argv_(argv), usage_(usage) {}

  // The next flag and its value; false after the last one. "--help" / "-h" go to usage.
  bool next(std::string& flag, std::string& value) {
    if (++i_ >= argc_) return false;
    flag = argv_[i_];
    if (const auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag == "--help" || flag == "-h") {
      fail(usage_, "help");
    } else {
      if (i_ + 1 >= argc_) fail(usage_, flag + " needs a value");
      value = argv_[++i_];
    }
    return true;
  }

  [[nodiscard]] int to_int(const std::string& flag, const std::string& value) const {
    return llmm_bench::to_int(flag, value, usage_);
  }

 private:
  int argc_;
  char** argv_;
  Usage usage_;
  int i_ = 0;
};

// p50/p90/p99/max/mean (rounded to 0.1) and the sample count of `values`; {} when empty.
inline nlohmann::json percentiles(std::vector<double> values) {
  if (values.empty()) return nlohmann::json::object();
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) {
    const auto index = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
    return std::round(values[std::min(index, values.size() - 1)] * 10) / 10;
  };
  const double mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  return {{"p50", at(0.50)},
          {"p90", at(0.90)},
          {"p99", at(0.99)},
          {"max", values.back()},
          {"mean", std::round(mean * 10) / 10},
          {"samples", values.size()}};
}

// The catalog of the managers that measure calls: the bundled data (the emulator serves the same),
// so no discovery call shows in the emulator's log or CPU and no cache file is written.
inline llmm::CatalogConfig bundled_catalog_only() {
  llmm::CatalogConfig config;
  config.cache_mode = llmm::CacheMode::None;
  config.live_discovery = false;
  return config;
}

}  // namespace llmm_bench
