#pragma once
// HTTP/2 (RFC 9113) for the emulator: nghttp2's server session on a TLS connection that chose h2
// by ALPN, driven by two coroutines on the connection's strand (one reads and feeds nghttp2, one
// writes what nghttp2 wants sent). Each stream's request gets the ResponsePlan the same request
// gets over HTTP/1.1, and the plan's actions apply to that stream alone:
// * delay: the stream's HEADERS wait; other streams answer meanwhile;
// * stall: the stream is never answered (and stays open); the connection's other streams go on;
// * reset: RST_STREAM INTERNAL_ERROR instead of an answer;
// * goaway: GOAWAY naming the stream before this one as the last processed, and RST_STREAM
//   REFUSED_STREAM: the request was never processed, so a client may resend it safely;
// * trickle: DATA frames of a few bytes with the gap between them;
// * event-stream frames: DATA frames in their scripted rhythm; a cut after the frames is
//   RST_STREAM INTERNAL_ERROR (the stream ends without END_STREAM), a stall after them leaves the
//   stream silent.
// Flow control (automatic WINDOW_UPDATE), up to 128 concurrent streams per connection, HPACK
// and frame validation are nghttp2's: a malformed frame, a SETTINGS flood or a bad preface ends
// the connection with GOAWAY. A header block over 64 KiB resets its stream; a body over
// body_limit gets 413 ValidationException, as over HTTP/1.1. When the server stops, every
// connection gets GOAWAY NO_ERROR naming the last stream it processed.
//
// Thread-safety: a connection's state lives on its strand; GoodbyeList is thread-safe.

#include "emulator_service.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace bedrock_emulator {

// One HTTP/2 request as the server's protocol-independent part sees it. headers holds the
// regular headers plus ":authority" (so a client that signs it is verified) and "host" (the
// authority, when the client sent no host header: curl signs host and sends :authority).
struct Http2Request {
  std::string method;
  std::string target;  // :path, with the query
  HeaderList headers;
  std::string body;
};

struct Http2Options {
  std::size_t body_limit = 20 * 1024 * 1024;
  // The plan for a complete request (routing, authentication, the service; logged).
  std::function<ResponsePlan(Http2Request&)> answer;
  // Headers every reply adds (x-amzn-requestid, date), made per reply.
  std::function<HeaderList()> reply_headers;
};

// The open HTTP/2 connections' goodbyes, called when the server stops. Thread-safe.
class GoodbyeList {
 public:
  using Id = std::uint64_t;
  Id add(std::function<void()> goodbye);
  void remove(Id id);
  // Calls every registered goodbye (each posts to its own connection's strand).
  void say_goodbye();
  [[nodiscard]] bool empty() const;

 private:
  mutable std::mutex mutex_;
  Id next_ = 1;
  std::map<Id, std::function<void()>> goodbyes_;
};

// Serves the connection until the client or the server ends it. The TLS handshake is done.
boost::asio::awaitable<void> serve_http2_connection(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, Http2Options options,
    GoodbyeList& goodbyes);

}  // namespace bedrock_emulator
