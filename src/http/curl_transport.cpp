// Transport over libcurl's multi interface: one CURLM, one loop thread (see transport.hpp).
//
// Threading: submit(), cancel() and schedule() only append to mutex-guarded queues and call
// curl_multi_wakeup() (from the loop thread itself, a flag the loop reads before it blocks);
// everything that touches curl, every completion and every timer runs on the loop thread. User
// callbacks therefore never see curl state, and re-entrant calls from a callback (submit from
// on_complete, cancel from on_body_chunk) are just queued.
//
// Exceptions never leave the loop thread: an on_complete or timer task that throws is caught
// and ignored (the transfer is already finished, or the timer already fired); an on_body_chunk
// that throws aborts its transfer, which completes with ErrorCode::Internal.
//
// read_timeout is not curl's: curl's low-speed limits count whole seconds and also run while a
// request waits for a connection. We arm a per-transfer deadline in CURLOPT_PREREQFUNCTION (the
// connection is up, the request is about to be written), push it forward on every byte seen,
// and give the nearest deadline to curl_multi_poll as its timeout.

#include "http/transport.hpp"

#include "core/ascii.hpp"
#include "core/redacted_url.hpp"
#include "http/curl_error_mapping.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace llmm::http {
namespace {

using TimePoint = Clock::TimePoint;
using std::chrono::milliseconds;

// Upper bound on one curl_multi_poll wait. Every state change wakes the loop explicitly, so
// this is only a safety net.
constexpr int kMaxPollWaitMs = 10'000;
// Shutdown runs pending timers early so chains waiting on them see Cancelled; a task that keeps
// rescheduling itself must not keep the destructor alive forever.
constexpr int kMaxShutdownRounds = 64;

void init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) {
    throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(result));
  }
}

Error make_error(ErrorCode code, std::string message) {
  Error error;
  error.code = code;
  error.message = std::move(message);
  return error;
}

// Runs a user callback; exceptions are swallowed because there is nobody left to report to.
template <typename F>
void run_guarded(F&& f) noexcept {
  try {
    std::forward<F>(f)();
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented at the top of this file
  }
}

// Adds one raw header line as curl delivers it ("Name: value\r\n", or a status line).
void add_header_line(Headers& headers, std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return;  // the blank line closing a header block
  if (line.starts_with("HTTP/")) {
    // A new status line: 1xx interim responses (and proxy CONNECT replies) came before, and
    // only the final response's headers are reported.
    headers.clear();
    return;
  }
  if (line.front() == ' ' || line.front() == '\t') {  // obsolete line folding
    if (!headers.empty()) {
      headers.back().second += ' ';
      headers.back().second += core::trim_blanks(line);
    }
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return;
  headers.emplace_back(std::string(line.substr(0, colon)),
                       std::string(core::trim_blanks(line.substr(colon + 1))));
}

bool has_forbidden_char(std::string_view text, bool is_name) {
  return std::any_of(text.begin(), text.end(), [is_name](char c) {
    return c == '\r' || c == '\n' || c == '\0' || (is_name && (c == ':' || c == ' '));
  });
}

// "POST https://host:443/path": what error messages may show. No query (it can carry
// presigned material), no userinfo, no headers, no body.
struct Target {
  std::string text;
  bool https = false;
};

// Read by hand rather than with curl_url (which allocates a handle and a string per part): the
// URL is one the library built (Endpoint::url_for), "scheme://[userinfo@]host[:port][/path][?q]";
// curl itself rejects anything malformed when the transfer starts.
Target describe_target(const HttpRequest& request) {
  const std::string_view url = request.url;
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0)
    return {request.method + " <unparsable url>", false};
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  std::string_view path = rest.substr(authority_end);
  path = path.substr(0, std::min(path.find_first_of("?#"), path.size()));
  // The port, unless the authority ends with one (an IPv6 literal's colons are inside []).
  const std::size_t colon = authority.rfind(':');
  const bool has_port =
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos;
  Target target;
  target.https = scheme == "https";
  target.text = request.method + " " + scheme + "://" + std::string(authority);
  if (!has_port) target.text += target.https ? ":443" : (scheme == "http" ? ":80" : "");
  target.text += path.empty() ? "/" : std::string(path);
  return target;
}

