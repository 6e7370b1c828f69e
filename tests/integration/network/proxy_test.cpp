// Calls through a real HTTP CONNECT proxy on loopback (Debian's tinyproxy, started per test
// suite with a configuration of ours): the proxy from the API and from HTTPS_PROXY, NO_PROXY
// bypassing it, a dead proxy failing the attempt by name. The emulator serves HTTPS, so the
// proxy only ever sees a CONNECT tunnel.
#include <llmm/auth_manager.hpp>
#include <llmm/runtime_client.hpp>

#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "support/wire.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace llmm {
namespace {

using namespace std::chrono_literals;

constexpr const char* kHaiku = "anthropic.claude-3-haiku-20240307-v1:0";

// A port nobody listens on right now (bound, then released).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// tinyproxy in the foreground on 127.0.0.1, logging every connection to a file.
class Tinyproxy {
 public:
  Tinyproxy() : port_(free_port()) {
    const auto config = dir_.write_file("tinyproxy.conf",
                                        "Port " + std::to_string(port_) +
                                            "\nListen 127.0.0.1\nAllow 127.0.0.1\n"
                                            "Timeout 60\nLogLevel Connect\nLogFile \"" +
                                            (dir_.path() / "log").string() + "\"\nMaxClients 64\n");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execlp("tinyproxy", "tinyproxy", "-d", "-c", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    if (pid_ < 0) throw std::runtime_error("cannot fork tinyproxy");
    // Ready when its port accepts a connection (bounded: 100 tries of a blocking connect).
    for (int attempt = 0; attempt < 100; ++attempt) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port_));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      ::close(fd);
      if (up) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_)
        throw std::runtime_error("tinyproxy exited at start");
      ::usleep(20'000);  // waiting for another process to bind: no event to wait on
    }
    throw std::runtime_error("tinyproxy did not listen on port " + std::to_string(port_));
  }
  ~Tinyproxy() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  Tinyproxy(const Tinyproxy&) = delete;
  Tinyproxy& operator=(const Tinyproxy&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string log() const { return read_file(dir_.path() / "log"); }

 private:
  test::ScopedTempDir dir_;
  int port_;
  pid_t pid_ = -1;
};

class ProxyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { tls_ = new test::TlsEmulator(); }
  static void TearDownTestSuite() {
    delete tls_;
    tls_ = nullptr;
  }

  static BedrockResponse call(std::map<std::string, std::string, std::less<>> environment,
                              ClientConfig::Options options = {}) {
    AuthConfig auth = tls_->auth_config(test::Wire::TlsHttp2);
    auth.environment = Environment::from_map(std::move(environment));
    options.retries_max_attempts = 0;
    options.connect_timeout = 5s;
    AuthManager manager(auth, tls_->client_config(test::Wire::TlsHttp2, options));
    return manager.runtime_client("us-east-1")
        ->converse(kHaiku, ConverseRequest::from_prompt("hi"));
  }

  [[nodiscard]] static std::string tunnel_target() {
    return "127.0.0.1:" + std::to_string(tls_->process().port());
  }

  static test::TlsEmulator* tls_;
};

test::TlsEmulator* ProxyTest::tls_ = nullptr;

TEST_F(ProxyTest, AProxyFromTheApiCarriesTheCallThroughAConnectTunnel) {
  const Tinyproxy proxy;
  const BedrockResponse response = call({}, {.proxy = proxy.url()});
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_NE(proxy.log().find("CONNECT"), std::string::npos) << proxy.log();
  EXPECT_NE(proxy.log().find(tunnel_target()), std::string::npos) << proxy.log();
}

TEST_F(ProxyTest, HttpsProxyFromTheEnvironmentIsUsedForHttpsEndpoints) {
  const Tinyproxy proxy;
  const BedrockResponse response = call({{"HTTPS_PROXY", proxy.url()}});
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_NE(proxy.log().find(tunnel_target()), std::string::npos) << proxy.log();
}

TEST_F(ProxyTest, NoProxyBypassesTheProxyForItsHosts) {
  // A proxy that is not there: the call can only succeed by going around it.
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  EXPECT_TRUE(call({{"HTTPS_PROXY", dead}, {"NO_PROXY", "example.com,127.0.0.1"}}).ok());
  EXPECT_TRUE(call({}, {.proxy = dead, .no_proxy = "127.0.0.1"}).ok());
}

TEST_F(ProxyTest, ADeadProxyFailsTheAttemptAndNamesIt) {
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  const BedrockResponse response = call({{"HTTPS_PROXY", dead}});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error->code, ErrorCode::ConnectionFailed) << response.error->describe();
  EXPECT_NE(response.error->message.find("proxy"), std::string::npos) << response.error->message;
}

TEST_F(ProxyTest, TheApiProxyWinsOverTheEnvironment) {
  const Tinyproxy proxy;
  const std::string dead = "http://127.0.0.1:" + std::to_string(free_port());
  const BedrockResponse response = call({{"HTTPS_PROXY", dead}}, {.proxy = proxy.url()});
  ASSERT_TRUE(response.ok()) << response.error->describe();
  EXPECT_NE(proxy.log().find(tunnel_target()), std::string::npos) << proxy.log();
}

}  // namespace
}  // namespace llmm
