#pragma once
// Small pieces shared by the bench drivers (llmm_client_bench, llmm_catalog_bench). Header-only:
// each driver is one translation unit.

#include <llmm/auth_config.hpp>
#include <llmm/environment.hpp>

#include <sys/resource.h>

#include <cmath>
#include <string>

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
  const auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(usage.ru_utime) + tv(usage.ru_stime);
}

inline double round2(double v) { return std::round(v * 100) / 100; }

}  // namespace llmm_bench