// Easy handles kept for the next transfers (loop thread only): creating one and destroying it
// per request cost more than resetting one (curl_easy_reset keeps no option, callback or
// pointer of the transfer before, so a reused handle starts as a new one does).
class EasyHandlePool {
 public:
  EasyHandlePool() = default;
  EasyHandlePool(const EasyHandlePool&) = delete;
  EasyHandlePool& operator=(const EasyHandlePool&) = delete;
  ~EasyHandlePool() {
    for (CURL* easy : spare_) curl_easy_cleanup(easy);
  }

  CURL* take() {
    if (spare_.empty()) return curl_easy_init();
    CURL* easy = spare_.back();
    spare_.pop_back();
    return easy;
  }
  // Precondition: `easy` is in no multi handle.
  void give(CURL* easy) {
    if (spare_.size() >= kCapacity) {
      curl_easy_cleanup(easy);
      return;
    }
    curl_easy_reset(easy);
    spare_.push_back(easy);
  }

 private:
  static constexpr std::size_t kCapacity = 256;
  std::vector<CURL*> spare_;
};

// One request from submit() to completion. Owned by the loop (or the submit queue); curl holds
// a raw pointer to it through CURLOPT_PRIVATE and the callback user pointers.
struct Transfer {
  RequestId id = 0;
  HttpRequest request;
  RequestCallbacks callbacks;
  milliseconds read_timeout{0};
  milliseconds connect_timeout{0};
  const TransportOptions* options = nullptr;  // the transport's, which outlives the transfer
  std::size_t body_bytes = 0;                 // response body bytes received so far

  Target target;
  CURL* easy = nullptr;
  EasyHandlePool* easy_pool = nullptr;  // the transport's; null: easy is cleaned up, not kept
  curl_slist* header_list = nullptr;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  HttpResponse response;

  int prereq_calls = 0;
  bool idle_timer_armed = false;
  TimePoint idle_deadline{};
  const Clock* clock = nullptr;  // the transport's
  bool* progressed = nullptr;    // the loop's "bytes moved" flag
  curl_off_t downloaded = 0;
  curl_off_t uploaded = 0;
  AbortReason abort = AbortReason::None;

  Transfer() = default;
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;
  // Precondition: `easy` is no longer in a multi handle.
  ~Transfer() {
    if (easy != nullptr) {
      if (easy_pool != nullptr) {
        easy_pool->give(easy);
      } else {
        curl_easy_cleanup(easy);
      }
    }
    if (header_list != nullptr) curl_slist_free_all(header_list);
  }

  // Some byte moved: the silence starts over.
  void touch() {
    *progressed = true;
    if (idle_timer_armed) idle_deadline = clock->now() + read_timeout;
  }
};

// --- curl callbacks (loop thread, inside curl_multi_perform) -----------------------------------

#ifdef CURL_WRITEFUNC_ERROR
constexpr std::size_t kWriteAbort = CURL_WRITEFUNC_ERROR;
#else
constexpr std::size_t kWriteAbort = 0;
#endif

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t total = size * count;
  transfer->touch();
  try {
    add_header_line(transfer->response.headers, std::string_view(data, total));
  } catch (...) {
    transfer->abort = AbortReason::CallbackThrew;
    return kWriteAbort;
  }
  return total;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t total = size * count;
  transfer->touch();
  transfer->body_bytes += total;
  if (transfer->body_bytes > transfer->options->max_response_bytes) {
    transfer->abort = AbortReason::ResponseTooLarge;
    return kWriteAbort;
  }
  try {
    long status = 0;
    curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
    if (transfer->callbacks.on_body_chunk && status >= 200 && status < 300) {
      if (!transfer->callbacks.on_body_chunk(std::string_view(data, total))) {
        transfer->abort = AbortReason::Caller;
        return kWriteAbort;
      }
    } else {
      transfer->response.body.append(data, total);
    }
  } catch (...) {
    transfer->abort = AbortReason::CallbackThrew;
    return kWriteAbort;
  }
  return total;
}

// Catches bytes the header and body callbacks do not see: the request body going out.
int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t dlnow, curl_off_t /*ultotal*/,
                curl_off_t ulnow) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  if (dlnow != transfer->downloaded || ulnow != transfer->uploaded) {
    transfer->downloaded = dlnow;
    transfer->uploaded = ulnow;
    transfer->touch();
  }
  return 0;
}

