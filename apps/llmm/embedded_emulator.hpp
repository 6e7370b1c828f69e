#pragma once
// The Bedrock emulator (apps/bedrock-emulator) run inside the llmm process, for `llmm ask
// --emulator` and `llmm demo`. RAII: the constructor binds a free loopback port and serves on
// background threads; the destructor stops the server, closes its connections and joins.
//
//   EmbeddedEmulator emulator({.seed = 7, .scenario_json = R"({"rules": []})"});
//   llmm::LLMManager manager({"Claude 3 Haiku"}, {"us-east-1"}, emulator.auth_config());

#include <llmm/auth_config.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace llmm::cli {

class EmbeddedEmulator {
 public:
  struct Options {
    std::uint64_t seed = 0;     // generated answers and scenario probabilities
    bool generate = false;      // generate mode (pseudo-words) instead of echo
    std::string scenario_json;  // docs/emulator.md; empty: no scenario
    int threads = 2;            // io threads
    // {"rules":[...]} as PUT /_emulator/quotas takes it (docs/emulator.md "Quotas"); empty: none.
    std::string quotas_json;
  };

  // Throws std::invalid_argument when the scenario or the quotas are refused (the emulator's
  // message) and std::runtime_error when no loopback port can be bound.
  explicit EmbeddedEmulator(const Options& options);
  ~EmbeddedEmulator();
  EmbeddedEmulator(const EmbeddedEmulator&) = delete;
  EmbeddedEmulator& operator=(const EmbeddedEmulator&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  // "http://127.0.0.1:PORT".
  [[nodiscard]] std::string endpoint() const;
  // Explicit credentials (the emulator's default key pair) and both endpoints pointed here; no
  // AWS_* credential or endpoint variable applies. The process environment is kept for the
  // region alone (a manager given no region reads AWS_REGION, AWS_DEFAULT_REGION, the profile's).
  [[nodiscard]] AuthConfig auth_config() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace llmm::cli
