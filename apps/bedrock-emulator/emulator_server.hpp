#pragma once
// The emulator's HTTP front (HTTP/1.1; with TLS also HTTP/2, chosen by ALPN, see
// http2_connection.hpp): accepts connections on N io_context threads (one coroutine per
// connection, no thread per connection), parses requests, routes them on the raw path,
// authenticates them (sigv4_verifier), asks the EmulatorService for a ResponsePlan and carries
// it out (delays, stalls, resets, trickles, chunked event streams). Also serves the admin API
// under /_emulator/ to loopback peers. Boost stays inside emulator_server.cpp and the HTTP/2
// connection.
//
//   EmulatorServer server({.port = 0, .threads = 2}, service, CredentialStore::defaults(), log);
//   std::cout << "listening on 127.0.0.1:" << server.port() << std::endl;
//   server.run();  // until stop() or, with handle_signals, SIGINT/SIGTERM
//
// Answers the server gives itself (everything else comes from the EmulatorService):
// * unknown route: 404 UnknownOperationException; but POST /model/<id with a literal '/'>/converse
//   (-stream) gets 200 with a Coral UnknownOperationException body, as the real service does
//   (wire doc §1.3), so clients are tested against that trap;
// * unparseable HTTP: 400 ValidationException, then close; body over body_limit: 413
//   ValidationException, then close (unread request bytes are drained for 2 s first);
// * authentication failures: see sigv4_verifier.hpp; the admin API to a non-loopback peer: 403
//   AccessDeniedException. Admin requests are not written to the request log or the counters;
// * an exception while answering: 500 InternalServerException (or the connection closes).
// An idle keep-alive connection may stay open forever; once a request's first byte is in, the
// rest must arrive within 60 s. Every reply carries x-amzn-RequestId and Date, and Content-Length
// unless it is an event stream (chunked).

#include "emulator_service.hpp"
#include "request_log.hpp"
#include "sigv4_verifier.hpp"
#include "tls_identity.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace bedrock_emulator {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the kernel picks a free port, see port()
  int threads = 1;
  // Larger request bodies get 413 with a ValidationException body, and the connection closes.
  std::size_t body_limit = 20 * 1024 * 1024;
  bool handle_signals = false;  // stop on SIGINT / SIGTERM (the executable sets this)
  // HTTPS beside plaintext HTTP/1.1 on the same port: a connection whose first byte starts a TLS
  // record must complete its handshake (TLS 1.2 or 1.3) with this identity within 10 s, or it is
  // dropped (and counted, see RequestLog); any other connection is served plaintext HTTP/1.1, so
  // the admin API and raw-socket tools keep working.
  std::optional<TlsIdentity> tls;
  // With tls: offer HTTP/2 by ALPN beside http/1.1 (a client that offers h2 gets it).
  bool http2 = true;
};

class EmulatorServer {
 public:
  // Binds and listens at once, so port() is known before run(). Throws std::runtime_error when
  // the address cannot be bound. `service` and `log` must outlive the server.
  EmulatorServer(ServerOptions options, EmulatorService& service, CredentialStore credentials,
                 RequestLog& log);
  // Stops, joins the threads started by start(), and closes every connection.
  ~EmulatorServer();
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;

  // Serves on options.threads threads, the calling one included, until stop() or a signal.
  void run();
  // Serves on background threads and returns at once (in-process tests).
  void start();
  // Thread-safe and idempotent; also safe from inside a request.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bedrock_emulator