// Called once the connection (new or reused) is ready and the request is about to be sent.
int on_prereq(void* user, char* /*conn_primary_ip*/, char* /*conn_local_ip*/,
              int /*conn_primary_port*/, int /*conn_local_port*/) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  ++transfer->prereq_calls;
  if (transfer->prereq_calls > 1) {
    // curl resends a request by itself when a reused connection dies before any reply byte.
    // The request may already have been processed, and retries belong to the one retry loop
    // above the transport, so this attempt fails instead.
    transfer->abort = AbortReason::ReusedConnectionDied;
    return CURL_PREREQFUNC_ABORT;
  }
  // A read_timeout of zero or less means "no inactivity limit".
  transfer->idle_timer_armed = transfer->read_timeout.count() > 0;
  transfer->touch();
  return CURL_PREREQFUNC_OK;
}

// Collects the first setopt failure so configuration reads as a flat list.
class EasyOptions {
 public:
  explicit EasyOptions(CURL* easy) : easy_(easy) {}
  template <typename T>
  void set(CURLoption option, T value) {
    const CURLcode result = curl_easy_setopt(easy_, option, value);
    if (result != CURLE_OK && first_failure_ == CURLE_OK) {
      first_failure_ = result;
      failed_option_ = option;
    }
  }
  [[nodiscard]] std::optional<Error> failure() const {
    if (first_failure_ == CURLE_OK) return std::nullopt;
    return make_error(ErrorCode::Internal, "curl rejected option " +
                                               std::to_string(static_cast<int>(failed_option_)) +
                                               ": " + curl_easy_strerror(first_failure_));
  }

 private:
  CURL* easy_;
  CURLcode first_failure_ = CURLE_OK;
  CURLoption failed_option_{};
};

bool append_header(curl_slist*& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list, line.c_str());
  if (grown == nullptr) return false;
  list = grown;
  return true;
}

long curl_http_version(HttpVersion version, bool https) {
  switch (version) {
    case HttpVersion::Http1_1: return CURL_HTTP_VERSION_1_1;
    case HttpVersion::Http2:
      // Over plaintext curl starts HTTP/2 at once; over TLS it offers h2 first (and, curl 7.88
      // as measured, still http/1.1, which a server may pick).
      return CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
    case HttpVersion::Auto: break;
  }
  // HTTP/2 only where ALPN can negotiate it; plain http stays on HTTP/1.1 (no h2c upgrade).
  return https ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1;
}

// Builds the easy handle for `transfer`. On failure the transfer has not been added anywhere.
std::optional<Error> configure(Transfer& transfer) {
  const HttpRequest& request = transfer.request;
  transfer.target = describe_target(request);

  bool caller_sets_expect = false;
  bool caller_sets_accept = false;
  bool caller_sets_content_type = false;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_forbidden_char(name, true) || has_forbidden_char(value, false)) {
      return make_error(ErrorCode::InvalidArgument,
                        "invalid header name or value (" + transfer.target.text + ")");
    }
    caller_sets_expect = caller_sets_expect || core::iequals_ascii(name, "Expect");
    caller_sets_accept = caller_sets_accept || core::iequals_ascii(name, "Accept");
    caller_sets_content_type =
        caller_sets_content_type || core::iequals_ascii(name, "Content-Type");
  }

  transfer.easy = transfer.easy_pool != nullptr ? transfer.easy_pool->take() : curl_easy_init();
  if (transfer.easy == nullptr) return make_error(ErrorCode::Internal, "curl_easy_init failed");
  EasyOptions opt(transfer.easy);
  Transfer* self = &transfer;

  opt.set(CURLOPT_URL, request.url.c_str());
  opt.set(CURLOPT_PRIVATE, static_cast<void*>(self));
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the string form; the bitmask one is deprecated there
  opt.set(CURLOPT_PROTOCOLS_STR, "http,https");
