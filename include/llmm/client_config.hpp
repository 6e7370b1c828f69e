#pragma once
// ClientConfig: the timeouts, connection pool and per-target retries of every HTTP client the
// library creates, runtime and control plane alike. The C++ counterpart of the Python library's
// Boto3Config; see docs/ClientConfig.md.

#include <llmm/attempt_limits.hpp>
#include <llmm/environment.hpp>
#include <llmm/transport_options.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

// Immutable after construction: safe to share and read from any thread.
class ClientConfig {
 public:
  static constexpr std::chrono::milliseconds kDefaultReadTimeout{600'000};
  static constexpr std::chrono::milliseconds kDefaultConnectTimeout{60'000};
  static constexpr int kDefaultMaxPoolConnections = 10;
  static constexpr int kDefaultRetriesMaxAttempts = 3;
  static constexpr std::size_t kDefaultMaxResponseBytes = 64 * 1024 * 1024;

  // Plain values, for designated initializers:
  //   llmm::ClientConfig cfg({.read_timeout = 900s, .max_pool_connections = 32});
  // A value type: not synchronized.
  struct Options {
    std::chrono::milliseconds read_timeout = kDefaultReadTimeout;
    std::chrono::milliseconds connect_timeout = kDefaultConnectTimeout;
    int max_pool_connections = kDefaultMaxPoolConnections;
    int retries_max_attempts = kDefaultRetriesMaxAttempts;
    // HTTP/2 over TLS when the server offers it (auto), or one version on purpose.
    HttpVersion http_version = HttpVersion::Auto;
    // PEM bundle of trusted CAs; empty: AWS_CA_BUNDLE, then the profile's ca_bundle, then the
    // system's store (the AuthManager resolves it; see docs/UserGuide.md).
    std::string ca_bundle;
    std::size_t max_response_bytes = kDefaultMaxResponseBytes;
    // An HTTP CONNECT proxy for every endpoint ("http://host:3128", credentials allowed in the
    // URL and never printed); empty: HTTPS_PROXY / HTTP_PROXY from the environment. no_proxy
    // goes with it (empty: the proxy for every host).
    std::string proxy;
    std::string no_proxy;
  };

  // The defaults: read 600 s, connect 60 s, 10 connections per host, 3 retries.
  ClientConfig() = default;

  // Throws std::invalid_argument naming the field and the value when a timeout or the pool size
  // is not positive, retries are negative, or max_response_bytes is 0. Retries 0 is valid: no
  // retries.
  explicit ClientConfig(const Options& options);

  [[nodiscard]] std::chrono::milliseconds read_timeout() const noexcept { return read_timeout_; }
  [[nodiscard]] std::chrono::milliseconds connect_timeout() const noexcept {
    return connect_timeout_;
  }
  [[nodiscard]] int max_pool_connections() const noexcept { return max_pool_connections_; }
  [[nodiscard]] int retries_max_attempts() const noexcept { return retries_max_attempts_; }
  [[nodiscard]] HttpVersion http_version() const noexcept { return http_version_; }
  [[nodiscard]] const std::string& ca_bundle() const noexcept { return ca_bundle_; }
  [[nodiscard]] std::size_t max_response_bytes() const noexcept { return max_response_bytes_; }
  [[nodiscard]] const std::string& proxy() const noexcept { return proxy_; }
  [[nodiscard]] const std::string& no_proxy() const noexcept { return no_proxy_; }
  [[nodiscard]] Options options() const noexcept;

  // The single conversion into what the HTTP layer consumes.
  [[nodiscard]] TransportOptions to_transport_options() const noexcept;
  // The single conversion into what the call engine consumes (per-target retries).
  [[nodiscard]] AttemptLimits to_attempt_limits() const noexcept;

  // Reading from text. Each returns `base` with the settings found applied and validated; a
  // wrong type, junk, overflow, a negative number or an unknown key throws
  // llmm::ConfigurationError naming the field and the offending text.
  //
  // JSON object: {"read_timeout": 600, "connect_timeout": "1.5s", "max_pool_connections": 10,
  // "retries_max_attempts": 3, "http_version": "auto", "ca_bundle": "/etc/corp-ca.pem",
  // "max_response_bytes": 67108864, "proxy": "http://proxy:3128", "no_proxy": "localhost"}. A
  // duration is a number of seconds or a string with a unit (ms, s, m, h); http_version is "auto",
  // "1.1" or "2"; an omitted key keeps the base value.
  static ClientConfig from_json(std::string_view json_text, const ClientConfig& base);
  static ClientConfig from_json(std::string_view json_text);
  // LLMM_READ_TIMEOUT, LLMM_CONNECT_TIMEOUT, LLMM_MAX_POOL_CONNECTIONS,
  // LLMM_RETRIES_MAX_ATTEMPTS, LLMM_HTTP_VERSION, LLMM_MAX_RESPONSE_BYTES, and AWS_MAX_ATTEMPTS
  // (total attempts, so retries + 1; the LLMM_ variable wins when both are set), else the active
  // profile's max_attempts in the shared config file (AWS_PROFILE, AWS_CONFIG_FILE). Unset or empty
  // variables keep the base value. AWS_CA_BUNDLE is not read here: it ranks below an explicit
  // ca_bundle, so the AuthManager applies it (see AuthManager).
  static ClientConfig from_environment(const Environment& environment, const ClientConfig& base);
  static ClientConfig from_environment(const Environment& environment);
  // --read-timeout, --connect-timeout, --max-pool-connections, --retries-max-attempts,
  // --http-version, --ca-bundle, --max-response-bytes, --proxy, --no-proxy, each as
  // "--name value" or "--name=value".
  // Any other argument is an error.
  static ClientConfig from_flags(const std::vector<std::string>& arguments,
                                 const ClientConfig& base);
  static ClientConfig from_flags(const std::vector<std::string>& arguments);

  // {"read_timeout":"600s",...}: the same form from_json reads (a proxy's credentials as "***").
  [[nodiscard]] std::string to_json() const;

  friend bool operator==(const ClientConfig&, const ClientConfig&) = default;

 private:
  std::chrono::milliseconds read_timeout_ = kDefaultReadTimeout;
  std::chrono::milliseconds connect_timeout_ = kDefaultConnectTimeout;
  int max_pool_connections_ = kDefaultMaxPoolConnections;
  int retries_max_attempts_ = kDefaultRetriesMaxAttempts;
  HttpVersion http_version_ = HttpVersion::Auto;
  std::string ca_bundle_;
  std::size_t max_response_bytes_ = kDefaultMaxResponseBytes;
  std::string proxy_;
  std::string no_proxy_;
};

}  // namespace llmm
