#include "connection_flags.hpp"

namespace llmm::cli {

void ConnectionFlags::add_to(CLI::App& command) {
  auto* endpoint = command.add_option(
      "--endpoint", endpoint_,
      "Runtime and control-plane endpoint (scheme://host[:port][/base]) instead of AWS's");
  auto* emulator = command.add_flag(
      "--emulator", emulator_,
      "Start the Bedrock emulator in-process on a free loopback port and call it (its test keys)");
  endpoint->excludes(emulator);
  emulator->excludes(endpoint);
  client_flags_.add_to(command);
}

ConnectionFlags::Connection ConnectionFlags::resolve() const {
  Connection connection;
  connection.client_config = client_flags_.resolve();
  if (emulator_) {
    connection.emulator = std::make_unique<EmbeddedEmulator>(EmbeddedEmulator::Options{});
    connection.auth_config = connection.emulator->auth_config();
  } else if (!endpoint_.empty()) {
    connection.auth_config.runtime_endpoint = endpoint_;
    connection.auth_config.control_endpoint = endpoint_;
  }
  return connection;
}

}  // namespace llmm::cli
