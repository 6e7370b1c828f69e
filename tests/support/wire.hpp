#pragma once
// The three ways a client reaches the emulator, so one test body proves a behaviour on each:
// plaintext HTTP/1.1 (what every test used before), HTTPS with HTTP/1.1, and HTTPS with HTTP/2
// (what real users get from Bedrock). One emulator started with TlsEmulator serves all three on
// one port (it tells TLS from plaintext by the first byte), trusting its own generated CA.
//
//   class MyTest : public ::testing::TestWithParam<test::Wire> {...};
//   INSTANTIATE_TEST_SUITE_P(Wires, MyTest, test::all_wires(), test::wire_name);
//   AuthManager auth(tls.auth_config(GetParam()), tls.client_config(GetParam(), {...}));

#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <llmm/auth_config.hpp>
#include <llmm/client_config.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace llmm::test {

enum class Wire { PlainHttp1, TlsHttp1, TlsHttp2 };

inline std::string wire_name(const ::testing::TestParamInfo<Wire>& info) {
  switch (info.param) {
    case Wire::PlainHttp1: return "PlainHttp1";
    case Wire::TlsHttp1: return "TlsHttp1";
    case Wire::TlsHttp2: return "TlsHttp2";
  }
  return "Unknown";
}

inline auto all_wires() {
  return ::testing::Values(Wire::PlainHttp1, Wire::TlsHttp1, Wire::TlsHttp2);
}

// The emulator with --tls, its CA written to a temporary directory.
class TlsEmulator {
 public:
  explicit TlsEmulator(std::vector<std::string> extra_args = {})
      : emulator_(BEDROCK_EMULATOR_PATH, with_tls(directory_, std::move(extra_args))) {}

  [[nodiscard]] EmulatorProcess& process() { return emulator_; }
  [[nodiscard]] std::string ca_file() const { return (directory_.path() / "ca.pem").string(); }
  [[nodiscard]] std::string url(Wire wire) const {
    return (wire == Wire::PlainHttp1 ? "http://" : "https://") + std::string("127.0.0.1:") +
           std::to_string(emulator_.port());
  }
  // The emulator's key pair, both endpoints on `wire`.
  [[nodiscard]] AuthConfig auth_config(Wire wire) const {
    AuthConfig config = emulator_.auth_config();
    config.runtime_endpoint = url(wire);
    config.control_endpoint = url(wire);
    return config;
  }
  // `options` with the CA trusted and the HTTP version the wire needs.
  [[nodiscard]] ClientConfig client_config(Wire wire, ClientConfig::Options options = {}) const {
    options.ca_bundle = ca_file();
    options.http_version = wire == Wire::TlsHttp1 ? HttpVersion::Http1_1 : HttpVersion::Auto;
    return ClientConfig(options);
  }

 private:
  static std::vector<std::string> with_tls(const ScopedTempDir& directory,
                                           std::vector<std::string> args) {
    args.insert(args.end(), {"--tls", "--tls-dir", directory.path().string()});
    return args;
  }

  ScopedTempDir directory_;  // declared first: the emulator writes into it
  EmulatorProcess emulator_;
};

}  // namespace llmm::test
