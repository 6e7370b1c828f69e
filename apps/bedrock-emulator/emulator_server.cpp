#include "emulator_server.hpp"
#include "http2_connection.hpp"
#include "query_string.hpp"

// GCC 12 with -fsanitize (other inlining) reports two false positives inside Boost 1.74:
// -Wmismatched-new-delete on Asio's recycled coroutine frames (its own operator new/delete pair)
// and -Wmaybe-uninitialized in Beast's optional content length. Neither is in this file's code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "credential_services.hpp"

#include "core/uuid.hpp"
#include "protocol/uri_encoding.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <thread>

namespace bedrock_emulator {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

// Trickled bodies and frames go out this many bytes per write.
constexpr std::size_t kTricklePiece = 8;
// How long a blocked write may take before the connection is dropped.
constexpr auto kWriteTimeout = 60s;
// After an error reply that closes the connection, unread request bytes are drained this long,
// so the client reads our reply instead of a reset.
constexpr auto kDrainTime = 2s;
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;
// Once the first byte of a request is in, the whole request must arrive within this time.
constexpr auto kRequestReadTimeout = 60s;
// How long HTTP/2 streams in flight may go on after the GOAWAY of a server that stops.
constexpr auto kGoodbyeGrace = 200ms;
constexpr unsigned char kTlsHandshakeRecord = 0x16;
// A TLS client must finish its handshake in this time.
constexpr auto kHandshakeTimeout = 10s;
// The first read of an idle connection: small, so thousands of idle connections stay cheap.
constexpr std::size_t kFirstRead = 1024;

// The completion of a detached coroutine: an escaped exception is reported, never rethrown
// into io_context::run() (which would end the process).
auto report_escape(const char* what) {
  return [what](const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "bedrock-emulator: " << what << " ended by an exception: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "bedrock-emulator: " << what << " ended by an unknown exception\n";
    }
  };
}

auto nothrow(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 7231 IMF-fixdate for the Date header (clients estimate their clock skew from it).
std::string http_date(std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto secs = floor<seconds>(now);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{secs - day};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT",
                kDays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

std::string reason_phrase(int status) {
  const auto reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status)));
  if (reason.empty() || reason.front() == '<') return "Unknown";
  return std::string(reason);
}

// Request bytes quoted in a message: printable ASCII only, so the JSON stays valid UTF-8.
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 200));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  }
  return out;
}

bool is_disconnect(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor ||
         ec == asio::error::broken_pipe || ec == beast::error::timeout;
}

struct Route {
  Operation operation;
  std::string raw_id;  // still percent-encoded; empty for the List operations
};

// Routing on the raw path (wire doc §1.3): a model id is exactly one segment.
std::optional<Route> route(std::string_view method, std::string_view path) {
  const auto one_segment = [](std::string_view s) {
    return !s.empty() && s.find('/') == std::string_view::npos;
  };
  if (method == "POST" && path.starts_with("/model/")) {
    const std::string_view rest = path.substr(7);
    for (const auto& [suffix, operation] :
         {std::pair{std::string_view("/converse"), Operation::Converse},
          std::pair{std::string_view("/converse-stream"), Operation::ConverseStream}}) {
      if (rest.ends_with(suffix) && one_segment(rest.substr(0, rest.size() - suffix.size()))) {
        return Route{operation, std::string(rest.substr(0, rest.size() - suffix.size()))};
      }
    }
    return std::nullopt;
  }
  if (method != "GET") return std::nullopt;
  if (path == "/foundation-models") return Route{Operation::ListFoundationModels, {}};
  if (path == "/inference-profiles") return Route{Operation::ListInferenceProfiles, {}};
  if (path.starts_with("/foundation-models/") && one_segment(path.substr(19))) {
    return Route{Operation::GetFoundationModel, std::string(path.substr(19))};
  }
  if (path.starts_with("/inference-profiles/") && one_segment(path.substr(20))) {
    return Route{Operation::GetInferenceProfile, std::string(path.substr(20))};
  }
  return std::nullopt;
}

