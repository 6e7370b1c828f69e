#include "http2_connection.hpp"

#include "core/ascii.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iostream>
#include <memory>
#include <utility>
#include <vector>

namespace bedrock_emulator {

GoodbyeList::Id GoodbyeList::add(std::function<void()> goodbye) {
  const std::lock_guard lock(mutex_);
  const Id id = next_++;
  goodbyes_.emplace(id, std::move(goodbye));
  return id;
}

void GoodbyeList::remove(Id id) {
  const std::lock_guard lock(mutex_);
  goodbyes_.erase(id);
}

void GoodbyeList::say_goodbye() {
  std::vector<std::function<void()>> calls;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, goodbye] : goodbyes_) calls.push_back(goodbye);
  }
  for (const auto& call : calls) call();
}

bool GoodbyeList::empty() const {
  const std::lock_guard lock(mutex_);
  return goodbyes_.empty();
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using namespace std::chrono_literals;

constexpr std::size_t kTricklePiece = 8;  // as over HTTP/1.1
constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::uint32_t kMaxConcurrentStreams = 128;
// A larger window than the default 64 KiB, so a request body arrives without a stall per window.
constexpr std::int32_t kInitialWindow = 1 << 20;
constexpr std::size_t kWriteBatch = 64 * 1024;
constexpr auto kCutAfterFrames = std::chrono::milliseconds(50);

auto nothrow(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// What one stream received and what it still has to send.
struct StreamState {
  std::int32_t id = 0;
  std::string method;
  std::string path;
  std::string authority;
  HeaderList headers;
  std::size_t header_bytes = 0;
  std::string body;
  bool body_too_large = false;
  bool started = false;  // the request is complete and being answered

  std::string outbox;        // DATA bytes not yet taken by nghttp2
  bool outbox_done = false;  // no more bytes will come: END_STREAM after the outbox
  bool cut = false;          // RST_STREAM once the outbox is out (a stream cut after its frames)
  bool deferred = false;     // nghttp2 waits for resume_data
  bool closed = false;       // the stream is gone (answered, reset by either side)
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(TlsStream& stream, Http2Options options, const asio::any_io_executor& executor)
      : stream_(stream), options_(std::move(options)), executor_(executor), wake_(executor) {}

  ~Connection() {
    if (session_ != nullptr) nghttp2_session_del(session_);
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool start() {
    nghttp2_session_callbacks* callbacks = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) != 0) return false;
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &on_frame);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &on_stream_close);
    const int rv = nghttp2_session_server_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    if (rv != 0) return false;
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<std::uint32_t>(kInitialWindow)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<std::uint32_t>(kHeaderLimit)},
    };
    if (nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0)
      return false;
    // The connection-level window too, so many concurrent uploads do not queue on it.
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0, kInitialWindow * 16);
    return true;
  }

  // GOAWAY NO_ERROR: streams in flight finish; the connection closes when they have.
  void goodbye() {
    if (dead_ || session_ == nullptr) return;
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                          nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                          nullptr, 0);
    wake();
  }

  // `self` keeps the connection alive while this coroutine runs.
  asio::awaitable<void> read_loop(std::shared_ptr<Connection> self) {
    const std::shared_ptr<Connection> keep_alive = std::move(self);
    std::array<std::uint8_t, 16 * 1024> buffer{};
    while (!dead_) {
      error_code ec;
      const std::size_t n = co_await stream_.async_read_some(asio::buffer(buffer), nothrow(ec));
      if (ec || dead_) break;
      const auto consumed = nghttp2_session_mem_recv(session_, buffer.data(), n);
      if (consumed < 0) {
        // nghttp2 has queued a GOAWAY for protocol errors it detects; make sure of one for the
        // rest (a bad preface, a flood), then let the writer flush it and end.
        nghttp2_session_terminate_session(session_, NGHTTP2_PROTOCOL_ERROR);
        reading_failed_ = true;
        break;
      }
      wake();
    }
    if (!reading_failed_) dead_ = true;
    reader_done_ = true;
    wake();
  }

  asio::awaitable<void> write_loop() {
    std::string output;
    while (!dead_) {
      output.clear();
      while (output.size() < kWriteBatch) {
        const std::uint8_t* data = nullptr;
        const auto n = nghttp2_session_mem_send(session_, &data);
        if (n < 0) {
          dead_ = true;
          break;
        }
        if (n == 0) break;
        output.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
      }
      if (!output.empty()) {
        error_code ec;
        co_await asio::async_write(stream_, asio::buffer(output), nothrow(ec));
        if (ec) dead_ = true;
        continue;
      }
      if (dead_ || reading_failed_) break;
      if (nghttp2_session_want_read(session_) == 0 && nghttp2_session_want_write(session_) == 0)
        break;
      wake_.expires_at(asio::steady_timer::time_point::max());
      error_code ec;
      co_await wake_.async_wait(nothrow(ec));  // woken by cancel(): new bytes, new output
    }
    dead_ = true;
    for (auto& [id, state] : streams_) state->closed = true;
    error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).socket().close(ec);
    // The stream is the caller's: its pending read must complete before the caller may free it.
    while (!reader_done_) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(nothrow(ec));
    }
  }

 private:
  void wake() { wake_.cancel(); }

  static Connection& of(void* user) { return *static_cast<Connection*>(user); }

  StreamState* state_of(std::int32_t id) {
    auto* data = nghttp2_session_get_stream_user_data(session_, id);
    return static_cast<StreamState*>(data);
  }

  static int on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    Connection& self = of(user);
    auto state = std::make_shared<StreamState>();
    state->id = frame->hd.stream_id;
    nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, state.get());
    self.streams_.emplace(frame->hd.stream_id, std::move(state));
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name_bytes,
                       std::size_t name_length, const std::uint8_t* value_bytes,
                       std::size_t value_length, std::uint8_t, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    StreamState* state = of(user).state_of(frame->hd.stream_id);
    if (state == nullptr || state->started) return 0;  // trailers: ignored
    state->header_bytes += name_length + value_length + 32;
    // Over the limit: nghttp2 resets this stream alone (the connection goes on).
    if (state->header_bytes > kHeaderLimit) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    std::string name(reinterpret_cast<const char*>(name_bytes), name_length);
    std::string value(reinterpret_cast<const char*>(value_bytes), value_length);
    if (name == ":method")
      state->method = std::move(value);
    else if (name == ":path")
      state->path = std::move(value);
    else if (name == ":authority")
      state->authority = std::move(value);
    else if (!name.starts_with(':'))
      state->headers.emplace_back(std::move(name), std::move(value));
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t stream_id,
                           const std::uint8_t* data, std::size_t length, void* user) {
    Connection& self = of(user);
    StreamState* state = self.state_of(stream_id);
    if (state == nullptr) return 0;
    if (state->body.size() + length > self.options_.body_limit) {
      state->body_too_large = true;  // counted and dropped; answered 413 at END_STREAM
      state->body.clear();
      state->body.shrink_to_fit();
      return 0;
    }
    if (!state->body_too_large) state->body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    Connection& self = of(user);
    if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) {
      return 0;
    }
    const auto found = self.streams_.find(frame->hd.stream_id);
    if (found == self.streams_.end() || found->second->started) return 0;
    found->second->started = true;
    asio::co_spawn(self.executor_, self.answer_stream(self.shared_from_this(), found->second),
                   [](const std::exception_ptr& error) {
                     if (!error) return;
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       std::cerr << "bedrock-emulator: HTTP/2 stream ended by an exception: "
                                 << e.what() << "\n";
                     }
                   });
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t stream_id, std::uint32_t, void* user) {
    Connection& self = of(user);
    const auto found = self.streams_.find(stream_id);
    if (found == self.streams_.end()) return 0;
    found->second->closed = true;
    self.streams_.erase(found);  // a running answer_stream keeps its own reference
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, std::int32_t, std::uint8_t* buffer, std::size_t length,
                           std::uint32_t* flags, nghttp2_data_source* source, void*) {
    auto* state = static_cast<StreamState*>(source->ptr);
    if (state->outbox.empty()) {
      // nghttp2 answers this with RST_STREAM INTERNAL_ERROR, after the DATA already sent.
      if (state->cut) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
      if (state->outbox_done) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        return 0;
      }
      state->deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
    const std::size_t n = std::min(length, state->outbox.size());
    // DATA frame bytes, not a C string: nothing to terminate.
    std::memcpy(buffer, state->outbox.data(), n);  // NOLINT(bugprone-not-null-terminated-result)
    state->outbox.erase(0, n);
    if (state->outbox.empty() && state->outbox_done) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }

  // More DATA for a stream that already has its HEADERS out.
  void push(StreamState& state, std::string_view bytes, bool last) {
    if (state.closed || dead_) return;
    state.outbox.append(bytes);
    state.outbox_done = last;
    if (state.deferred) {
      state.deferred = false;
      nghttp2_session_resume_data(session_, state.id);
    }
    wake();
  }

  void reset(StreamState& state) {
    if (state.closed || dead_) return;
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, state.id, NGHTTP2_INTERNAL_ERROR);
    wake();
  }

  // GOAWAY with this stream (and every later one) unprocessed, as a server going away does;
  // the connection then ends once the streams before it are done.
  void refuse(StreamState& state) {
    if (state.closed || dead_) return;
    const std::int32_t last = std::max(0, state.id - 2);
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, last, NGHTTP2_NO_ERROR, nullptr, 0);
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, state.id, NGHTTP2_REFUSED_STREAM);
    wake();
  }

  asio::awaitable<void> pause(std::chrono::milliseconds duration) {
    if (duration <= 0ms) co_return;
    asio::steady_timer timer(executor_);
    timer.expires_after(duration);
    error_code ec;
    co_await timer.async_wait(nothrow(ec));
  }

  asio::awaitable<void> push_trickled(StreamState& state, std::string_view bytes,
                                      std::chrono::milliseconds interval, bool last) {
    if (interval <= 0ms) {
      push(state, bytes, last);
      co_return;
    }
    for (std::size_t at = 0; at < bytes.size(); at += kTricklePiece) {
      if (at != 0) co_await pause(interval);
      const bool final_piece = at + kTricklePiece >= bytes.size();
      push(state, bytes.substr(at, kTricklePiece), last && final_piece);
    }
    if (bytes.empty()) push(state, {}, last);
  }

  bool submit_headers(StreamState& state, const ResponsePlan& plan) {
    std::vector<std::pair<std::string, std::string>> fields;
    fields.emplace_back(":status", std::to_string(plan.status));
    for (const auto& [name, value] : plan.headers) {
      std::string key = llmm::core::to_lower_ascii(name);
      // Connection-specific fields are forbidden in HTTP/2 (RFC 9113 §8.2.2).
      if (key == "connection" || key == "transfer-encoding" || key == "keep-alive" ||
          key == "content-length")
        continue;
      if (key.find_first_of("\r\n") != std::string::npos ||
          value.find_first_of("\r\n") != std::string::npos)
        continue;
      fields.emplace_back(std::move(key), value);
    }
    for (auto& field : options_.reply_headers())
      fields.emplace_back(llmm::core::to_lower_ascii(field.first), std::move(field.second));
    if (!plan.streaming) fields.emplace_back("content-length", std::to_string(plan.body.size()));
    std::vector<nghttp2_nv> nva;
    nva.reserve(fields.size());
    for (auto& [name, value] : fields) {
      nva.push_back(nghttp2_nv{reinterpret_cast<std::uint8_t*>(name.data()),
                               reinterpret_cast<std::uint8_t*>(value.data()), name.size(),
                               value.size(), NGHTTP2_NV_FLAG_NONE});  // copied by nghttp2
    }
    nghttp2_data_provider provider{};
    provider.source.ptr = &state;
    provider.read_callback = &read_body;
    return nghttp2_submit_response(session_, state.id, nva.data(), nva.size(), &provider) == 0;
  }

  // `self` keeps the connection alive until the answer is out.
  asio::awaitable<void> answer_stream(std::shared_ptr<Connection> self,
                                      std::shared_ptr<StreamState> state) {
    const std::shared_ptr<Connection> keep_alive = std::move(self);
    ResponsePlan plan;
    if (state->body_too_large) {
      plan = error_plan("ValidationException", 413,
                        "Request body exceeds the emulator's limit of " +
                            std::to_string(options_.body_limit) + " bytes.");
    } else {
      Http2Request request;
      request.method = state->method;
      request.target = state->path;
      request.headers = std::move(state->headers);
      const bool has_host = std::any_of(
          request.headers.begin(), request.headers.end(),
          [](const auto& field) { return llmm::core::iequals_ascii(field.first, "host"); });
      if (!has_host && !state->authority.empty())
        request.headers.emplace_back("host", state->authority);
      request.headers.emplace_back(":authority", state->authority);
      request.body = std::move(state->body);
      plan = options_.answer(request);
    }
    co_await pause(plan.delay_before_headers);
    if (state->closed || dead_) co_return;
    if (plan.reset) {
      reset(*state);
      co_return;
    }
    if (plan.stall) co_return;  // silent: the client's read timeout or reset ends the stream
    if (plan.goaway) {
      refuse(*state);
      co_return;
    }
    if (!submit_headers(*state, plan)) {
      reset(*state);
      co_return;
    }
    wake();
    if (!plan.streaming) {
      co_await push_trickled(*state, plan.body, plan.trickle_interval, true);
      co_return;
    }
    for (const StreamFrame& frame : plan.frames) {
      co_await pause(frame.delay_before);
      if (state->closed || dead_) co_return;
      co_await push_trickled(*state, frame.bytes, plan.trickle_interval, false);
    }
    if (plan.stall_after_frames) co_return;
    if (plan.cut_after_frames) {
      // Not reset(): an RST_STREAM submitted now would overtake the DATA still queued. And the
      // frames get a moment on the wire first: a client (curl among them) may drop DATA that
      // arrives in the same read as the RST_STREAM, and the scenario means "these frames, then
      // the cut", as the HTTP/1.1 close after the last chunk does.
      co_await pause(kCutAfterFrames);
      state->cut = true;
      push(*state, {}, false);
      co_return;
    }
    push(*state, {}, true);
  }

  TlsStream& stream_;
  Http2Options options_;
  asio::any_io_executor executor_;
  asio::steady_timer wake_;
  nghttp2_session* session_ = nullptr;
  std::map<std::int32_t, std::shared_ptr<StreamState>> streams_;
  bool dead_ = false;
  bool reading_failed_ = false;  // a protocol error: flush the GOAWAY, then close
  bool reader_done_ = false;
};

}  // namespace

asio::awaitable<void> serve_http2_connection(TlsStream& stream, Http2Options options,
                                             GoodbyeList& goodbyes) {
  const auto executor = co_await asio::this_coro::executor;
  // No stream timeouts here: an idle HTTP/2 connection may stay (as an idle HTTP/1.1 one), and
  // one stream's write must not time out another's read. Flow control bounds what waits.
  beast::get_lowest_layer(stream).expires_never();
  auto connection = std::make_shared<Connection>(stream, std::move(options), executor);
  if (!connection->start()) co_return;
  const std::weak_ptr<Connection> weak = connection;
  const GoodbyeList::Id id = goodbyes.add([weak, executor] {
    asio::post(executor, [weak] {
      if (const auto live = weak.lock()) live->goodbye();
    });
  });
  asio::co_spawn(executor, connection->read_loop(connection), [](const std::exception_ptr&) {});
  co_await connection->write_loop();
  goodbyes.remove(id);
}

}  // namespace bedrock_emulator