#else  // 7.80-7.84 (Ubuntu 22.04 has 7.81)
  opt.set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  opt.set(CURLOPT_NOSIGNAL, 1L);
  // The path is sent exactly as given: it was percent-encoded (and may be signed) upstream.
  opt.set(CURLOPT_PATH_AS_IS, 1L);
  opt.set(CURLOPT_FOLLOWLOCATION, 0L);
  // curl rounds elapsed time up to whole milliseconds when it checks this deadline, so it can
  // fire up to 1 ms early; the extra millisecond keeps "never before connect_timeout" true.
  opt.set(CURLOPT_CONNECTTIMEOUT_MS,
          static_cast<long>(std::max<milliseconds::rep>(transfer.connect_timeout.count(), 1) + 1));
  opt.set(CURLOPT_HTTP_VERSION,
          curl_http_version(transfer.options->http_version, transfer.target.https));
  if (transfer.options->http_version != HttpVersion::Http1_1 && transfer.target.https) {
    // Requests that start together wait for the first connection's ALPN answer and then share
    // it as HTTP/2 streams, instead of each opening a socket (and a TLS handshake) of its own.
    opt.set(CURLOPT_PIPEWAIT, 1L);
  }
  // Verification is never switched off; a private CA is trusted by naming its bundle.
  opt.set(CURLOPT_SSL_VERIFYPEER, 1L);
  opt.set(CURLOPT_SSL_VERIFYHOST, 2L);
  opt.set(CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!transfer.options->ca_bundle.empty())
    opt.set(CURLOPT_CAINFO, transfer.options->ca_bundle.c_str());
  // NAT gateways and NLBs drop flows idle for 350 s; probe well before that.
  opt.set(CURLOPT_TCP_KEEPALIVE, 1L);
  opt.set(CURLOPT_TCP_KEEPIDLE, 30L);
  opt.set(CURLOPT_TCP_KEEPINTVL, 15L);
  opt.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  opt.set(CURLOPT_ERRORBUFFER, transfer.error_buffer.data());
  opt.set(CURLOPT_HEADERFUNCTION, &on_header);
  opt.set(CURLOPT_HEADERDATA, static_cast<void*>(self));
  opt.set(CURLOPT_WRITEFUNCTION, &on_body);
  opt.set(CURLOPT_WRITEDATA, static_cast<void*>(self));
  opt.set(CURLOPT_NOPROGRESS, 0L);
  opt.set(CURLOPT_XFERINFOFUNCTION, &on_progress);
  opt.set(CURLOPT_XFERINFODATA, static_cast<void*>(self));
  opt.set(CURLOPT_PREREQFUNCTION, &on_prereq);
  opt.set(CURLOPT_PREREQDATA, static_cast<void*>(self));
  // Proxies as the AuthManager resolved them; setting both always keeps curl from reading the
  // process environment on its own ("" = no proxy).
  opt.set(CURLOPT_PROXY,
          (transfer.target.https ? transfer.options->https_proxy : transfer.options->http_proxy)
              .c_str());
  opt.set(CURLOPT_NOPROXY, transfer.options->no_proxy.c_str());

  const std::string& method = request.method;
  const bool sends_body =
      !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD") {
    opt.set(CURLOPT_NOBODY, 1L);
  } else if (sends_body) {
    // The body lives in `transfer.request` until the transfer is destroyed.
    opt.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    opt.set(CURLOPT_POSTFIELDS, request.body.data());
    if (method != "POST") opt.set(CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method == "GET") {
    opt.set(CURLOPT_HTTPGET, 1L);
  } else {
    opt.set(CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  // "Name;" is curl's syntax for a header with an empty value; "Name:" removes a header curl
  // would add. We drop Expect (no 100-continue round trip), Accept (curl's */* default) and the
  // form Content-Type curl assumes for POSTFIELDS, so only the caller's headers go out.
  bool list_ok = true;
  for (const auto& [name, value] : request.headers) {
    list_ok = list_ok &&
              append_header(transfer.header_list, value.empty() ? name + ";" : name + ": " + value);
  }
  if (!caller_sets_expect) list_ok = list_ok && append_header(transfer.header_list, "Expect:");
  if (!caller_sets_accept) list_ok = list_ok && append_header(transfer.header_list, "Accept:");
  if (sends_body && !caller_sets_content_type) {
    list_ok = list_ok && append_header(transfer.header_list, "Content-Type:");
  }
  if (!list_ok) return make_error(ErrorCode::Internal, "out of memory building request headers");
  opt.set(CURLOPT_HTTPHEADER, transfer.header_list);
  return opt.failure();
}

struct Timer {
  TimePoint due;
  TimerId id = 0;  // ids grow, so they keep FIFO order among equal due times
  std::function<void()> task;
};

// Pending timers in due order; cancel_timer() erases one by id in O(log n), so a call that ends
// early leaves nothing behind (and a simulated clock never jumps to a timer nobody wants).
class TimerQueue {
 public:
  void add(Timer timer) {
    due_of_.emplace(timer.id, timer.due);
    queue_.emplace(Key{timer.due, timer.id}, std::move(timer.task));
  }
  void cancel(TimerId id) {
    const auto it = due_of_.find(id);
    if (it == due_of_.end()) return;  // ran already, or never existed
    queue_.erase(Key{it->second, id});
    due_of_.erase(it);
  }
  [[nodiscard]] bool empty() const { return queue_.empty(); }
  [[nodiscard]] std::optional<TimePoint> next_due() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.begin()->first.first;
  }
  // The earliest task due at `now` or before, taken out of the queue.
  std::optional<std::function<void()>> pop_due(TimePoint now) {
    if (queue_.empty() || queue_.begin()->first.first > now) return std::nullopt;
    auto node = queue_.extract(queue_.begin());
    due_of_.erase(node.key().second);
    return std::move(node.mapped());
  }
  // Every task, in due order, leaving the queue empty.
  std::vector<std::function<void()>> take_all() {
    std::vector<std::function<void()>> tasks;
    tasks.reserve(queue_.size());
    for (auto& entry : queue_) tasks.push_back(std::move(entry.second));
    queue_.clear();
    due_of_.clear();
    return tasks;
  }

 private:
  using Key = std::pair<TimePoint, TimerId>;
  std::map<Key, std::function<void()>> queue_;
  std::unordered_map<TimerId, TimePoint> due_of_;
};

}  // namespace