// A model ARN sent with a literal '/' (POST /model/arn:...:inference-profile/x/converse): the
// real service answers 200 with a Coral UnknownOperationException body (wire doc §1.3), a trap
// clients must not read as success, so the emulator reproduces it.
bool is_literal_slash_model_path(std::string_view method, std::string_view path) {
  return method == "POST" && path.starts_with("/model/") &&
         (path.ends_with("/converse") || path.ends_with("/converse-stream"));
}

ResponsePlan unknown_operation_200() {
  ResponsePlan plan;
  plan.status = 200;
  plan.headers = {{"Content-Type", "application/json"}};
  plan.body =
      R"({"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"})";
  plan.outcome = "200 UnknownOperationException";
  return plan;
}

ResponsePlan ok_json(std::string body) {
  ResponsePlan plan;
  plan.headers = {{"Content-Type", "application/json"}};
  plan.body = std::move(body);
  plan.outcome = "200";
  return plan;
}

bool is_loopback(const asio::ip::address& address) {
  if (address.is_loopback()) return true;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return false;
}

// Keeps the open-connection gauge right however a session ends (including io_context teardown).
class ConnectionCount {
 public:
  explicit ConnectionCount(RequestLog& log) : log_(log) { log_.connection_opened(); }
  ~ConnectionCount() { log_.connection_closed(); }
  ConnectionCount(const ConnectionCount&) = delete;
  ConnectionCount& operator=(const ConnectionCount&) = delete;

 private:
  RequestLog& log_;
};

// ALPN protocol lists are length-prefixed strings.
constexpr unsigned char kAlpnH2AndHttp11[] = {2,   'h', '2', 8,   'h', 't',
                                              't', 'p', '/', '1', '.', '1'};
constexpr unsigned char kAlpnHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// The server's ALPN choice: its own preference order (h2 first when offered), so a client that
// offers both gets HTTP/2, one that offers none gets HTTP/1.1.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length,
                const unsigned char* offered, unsigned int offered_length, void* arg) {
  const bool http2 = arg != nullptr;
  const unsigned char* ours = http2 ? kAlpnH2AndHttp11 : kAlpnHttp11;
  const unsigned int ours_length = http2 ? sizeof kAlpnH2AndHttp11 : sizeof kAlpnHttp11;
  unsigned char* chosen = nullptr;
  if (SSL_select_next_proto(&chosen, out_length, ours, ours_length, offered, offered_length) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;  // no overlap: go on without ALPN, that is HTTP/1.1
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

std::unique_ptr<asio::ssl::context> make_tls_context(const TlsIdentity& identity, bool http2) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  // TLS 1.2 and 1.3 only, as AWS endpoints (and the SDKs' minimum).
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::single_dh_use);
  context->use_certificate_chain(asio::buffer(identity.certificate_pem));
  context->use_private_key(asio::buffer(identity.private_key_pem), asio::ssl::context::pem);
  SSL_CTX_set_alpn_select_cb(context->native_handle(), &select_alpn,
                             http2 ? context.get() : nullptr);
  return context;
}

std::string negotiated_protocol(SSL* ssl) {
  const unsigned char* data = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(ssl, &data, &length);
  if (length == 0) return "http/1.1";
  return std::string(reinterpret_cast<const char*>(data), length);
}

}  // namespace

struct EmulatorServer::Impl {
  ServerOptions options;
  EmulatorService& service;
  CredentialStore credentials;
  CredentialServices credential_services{credentials};  // STS, SSO, IMDS, container endpoint
  RequestLog& log;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
  std::unique_ptr<asio::ssl::context> tls_context;  // null: plaintext
  GoodbyeList goodbyes;                             // the open HTTP/2 connections
  asio::steady_timer goodbye_grace{ioc};

