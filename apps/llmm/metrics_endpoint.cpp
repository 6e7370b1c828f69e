#include "metrics_endpoint.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <istream>
#include <stdexcept>
#include <thread>

namespace llmm::cli {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A request head larger than this is not a scrape.
constexpr std::size_t kMaxRequestHead = 8 * 1024;
// A client that sends no whole request head within this long is dropped.
constexpr auto kRequestTimeout = std::chrono::seconds(10);

std::string reply(int status, std::string_view reason, std::string_view content_type,
                  const std::string& body, bool head_only) {
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  text += "Content-Type: " + std::string(content_type) + "\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  text += "Connection: close\r\n\r\n";
  if (!head_only) text += body;
  return text;
}

// One connection: read the head, answer, close.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(tcp::socket socket, std::shared_ptr<const MetricsRegistry> registry)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        registry_(std::move(registry)),
        head_(kMaxRequestHead) {}

  void start() {
    timer_.expires_after(kRequestTimeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->socket_.close();
    });
    asio::async_read_until(socket_, head_, "\r\n\r\n",
                           [self = shared_from_this()](const boost::system::error_code& error,
                                                       std::size_t) { self->on_head(error); });
  }

 private:
  void on_head(const boost::system::error_code& error) {
    if (error) {  // closed, timed out, or a head past kMaxRequestHead
      answer(reply(400, "Bad Request", "text/plain", "bad request\n", false));
      return;
    }
    std::istream lines(&head_);
    std::string method;
    std::string target;
    lines >> method >> target;
    const bool head_only = method == "HEAD";
    if (method != "GET" && !head_only) {
      answer(reply(405, "Method Not Allowed", "text/plain", "GET /metrics\n", false));
    } else if (target != "/metrics" && target.rfind("/metrics?", 0) != 0) {
      answer(reply(404, "Not Found", "text/plain", "GET /metrics\n", head_only));
    } else {
      answer(reply(200, "OK", MetricsRegistry::kContentType, registry_->render_prometheus(),
                   head_only));
    }
  }

  void answer(std::string text) {
    if (!socket_.is_open()) return;
    response_ = std::move(text);
    asio::async_write(socket_, asio::buffer(response_),
                      [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                        boost::system::error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                        self->socket_.close(ignored);
                        self->timer_.cancel();
                      });
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<const MetricsRegistry> registry_;
  asio::streambuf head_;
  std::string response_;
};

}  // namespace

struct MetricsEndpoint::Impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::shared_ptr<const MetricsRegistry> registry;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
      if (error) {
        if (error == asio::error::operation_aborted) return;  // stopping
      } else {
        std::make_shared<Exchange>(std::move(socket), registry)->start();
      }
      accept();
    });
  }
};

MetricsEndpoint::MetricsEndpoint(std::shared_ptr<const MetricsRegistry> registry,
                                 const std::string& address, std::uint16_t port)
    : impl_(std::make_unique<Impl>()) {
  impl_->registry = std::move(registry);
  boost::system::error_code error;
  const auto ip = asio::ip::make_address(address, error);
  if (error) throw std::invalid_argument("--metrics-address: not an IP address: '" + address + "'");
  const tcp::endpoint endpoint(ip, port);
  impl_->acceptor.open(endpoint.protocol(), error);
  if (!error) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) impl_->acceptor.bind(endpoint, error);
  if (!error) impl_->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    throw std::invalid_argument("--metrics-port: cannot listen on " + address + ":" +
                                std::to_string(port) + ": " + error.message());
  }
  impl_->accept();
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

MetricsEndpoint::~MetricsEndpoint() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string MetricsEndpoint::url() const {
  const tcp::endpoint local = impl_->acceptor.local_endpoint();
  std::string host = local.address().to_string();
  if (local.address().is_v6()) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(local.port()) + "/metrics";
}

}  // namespace llmm::cli