struct Transport::Impl {
  Impl(const TransportOptions& transport_options, std::shared_ptr<Clock> loop_clock);
  ~Impl();

  // Makes the loop look at the command queues. From the loop thread itself (a completion or a
  // timer submitting the next call, the common case under load) a flag does: the loop checks it
  // before it blocks, which spares a write and a read on curl's wakeup socket per call.
  void wake() {
    if (loop_id_.load(std::memory_order_relaxed) == std::this_thread::get_id()) {
      commands_from_loop_ = true;
    } else {
      curl_multi_wakeup(multi_);
    }
  }
  void stop_and_join();

  // Loop thread.
  void run();
  bool apply_commands();
  void start(std::unique_ptr<Transfer> transfer);
  std::unique_ptr<Transfer> detach(RequestId id);
  void cancel_active(RequestId id);
  // Returns how many transfers ended.
  int collect_finished();
  std::optional<TimePoint> expire_idle(TimePoint now);
  void run_due_timers(TimePoint now);
  int poll_timeout_ms(std::optional<TimePoint> next_idle_deadline);
  void shut_down();
  static void finish(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result);

  const TransportOptions options;
  const std::shared_ptr<Clock> clock_;
  bool progressed_ = false;  // loop thread: bytes moved since the last Clock::before_wait
  CURLM* multi_ = nullptr;
  EasyHandlePool easy_pool_;  // loop thread; every transfer using it ends before the Impl does
  std::atomic<RequestId> next_id_{1};
  std::atomic<std::thread::id> loop_id_{};
  bool commands_from_loop_ = false;  // loop thread: wake() was called on it since apply_commands

  // Commands from any thread, guarded by mutex_.
  std::mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> submitted_;
  std::vector<RequestId> cancelled_;
  std::vector<Timer> scheduled_;
  std::vector<TimerId> cancelled_timers_;
  TimerId next_timer_id_ = 1;
  bool stop_requested_ = false;
  bool closed_ = false;  // the loop has exited; nothing queued will ever be served

  // Loop-thread state.
  std::unordered_map<RequestId, std::unique_ptr<Transfer>> active_;
  TimerQueue timers_;

  std::thread thread_;
};

Transport::Impl::Impl(const TransportOptions& transport_options, std::shared_ptr<Clock> loop_clock)
    : options(transport_options), clock_(loop_clock ? std::move(loop_clock) : Clock::system()) {
  init_curl_once();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  const long pool = std::max(1, options.max_pool_connections);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, pool);
  // Room for idle connections to several hosts (runtime and control plane, many regions), so
  // keep-alive reuse is not defeated by cache eviction.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, std::max(4 * pool, 32L));
  thread_ = std::thread([this] { run(); });
}

