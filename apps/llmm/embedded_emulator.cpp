#include "embedded_emulator.hpp"

#include "emulator_server.hpp"
#include "emulator_service.hpp"
#include "request_log.hpp"
#include "sigv4_verifier.hpp"

#include <llmm/environment.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace llmm::cli {
namespace {

constexpr std::string_view kLoopback = "127.0.0.1";
constexpr std::size_t kLogCapacity = 1000;  // nobody reads the log here; keep it small

// A proxy configured in the environment must not intercept calls to the embedded emulator, and
// libcurl reads no_proxy itself, so loopback joins the list before any client exists.
void bypass_proxies_for_loopback() {
  for (const char* name : {"no_proxy", "NO_PROXY"}) {
    const char* current = std::getenv(name);
    std::string value(kLoopback);
    if (current != nullptr && *current != '\0') value += std::string(",") + current;
    ::setenv(name, value.c_str(), 1);
  }
}

}  // namespace

struct EmbeddedEmulator::State {
  explicit State(const Options& options)
      : service(bedrock_emulator::EmulatorService::Options{
            .seed = options.seed,
            .mode = options.generate ? bedrock_emulator::AnswerMode::Generate
                                     : bedrock_emulator::AnswerMode::Echo}),
        log(kLogCapacity) {}

  bedrock_emulator::EmulatorService service;
  bedrock_emulator::RequestLog log;
  bedrock_emulator::AccessKey key;
  std::unique_ptr<bedrock_emulator::EmulatorServer> server;  // last: stops before the rest goes
};

EmbeddedEmulator::EmbeddedEmulator(const Options& options)
    : state_(std::make_unique<State>(options)) {
  if (!options.scenario_json.empty()) {
    if (const auto problem = state_->service.set_scenario(options.scenario_json)) {
      throw std::invalid_argument("emulator scenario refused: " + *problem);
    }
  }
  if (!options.quotas_json.empty()) {
    if (const auto problem = state_->service.set_quotas(options.quotas_json)) {
      throw std::invalid_argument("emulator quotas refused: " + *problem);
    }
  }
  auto credentials = bedrock_emulator::CredentialStore::defaults();
  if (credentials.keys.empty()) throw std::runtime_error("the emulator has no default key pair");
  state_->key = credentials.keys.front();
  bypass_proxies_for_loopback();
  state_->server = std::make_unique<bedrock_emulator::EmulatorServer>(
      bedrock_emulator::ServerOptions{
          .host = std::string(kLoopback), .port = 0, .threads = options.threads},
      state_->service, std::move(credentials), state_->log);
  state_->server->start();
}

EmbeddedEmulator::~EmbeddedEmulator() {
  if (state_ && state_->server) state_->server->stop();
}

std::uint16_t EmbeddedEmulator::port() const noexcept { return state_->server->port(); }

std::string EmbeddedEmulator::endpoint() const {
  return "http://" + std::string(kLoopback) + ":" + std::to_string(port());
}

AuthConfig EmbeddedEmulator::auth_config() const {
  AuthConfig config;
  config.type = AuthType::Credentials;
  config.access_key_id = state_->key.access_key_id;
  config.secret_access_key = state_->key.secret_access_key;
  config.runtime_endpoint = endpoint();
  config.control_endpoint = endpoint();
  // The process environment: the explicit keys and endpoints above beat every AWS_* credential
  // and endpoint variable, so what it still decides is the region when -r is not given
  // (AWS_REGION, AWS_DEFAULT_REGION, the profile's), as with a real endpoint.
  config.environment = Environment::process();
  return config;
}

}  // namespace llmm::cli