  Impl(ServerOptions opts, EmulatorService& svc, CredentialStore creds, RequestLog& request_log)
      : options(std::move(opts)),
        service(svc),
        credentials(std::move(creds)),
        log(request_log),
        ioc(std::max(1, options.threads)),
        acceptor(ioc) {
    error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) throw std::runtime_error("cannot listen: '" + options.host + "' is not an IP address");
    const tcp::endpoint endpoint(address, options.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + options.host + ":" +
                               std::to_string(options.port) + ": " + ec.message());
    }
    if (options.tls) {
      try {
        tls_context = make_tls_context(*options.tls, options.http2);
      } catch (const boost::system::system_error& error) {
        throw std::runtime_error(std::string("cannot use the TLS certificate and key: ") +
                                 error.what());
      }
    }
    if (options.handle_signals) {
      signals.emplace(ioc, SIGINT, SIGTERM);
      signals->async_wait([this](const error_code& error, int) {
        if (!error) stop();
      });
    }
    asio::co_spawn(ioc, accept_loop(), report_escape("accept loop"));
  }

  // HTTP/2 connections get a GOAWAY first, and their streams in flight a moment to finish.
  void stop() {
    if (goodbyes.empty()) {
      ioc.stop();
      return;
    }
    asio::post(ioc, [this] {
      error_code ec;
      acceptor.close(ec);
      goodbyes.say_goodbye();
      goodbye_grace.expires_after(kGoodbyeGrace);
      goodbye_grace.async_wait([this](const error_code&) { ioc.stop(); });
    });
  }

  asio::awaitable<void> accept_loop() {
    asio::steady_timer backoff(ioc);
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc), nothrow(ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        // Out of descriptors or a similar transient failure: pause instead of spinning.
        std::cerr << "bedrock-emulator: accept failed: " << ec.message() << "\n";
        backoff.expires_after(50ms);
        co_await backoff.async_wait(nothrow(ec));
        continue;
      }
      const auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket)), report_escape("session"));
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    const ConnectionCount count(log);
    error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    const bool loopback_peer = !ec && is_loopback(peer.address());
    socket.set_option(tcp::no_delay(true), ec);
    // With TLS the port still answers plaintext HTTP/1.1 (the admin API, raw-socket tests): a
    // TLS connection starts with a handshake record (0x16), an HTTP request with a letter.
    bool plaintext = !tls_context;
    if (!plaintext) {
      unsigned char first = 0;
      co_await socket.async_receive(asio::buffer(&first, 1), tcp::socket::message_peek,
                                    nothrow(ec));
      if (ec) co_return;
      plaintext = first != kTlsHandshakeRecord;
    }
    if (plaintext) {
      beast::tcp_stream stream(std::move(socket));
      co_await http1_session(stream, loopback_peer);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_context);
    // A client that never finishes its handshake (or speaks plaintext here) is dropped.
    beast::get_lowest_layer(stream).expires_after(kHandshakeTimeout);
    co_await stream.async_handshake(asio::ssl::stream_base::server, nothrow(ec));
    if (ec) {
      log.tls_handshake_failed();
      co_return;
    }
    const std::string protocol = negotiated_protocol(stream.native_handle());
    log.tls_handshake_done(protocol);
    if (protocol == "h2") {
      co_await serve_http2(stream, loopback_peer);
      co_return;
    }
    co_await http1_session(stream, loopback_peer);
  }

  template <class Stream>
  asio::awaitable<void> http1_session(Stream& stream, bool loopback_peer) {
    error_code ec;
    beast::flat_buffer buffer;
    bool failed = false;
    try {
      for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(options.body_limit);
        if (buffer.size() == 0) {
          // Idle keep-alive connections may wait as long as they like for their next request...
          beast::get_lowest_layer(stream).expires_never();
          const std::size_t n =
              co_await stream.async_read_some(buffer.prepare(kFirstRead), nothrow(ec));
          if (ec) co_return;
          buffer.commit(n);
        }
        // ...but a request that has started must arrive in reasonable time (half-open junk).
        beast::get_lowest_layer(stream).expires_after(kRequestReadTimeout);
        co_await http::async_read_header(stream, buffer, parser, nothrow(ec));
        if (!ec && !parser.is_done()) {
          const auto expect = parser.get()[http::field::expect];
          if (iequals(std::string_view(expect.data(), expect.size()), "100-continue")) {
            static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            co_await asio::async_write(stream, asio::buffer(kContinue), nothrow(ec));
            if (ec) co_return;
          }
          co_await http::async_read(stream, buffer, parser, nothrow(ec));
        }
        if (ec) {
          if (is_disconnect(ec)) co_return;
          // Plain locals: GCC mishandles temporaries inside co_await expressions.
          std::string method;
          std::string target;
          if (parser.is_header_done()) {
            method = std::string(parser.get().method_string());
            target = std::string(parser.get().target());
          }
          const error_code why = ec;
          co_await reject_unreadable(stream, why, std::move(method), std::move(target));
          co_return;
        }
        const bool keep_alive = co_await serve(stream, parser.release(), loopback_peer);
        if (!keep_alive) co_return;
      }
    } catch (const std::exception& error) {
      std::cerr << "bedrock-emulator: session error: " << error.what() << "\n";
      failed = true;
    }
    if (failed) {
      // Best effort; co_await is not allowed inside the handler itself.
      const ResponsePlan plan =
          error_plan("InternalServerException", 500, "The emulator failed to answer.");
      co_await write_all(stream, head_of(plan, plan.body.size(), false) + plan.body, ec);
    }
  }

  // 413 for a body over the limit, 400 for anything unparseable; then the connection closes.
  template <class Stream>
  asio::awaitable<void> reject_unreadable(Stream& stream, error_code why, std::string method,
                                          std::string target) {
    ResponsePlan plan =
        why == http::error::body_limit
            ? error_plan("ValidationException", 413,
                         "Request body exceeds the emulator's limit of " +
                             std::to_string(options.body_limit) + " bytes.")
            : error_plan("ValidationException", 400, "Malformed HTTP request: " + why.message());
    LogEntry entry;
    entry.time = std::chrono::system_clock::now();
    entry.method = std::move(method);
    entry.path = target.substr(0, target.find('?'));
    entry.outcome = plan.outcome;
    log.record(std::move(entry));

    error_code ec;
    // clang-tidy 14 counts the coroutine frame's own copy of the parameters at each suspension
    // as a use of `method`; nothing reads it after the move above.
    // NOLINTNEXTLINE(bugprone-use-after-move)
    co_await write_all(stream, head_of(plan, plan.body.size(), false) + plan.body, ec);
    if (ec) co_return;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
    // Drain what the client is still sending, so closing does not reset the reply away.
    beast::get_lowest_layer(stream).expires_after(kDrainTime);
    std::vector<char> sink(64 * 1024);
    std::size_t drained = 0;
    while (drained < kDrainLimit) {
      const std::size_t n = co_await stream.async_read_some(asio::buffer(sink), nothrow(ec));
      if (ec) break;
      drained += n;
    }
  }

  std::string head_of(const ResponsePlan& plan, std::size_t content_length, bool keep_alive) const {
    std::string head =
        "HTTP/1.1 " + std::to_string(plan.status) + " " + reason_phrase(plan.status) + "\r\n";
    for (const auto& [name, value] : plan.headers) {
      // A CR or LF from a scenario must not split the response.
      if (name.find_first_of("\r\n") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos)
        continue;
      head += name + ": " + value + "\r\n";
    }
    head += "x-amzn-RequestId: " + llmm::core::random_uuid_v4() + "\r\n";
    head += "Date: " + http_date(std::chrono::system_clock::now()) + "\r\n";
    if (plan.streaming) {
      head += "Transfer-Encoding: chunked\r\n";
    } else {
      head += "Content-Length: " + std::to_string(content_length) + "\r\n";
    }
    if (!keep_alive) head += "Connection: close\r\n";
    return head + "\r\n";
  }

  // Takes the bytes by value: they then live in the coroutine frame until the write is done.
  template <class Stream>
  asio::awaitable<void> write_all(Stream& stream, std::string bytes, error_code& ec) {
    beast::get_lowest_layer(stream).expires_after(kWriteTimeout);
    co_await asio::async_write(stream, asio::buffer(bytes), nothrow(ec));
  }

  asio::awaitable<void> pause(std::chrono::milliseconds duration) {
    if (duration <= 0ms) co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(duration);
    error_code ec;
    co_await timer.async_wait(nothrow(ec));
  }

  // Waits `duration`, looking every 20 ms whether the client has closed the connection (a peek
  // that reads 0 bytes): a client that gave up, as a request timeout or a cancel does, ends the
  // wait, and the answer is not sent; true then. Polled, not a second wait on the socket, so
  // that nothing but this coroutine touches the connection. On TLS a client's close_notify is
  // data, so only a bare close is seen there.
  template <class Stream>
  asio::awaitable<bool> pause_unless_abandoned(Stream& stream, std::chrono::milliseconds duration) {
    if (duration <= 0ms) co_return false;
    const int fd = beast::get_lowest_layer(stream).socket().native_handle();
    const auto end = std::chrono::steady_clock::now() + duration;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (auto now = std::chrono::steady_clock::now(); now < end;
         now = std::chrono::steady_clock::now()) {
      timer.expires_after(std::min<std::chrono::steady_clock::duration>(end - now, 20ms));
      error_code ec;
      co_await timer.async_wait(nothrow(ec));
      char byte = 0;
      if (::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) co_return true;
    }
    co_return false;
  }

  // Writes bytes, a few at a time with `interval` between when trickling.
  template <class Stream>
  asio::awaitable<void> write_trickled(Stream& stream, std::string_view bytes,
                                       std::chrono::milliseconds interval, error_code& ec) {
    if (interval <= 0ms) {
      co_await write_all(stream, std::string(bytes), ec);
      co_return;
    }
    for (std::size_t at = 0; at < bytes.size() && !ec; at += kTricklePiece) {
      if (at != 0) co_await pause(interval);
      co_await write_all(stream, std::string(bytes.substr(at, kTricklePiece)), ec);
    }
  }

  ResponsePlan admin(std::string_view method, std::string_view path, const std::string& body,
                     bool loopback_peer) {
    if (!loopback_peer) {
      return error_plan("AccessDeniedException", 403,
                        "The emulator's admin API answers loopback clients only.");
    }
    if (auto answer = credential_services.admin(method, path, body)) return std::move(*answer);
    if (path == "/_emulator/scenario" && method == "PUT") {
      if (auto problem = service.set_scenario(body))
        return error_plan("ValidationException", 400, *problem);
      return ok_json(service.scenario_json());
    }
    if (path == "/_emulator/scenario" && method == "GET") return ok_json(service.scenario_json());
    if (path == "/_emulator/quotas") {
      if (method == "GET") return ok_json(service.quotas_json());
      if (method == "PUT") {
        if (auto problem = service.set_quotas(body))
          return error_plan("ValidationException", 400, *problem);
        return ok_json(service.quotas_json());
      }
      if (method == "DELETE") {
        service.set_quotas(std::vector<QuotaRule>{});
        return ok_json(service.quotas_json());
      }
    }
    if (path == "/_emulator/requests" && method == "GET") return ok_json(log.requests_json());
    if (path == "/_emulator/counters" && method == "GET") return ok_json(log.counters_json());
    if (path == "/_emulator/reset" && method == "POST") {
      service.reset();
      log.reset();
      return ok_json("{}");
    }
    return error_plan("ResourceNotFoundException", 404,
                      "No admin endpoint " + printable(method) + " " + printable(path) + ".");
  }

  // Routing, authentication and the service's answer: everything but the I/O.
  ResponsePlan decide(std::string_view method, std::string_view path, std::string_view raw_query,
                      const HeaderList& headers, std::string& body, LogEntry& entry) {
    if (auto answer =
            credential_services.handle(method, path, raw_query, headers, body,
                                       std::chrono::system_clock::now(), entry.operation)) {
      return std::move(*answer);
    }
    const auto matched = route(method, path);
    if (!matched) {
      if (is_literal_slash_model_path(method, path)) return unknown_operation_200();
      return error_plan("UnknownOperationException", 404,
                        "Unknown operation " + printable(method) + " " + printable(path));
    }
    entry.operation = std::string(operation_name(matched->operation));
    ServiceRequest request;
    request.operation = matched->operation;
    if (!matched->raw_id.empty()) {
      const auto decoded = llmm::protocol::uri_decode(matched->raw_id);
      if (!decoded) {
        return error_plan("ValidationException", 400,
                          "The path holds an invalid percent-encoding.");
      }
      request.resource_id = *decoded;
      entry.model = *decoded;
    }
    request.query = parse_query(raw_query);

    const AuthOutcome auth =
        verify_request(credentials, ReceivedRequest{method, path, &request.query, &headers, body},
                       std::chrono::system_clock::now());
    entry.signed_headers = auth.signed_headers;
    if (!auth.ok) return error_plan(auth.exception, auth.status, auth.message);
    entry.region = auth.region;
    request.region = auth.region;
    for (const auto& [name, value] : headers) {
      if (iequals(name, "content-type")) {
        request.content_type = value;
        break;
      }
    }
    request.body = std::move(body);
    try {
      return service.handle(request);
    } catch (const std::exception& error) {
      std::cerr << "bedrock-emulator: service error: " << error.what() << "\n";
      return error_plan("InternalServerException", 500, "The emulator failed to answer.");
    }
  }

  // What to do with one request: the admin API, or routing, authentication and the service's
  // plan, logged before the plan runs (a stall never finishes). HTTP/1.1 and HTTP/2 both use it.
  ResponsePlan answer(const std::string& method, const std::string& target,
                      const HeaderList& headers, std::string body, bool loopback_peer) {
    const std::size_t question = target.find('?');
    const std::string path = target.substr(0, question);
    const std::string raw_query =
        question == std::string::npos ? std::string() : target.substr(question + 1);
    if (path == "/_emulator" || path.starts_with("/_emulator/"))
      return admin(method, path, body, loopback_peer);
    LogEntry entry;
    entry.time = std::chrono::system_clock::now();
    entry.method = method;
    entry.path = path;
    entry.body_size = body.size();
    if (log.keeps_bodies()) entry.body = body;  // copied: decide() moves it on
    ResponsePlan plan = decide(method, path, raw_query, headers, body, entry);
    if (!plan.model_id.empty()) entry.model = plan.model_id;
    entry.outcome = plan.outcome.empty() ? std::to_string(plan.status) : plan.outcome;
    entry.rule = plan.rule_name;
    log.record(std::move(entry));
    return plan;
  }

  // Answers one request; returns whether the connection stays open.
  template <class Stream>
  asio::awaitable<bool> serve(Stream& stream, http::request<http::string_body> request,
                              bool loopback_peer) {
    HeaderList headers;
    for (const auto& field : request)
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    const ResponsePlan plan =
        answer(std::string(request.method_string()), std::string(request.target()), headers,
               std::move(request.body()), loopback_peer);
    co_return co_await execute(stream, plan, request.keep_alive());
  }

  // HTTP/2 (http2_connection.hpp) on a TLS connection that chose h2 by ALPN.
  asio::awaitable<void> serve_http2(beast::ssl_stream<beast::tcp_stream>& stream,
                                    bool loopback_peer) {
    Http2Options settings;
    settings.body_limit = options.body_limit;
    settings.answer = [this, loopback_peer](Http2Request& request) {
      return answer(request.method, request.target, request.headers, std::move(request.body),
                    loopback_peer);
    };
    settings.reply_headers = [] {
      return HeaderList{{"x-amzn-requestid", llmm::core::random_uuid_v4()},
                        {"date", http_date(std::chrono::system_clock::now())}};
    };
    co_await serve_http2_connection(stream, std::move(settings), goodbyes);
  }

  // Holds the connection, reading and discarding, until the client closes it or shutdown.
  template <class Stream>
  static asio::awaitable<void> hold_silent(Stream& stream) {
    error_code ec;
    beast::get_lowest_layer(stream).expires_never();
    std::vector<char> sink(4096);
    while (!ec) co_await stream.async_read_some(asio::buffer(sink), nothrow(ec));
  }

  template <class Stream>
  asio::awaitable<bool> execute(Stream& stream, const ResponsePlan& plan, bool keep_alive) {
    error_code ec;
    if (co_await pause_unless_abandoned(stream, plan.delay_before_headers)) {
      log.answer_abandoned();
      co_return false;
    }
    if (plan.reset) {
      // SO_LINGER 0: close() sends a RST instead of a FIN.
      beast::get_lowest_layer(stream).socket().set_option(asio::socket_base::linger(true, 0), ec);
      beast::get_lowest_layer(stream).socket().close(ec);
      co_return false;
    }
    if (plan.stall) {
      co_await hold_silent(stream);
      co_return false;
    }
    if (plan.goaway) {
      beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(stream).socket().close(ec);
      co_return false;
    }
    if (!plan.streaming) {
      const std::string head = head_of(plan, plan.body.size(), keep_alive);
      if (plan.trickle_interval <= 0ms) {
        co_await write_all(stream, head + plan.body, ec);
      } else {
        co_await write_all(stream, head, ec);
        if (!ec) co_await write_trickled(stream, plan.body, plan.trickle_interval, ec);
      }
      co_return !ec && keep_alive;
    }

    co_await write_all(stream, head_of(plan, 0, keep_alive), ec);
    for (const StreamFrame& frame : plan.frames) {
      if (ec) co_return false;
      co_await pause(frame.delay_before);
      if (frame.bytes.empty()) continue;  // an empty chunk would end the body
      char size[24];
      std::snprintf(size, sizeof size, "%zx\r\n", frame.bytes.size());
      if (plan.trickle_interval <= 0ms) {
        co_await write_all(stream, std::string(size) + frame.bytes + "\r\n", ec);
      } else {
        co_await write_all(stream, size, ec);
        if (!ec) co_await write_trickled(stream, frame.bytes, plan.trickle_interval, ec);
        if (!ec) co_await write_all(stream, "\r\n", ec);
      }
    }
    if (ec) co_return false;
    if (plan.stall_after_frames) {
      co_await hold_silent(stream);
      co_return false;
    }
    if (plan.cut_after_frames) {
      // No terminating chunk: the client sees the body end early.
      beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(stream).socket().close(ec);
      co_return false;
    }
    co_await write_all(stream, "0\r\n\r\n", ec);
    co_return !ec && keep_alive;
  }
};

EmulatorServer::EmulatorServer(ServerOptions options, EmulatorService& service,
                               CredentialStore credentials, RequestLog& log)
    : impl_(std::make_unique<Impl>(std::move(options), service, std::move(credentials), log)) {}

EmulatorServer::~EmulatorServer() {
  impl_->stop();
  for (std::thread& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

std::uint16_t EmulatorServer::port() const noexcept {
  error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void EmulatorServer::run() {
  const int extra = std::max(1, impl_->options.threads) - 1;
  for (int i = 0; i < extra; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (std::thread& thread : impl_->threads) {
    if (thread.joinable()) thread.join();
  }
}

void EmulatorServer::start() {
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
}

void EmulatorServer::stop() { impl_->stop(); }

}  // namespace bedrock_emulator