Transport::Impl::~Impl() {
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void Transport::Impl::stop_and_join() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wake();
  // Destroying the transport from one of its own callbacks would join the loop from itself:
  // that is a precondition violation and std::thread::join reports it by throwing (terminate).
  if (thread_.joinable()) thread_.join();
}

void Transport::Impl::run() {
  loop_id_.store(std::this_thread::get_id());
  while (apply_commands()) {
    int running = 0;
    curl_multi_perform(multi_, &running);
    const int ended = collect_finished();
    const auto next_idle_deadline = expire_idle(clock_->now());
    run_due_timers(clock_->now());
    // A transfer that ended may have freed a pooled connection that a queued transfer waits for;
    // curl hands it over in the next perform but does not always shorten its timeout for it, so
    // go round at once instead of sleeping until some unrelated socket event.
    // Commands queued by the callbacks above set commands_from_loop_ (wake()): do not block.
    const bool busy = ended > 0 || commands_from_loop_;
    curl_multi_poll(multi_, nullptr, 0, busy ? 0 : poll_timeout_ms(next_idle_deadline), nullptr);
  }
  shut_down();
}

bool Transport::Impl::apply_commands() {
  commands_from_loop_ = false;
  std::vector<std::unique_ptr<Transfer>> submitted;
  std::vector<RequestId> cancelled;
  std::vector<Timer> scheduled;
  std::vector<TimerId> cancelled_timers;
  {
    std::lock_guard lock(mutex_);
    if (stop_requested_) return false;  // shut_down() drains the queues
    submitted.swap(submitted_);
    cancelled.swap(cancelled_);
    scheduled.swap(scheduled_);
    cancelled_timers.swap(cancelled_timers_);
  }
  // Timers before their cancellations: a cancel can only name a timer already scheduled.
  for (auto& timer : scheduled) timers_.add(std::move(timer));
  for (const TimerId id : cancelled_timers) timers_.cancel(id);
  // Submissions before cancels: a cancel can only name an id that submit() already queued.
  for (auto& transfer : submitted) start(std::move(transfer));
  for (const RequestId id : cancelled) cancel_active(id);
  return true;
}

void Transport::Impl::start(std::unique_ptr<Transfer> transfer) {
  transfer->easy_pool = &easy_pool_;
  if (auto error = configure(*transfer)) {
    finish(std::move(transfer), std::move(*error));
    return;
  }
  const CURLMcode added = curl_multi_add_handle(multi_, transfer->easy);
  if (added != CURLM_OK) {
    finish(std::move(transfer),
           make_error(ErrorCode::Internal,
                      std::string("curl_multi_add_handle failed: ") + curl_multi_strerror(added)));
    return;
  }
  const RequestId id = transfer->id;
  active_.emplace(id, std::move(transfer));
}

std::unique_ptr<Transfer> Transport::Impl::detach(RequestId id) {
  const auto it = active_.find(id);
  if (it == active_.end()) return nullptr;
  auto transfer = std::move(it->second);
  active_.erase(it);
  curl_multi_remove_handle(multi_, transfer->easy);
  return transfer;
}

void Transport::Impl::cancel_active(RequestId id) {
  auto transfer = detach(id);
  if (!transfer) return;  // finished already, or never existed
  std::string message = "cancelled by the caller (" + transfer->target.text + ")";
  finish(std::move(transfer), make_error(ErrorCode::Cancelled, std::move(message)));
}

void Transport::Impl::finish(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result) {
  auto on_complete = std::move(transfer->callbacks.on_complete);
  transfer.reset();  // release the easy handle and buffers before user code runs
  if (on_complete) run_guarded([&] { on_complete(std::move(result)); });
}

int Transport::Impl::collect_finished() {
  int ended = 0;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    const CURLcode code = message->data.result;  // `message` dies with remove_handle
    void* raw = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &raw);
    auto transfer = detach(static_cast<Transfer*>(raw)->id);
    if (!transfer) continue;
    ++ended;

    if (code == CURLE_OK && transfer->abort == AbortReason::None) {
      long status = 0;
      curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
      transfer->response.status = status;
      HttpResponse response = std::move(transfer->response);
      finish(std::move(transfer), std::move(response));
      continue;
    }
    Error error = map_curl_failure(CurlFailure{
        .code = code,
        .abort = transfer->abort,
        .connected = transfer->prereq_calls > 0,
        .connect_timeout = transfer->connect_timeout,
        .max_response_bytes = transfer->options->max_response_bytes,
        .target = transfer->target.text,
        .detail = std::string_view(transfer->error_buffer.data()),
    });
    const std::string& proxy =
        transfer->target.https ? transfer->options->https_proxy : transfer->options->http_proxy;
    if (!proxy.empty() &&
        (error.code == ErrorCode::ConnectionFailed || error.code == ErrorCode::Timeout ||
         error.code == ErrorCode::TlsFailed)) {
      // Which hop failed matters to whoever reads this. (Said even when no_proxy let this host
      // bypass it: curl 7.88 does not tell which way a transfer went.)
      error.message += " (proxy configured: " + core::redact_userinfo(proxy) + ")";
    }
    if (transfer->abort == AbortReason::ResponseTooLarge) {
      // A reply did come: the engine reads it as this target's failure, not as ours.
      long status = 0;
      curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
      error.http_status = static_cast<int>(status);
    }
    finish(std::move(transfer), std::move(error));
  }
  return ended;
}

std::optional<TimePoint> Transport::Impl::expire_idle(TimePoint now) {
  std::vector<RequestId> expired;
  std::optional<TimePoint> next;
  for (const auto& [id, transfer] : active_) {
    if (!transfer->idle_timer_armed) continue;
    if (transfer->idle_deadline <= now) {
      expired.push_back(id);
    } else if (!next || transfer->idle_deadline < *next) {
      next = transfer->idle_deadline;
    }
  }
  for (const RequestId id : expired) {
    auto transfer = detach(id);
    std::string message = "no data for " + std::to_string(transfer->read_timeout.count()) +
                          " ms (" + transfer->target.text + ")";
    finish(std::move(transfer), make_error(ErrorCode::Timeout, std::move(message)));
  }
  return next;
}

void Transport::Impl::run_due_timers(TimePoint now) {
  while (auto task = timers_.pop_due(now)) {
    if (*task) run_guarded(*task);
  }
}

int Transport::Impl::poll_timeout_ms(std::optional<TimePoint> next_idle_deadline) {
  long timeout = kMaxPollWaitMs;
  long curl_timeout = -1;
  curl_multi_timeout(multi_, &curl_timeout);
  if (curl_timeout >= 0) timeout = std::min(timeout, curl_timeout);

  // Under the lock: timers scheduled or cancelled by this turn's callbacks count now (a
  // simulated clock must not jump to a timer just cancelled), and work submitted from another
  // thread comes either before the clock's decision (the loop is not idle) or after it (its
  // timers start from the clock's new time).
  std::lock_guard lock(mutex_);
  for (auto& timer : scheduled_) timers_.add(std::move(timer));
  scheduled_.clear();
  for (const TimerId id : cancelled_timers_) timers_.cancel(id);
  cancelled_timers_.clear();
  const bool idle = active_.empty() && submitted_.empty() && cancelled_.empty();
  std::optional<TimePoint> next = next_idle_deadline;
  if (const auto timer_due = timers_.next_due(); timer_due && (!next || *timer_due < *next)) {
    next = timer_due;
  }
  // The clock says how long to block: the time left on a real clock; a simulated one may move
  // itself to `next` instead and answer zero.
  const milliseconds budget = clock_->before_wait(next, idle, std::exchange(progressed_, false));
  if (budget.count() < timeout) timeout = std::max<long>(0, static_cast<long>(budget.count()));
  return static_cast<int>(timeout);
}

void Transport::Impl::shut_down() {
  for (int round = 0; round < kMaxShutdownRounds; ++round) {
    std::vector<std::unique_ptr<Transfer>> submitted;
    std::vector<Timer> scheduled;
    std::vector<TimerId> cancelled_timers;
    {
      std::lock_guard lock(mutex_);
      submitted.swap(submitted_);
      scheduled.swap(scheduled_);
      cancelled_timers.swap(cancelled_timers_);
      cancelled_.clear();  // everything is being cancelled anyway
      if (submitted.empty() && scheduled.empty() && active_.empty() && timers_.empty()) {
        closed_ = true;
        return;
      }
    }
    std::vector<RequestId> ids;
    ids.reserve(active_.size());
    for (const auto& entry : active_) ids.push_back(entry.first);
    for (const RequestId id : ids) {
      auto transfer = detach(id);
      std::string message = "transport shut down (" + transfer->target.text + ")";
      finish(std::move(transfer), make_error(ErrorCode::Cancelled, std::move(message)));
    }
    for (auto& transfer : submitted) {
      finish(std::move(transfer), make_error(ErrorCode::Cancelled, "transport shut down"));
    }
    // Pending timers run now, not at their due time: work they would start (a retry after a
    // backoff) then completes with Cancelled instead of never completing.
    for (auto& timer : scheduled) timers_.add(std::move(timer));
    for (const TimerId id : cancelled_timers) timers_.cancel(id);
    for (auto& task : timers_.take_all()) {
      if (task) run_guarded(task);
    }
  }
  // A task kept rescheduling itself: drop what is left.
  std::lock_guard lock(mutex_);
  closed_ = true;
  submitted_.clear();
  scheduled_.clear();
}

// --- public face ---------------------------------------------------------------------------------

Transport::Transport(const TransportOptions& options, std::shared_ptr<Clock> clock)
    : impl_(std::make_unique<Impl>(options, std::move(clock))) {}

Transport::~Transport() { impl_->stop_and_join(); }

RequestId Transport::submit(HttpRequest request, RequestCallbacks callbacks) {
  auto transfer = std::make_unique<Transfer>();
  const RequestId id = impl_->next_id_.fetch_add(1);
  transfer->id = id;
  transfer->request = std::move(request);
  transfer->callbacks = std::move(callbacks);
  transfer->read_timeout = impl_->options.read_timeout;
  transfer->clock = impl_->clock_.get();
  transfer->progressed = &impl_->progressed_;
  transfer->connect_timeout = impl_->options.connect_timeout;
  transfer->options = &impl_->options;
  {
    std::lock_guard lock(impl_->mutex_);
    if (!impl_->closed_) {
      impl_->submitted_.push_back(std::move(transfer));
    }
  }
  if (transfer) {
    // Only reachable when racing the destructor (a caller bug); there is no loop left to run
    // the completion, so it runs here.
    Impl::finish(std::move(transfer), make_error(ErrorCode::Cancelled, "transport shut down"));
  } else {
    impl_->wake();
  }
  return id;
}

Result<HttpResponse> Transport::perform(HttpRequest request) {
  if (on_loop_thread()) {
    return make_error(ErrorCode::Internal,
                      "Transport::perform called on the transport's loop thread (it would "
                      "wait for itself); use submit()");
  }
  std::promise<Result<HttpResponse>> promise;
  auto future = promise.get_future();
  submit(std::move(request),
         RequestCallbacks{
             .on_complete =
                 [&promise](Result<HttpResponse> result) { promise.set_value(std::move(result)); },
             .on_body_chunk = {},
         });
  return future.get();
}

void Transport::cancel(RequestId id) {
  {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->closed_) return;
    impl_->cancelled_.push_back(id);
  }
  impl_->wake();
}

TimerId Transport::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  const auto due = impl_->clock_->now() + std::max(delay, milliseconds(0));
  TimerId id = 0;
  {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->closed_) return 0;  // the loop is gone: the task is dropped, never run
    id = impl_->next_timer_id_++;
    impl_->scheduled_.push_back(Timer{due, id, std::move(task)});
  }
  impl_->wake();
  return id;
}

void Transport::cancel_timer(TimerId id) {
  {
    std::lock_guard lock(impl_->mutex_);
    if (impl_->closed_) return;
    impl_->cancelled_timers_.push_back(id);
  }
  // No wake: a cancellation changes nothing the loop is waiting for, except with a simulated
  // clock, which looks again at the next turn anyway.
}

bool Transport::on_loop_thread() const {
  return impl_->loop_id_.load() == std::this_thread::get_id();
}

const TransportOptions& Transport::options() const { return impl_->options; }

}  // namespace llmm::http
