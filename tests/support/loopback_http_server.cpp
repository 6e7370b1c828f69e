#include "support/loopback_http_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace llmm::test {
namespace {

constexpr std::size_t kMaxHeaderBytes = 1 << 20;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

sockaddr_in loopback_address(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int bound_port(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw_errno("getsockname");
  }
  return ntohs(address.sin_port);
}

int listen_on_loopback(int backlog) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno("socket");
  sockaddr_in address = loopback_address(0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(fd, backlog) != 0) {
    const int saved = errno;
    close(fd);
    errno = saved;
    throw_errno("bind/listen on 127.0.0.1");
  }
  return fd;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 424: return "Failed Dependency";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  return find_header(headers, name);
}

struct LoopbackHttpServer::State {
  std::function<Reply(const RecordedRequest&)> handler;
  int listen_fd = -1;
  int port = 0;
  int wake_read = -1;  // readable once the server stops; every wait polls it
  int wake_write = -1;

  mutable std::mutex mutex;
  mutable std::condition_variable request_recorded;
  std::vector<RecordedRequest> requests;
  int open_connections = 0;
  int max_concurrent = 0;
  int total = 0;
  std::vector<int> live_fds;  // closed under `mutex`, so stop() never shuts a reused fd down

  std::thread acceptor;
  std::vector<std::thread> connections;  // touched only by the acceptor until it is joined

  void accept_loop();
  void serve(int fd, int index);
  bool read_more(int fd, std::string& buffer) const;
  bool ensure_bytes(int fd, std::string& buffer, std::size_t n) const;
  std::optional<std::size_t> read_line_end(int fd, std::string& buffer, std::size_t from) const;
  std::optional<RecordedRequest> read_request(int fd, std::string& buffer) const;
  bool read_chunked_body(int fd, std::string& buffer, std::size_t& pos, std::string& body) const;
  // Sleeps for `duration` unless the server stops first; false when it stopped.
  bool wait(std::chrono::milliseconds duration) const;
  bool answer(int fd, const RecordedRequest& request, const Reply& reply) const;
  void stall(int fd) const;
  void close_connection(int fd, bool reset);
};

void LoopbackHttpServer::State::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake_read, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if ((fds[1].revents & POLLIN) != 0) return;
    const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int index = 0;
    {
      std::lock_guard lock(mutex);
      index = total++;
      ++open_connections;
      max_concurrent = std::max(max_concurrent, open_connections);
      live_fds.push_back(fd);
    }
    connections.emplace_back([this, fd, index] { serve(fd, index); });
  }
}

bool LoopbackHttpServer::State::read_more(int fd, std::string& buffer) const {
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_read, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if ((fds[1].revents & POLLIN) != 0) return false;
    char chunk[16384];
    const ssize_t got = recv(fd, chunk, sizeof(chunk), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
  }
}

bool LoopbackHttpServer::State::ensure_bytes(int fd, std::string& buffer, std::size_t n) const {
  while (buffer.size() < n) {
    if (!read_more(fd, buffer)) return false;
  }
  return true;
}

std::optional<std::size_t> LoopbackHttpServer::State::read_line_end(int fd, std::string& buffer,
                                                                    std::size_t from) const {
  for (;;) {
    const auto end = buffer.find("\r\n", from);
    if (end != std::string::npos) return end;
    if (buffer.size() > kMaxHeaderBytes || !read_more(fd, buffer)) return std::nullopt;
  }
}

bool LoopbackHttpServer::State::read_chunked_body(int fd, std::string& buffer, std::size_t& pos,
                                                  std::string& body) const {
  for (;;) {
    const auto line_end = read_line_end(fd, buffer, pos);
    if (!line_end) return false;
    const std::string size_text = buffer.substr(pos, *line_end - pos);
    std::size_t size = 0;
    try {
      size = std::stoul(size_text, nullptr, 16);  // chunk extensions after ';' are ignored
    } catch (const std::exception&) {
      return false;
    }
    pos = *line_end + 2;
    if (size == 0) break;
    if (!ensure_bytes(fd, buffer, pos + size + 2)) return false;
    body.append(buffer, pos, size);
    pos += size + 2;
  }
  // Trailer section: lines until an empty one.
  for (;;) {
    const auto line_end = read_line_end(fd, buffer, pos);
    if (!line_end) return false;
    const bool empty = *line_end == pos;
    pos = *line_end + 2;
    if (empty) return true;
  }
}

std::optional<RecordedRequest> LoopbackHttpServer::State::read_request(int fd,
                                                                       std::string& buffer) const {
  std::size_t head_end = 0;
  for (;;) {
    head_end = buffer.find("\r\n\r\n");
    if (head_end != std::string::npos) break;
    if (buffer.size() > kMaxHeaderBytes || !read_more(fd, buffer)) return std::nullopt;
  }

  RecordedRequest request;
  const std::string_view head(buffer.data(), head_end);
  const auto first_line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, first_line_end);
  const auto space1 = request_line.find(' ');
  const auto space2 = request_line.find(' ', space1 + 1);
  if (space1 == std::string_view::npos || space2 == std::string_view::npos) return std::nullopt;
  request.method = std::string(request_line.substr(0, space1));
  request.target = std::string(request_line.substr(space1 + 1, space2 - space1 - 1));

  std::size_t line_start =
      first_line_end == std::string_view::npos ? head.size() : first_line_end + 2;
  while (line_start < head.size()) {
    auto line_end = head.find("\r\n", line_start);
    if (line_end == std::string_view::npos) line_end = head.size();
    const std::string_view line = head.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      request.headers.emplace_back(std::string(line.substr(0, colon)),
                                   std::string(trim(line.substr(colon + 1))));
    }
    line_start = line_end + 2;
  }

  std::size_t pos = head_end + 4;
  const auto expect = request.header("Expect");
  if (expect && iequals(*expect, "100-continue") && buffer.size() == pos) {
    // The header lets tests check that a client drops interim responses' headers.
    if (!send_all(fd, "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n")) return std::nullopt;
  }
  const auto transfer_encoding = request.header("Transfer-Encoding");
  if (transfer_encoding && iequals(*transfer_encoding, "chunked")) {
    if (!read_chunked_body(fd, buffer, pos, request.body)) return std::nullopt;
  } else if (const auto length = request.header("Content-Length")) {
    std::size_t size = 0;
    try {
      size = std::stoul(*length);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    if (!ensure_bytes(fd, buffer, pos + size)) return std::nullopt;
    request.body = buffer.substr(pos, size);
    pos += size;
  }
  buffer.erase(0, pos);
  return request;
}

bool LoopbackHttpServer::State::wait(std::chrono::milliseconds duration) const {
  const auto deadline = std::chrono::steady_clock::now() + duration;
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd fds[1] = {{wake_read, POLLIN, 0}};
    const int ready = poll(fds, 1, static_cast<int>(left.count()));
    if (ready > 0) return false;
  }
}

void LoopbackHttpServer::State::stall(int fd) const {
  // Keep reading (and discarding) so a client that gives up and closes ends this connection.
  std::string discard;
  while (read_more(fd, discard)) discard.clear();
}

bool LoopbackHttpServer::State::answer(int fd, const RecordedRequest& request,
                                       const Reply& reply) const {
  std::string head =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  if (!find_header(reply.headers, "Content-Length") &&
      !find_header(reply.headers, "Transfer-Encoding")) {
    head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  }
  if (reply.close_after) head += "Connection: close\r\n";
  head += "\r\n";

  const bool with_body = request.method != "HEAD";
  if (reply.trickle_interval.count() > 0 && with_body) {
    if (!send_all(fd, head)) return false;
    for (const char byte : reply.body) {
      if (!wait(reply.trickle_interval)) return false;
      if (!send_all(fd, std::string_view(&byte, 1))) return false;
    }
  } else if (!send_all(fd, with_body ? head + reply.body : head)) {
    return false;
  }
  const auto connection = request.header("Connection");
  return !reply.close_after && !(connection && iequals(*connection, "close"));
}

void LoopbackHttpServer::State::serve(int fd, int index) {
  std::string buffer;
  bool reset = false;
  while (auto request = read_request(fd, buffer)) {
    request->connection_index = index;
    {
      std::lock_guard lock(mutex);
      requests.push_back(*request);
    }
    request_recorded.notify_all();

    Reply reply;
    try {
      reply = handler(*request);
    } catch (const std::exception& error) {
      reply = Reply{.status = 500, .headers = {}, .body = error.what()};
    }
    if (reply.stall) {
      stall(fd);
      break;
    }
    if (reply.delay_before_headers.count() > 0 && !wait(reply.delay_before_headers)) break;
    if (reply.reset_connection) {
      reset = true;
      break;
    }
    if (!answer(fd, *request, reply)) break;
  }
  close_connection(fd, reset);
}

void LoopbackHttpServer::State::close_connection(int fd, bool reset) {
  if (reset) {
    // Zero linger turns close() into a RST instead of an orderly FIN.
    linger option{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
  }
  std::lock_guard lock(mutex);
  live_fds.erase(std::remove(live_fds.begin(), live_fds.end(), fd), live_fds.end());
  close(fd);
  --open_connections;
}

LoopbackHttpServer::LoopbackHttpServer(std::function<Reply(const RecordedRequest&)> handler)
    : state_(std::make_unique<State>()) {
  state_->handler = std::move(handler);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw_errno("pipe2");
  state_->wake_read = pipe_fds[0];
  state_->wake_write = pipe_fds[1];
  state_->listen_fd = listen_on_loopback(SOMAXCONN);
  state_->port = bound_port(state_->listen_fd);
  state_->acceptor = std::thread([state = state_.get()] { state->accept_loop(); });
}

LoopbackHttpServer::~LoopbackHttpServer() {
  // The pipe is never drained, so it stays readable for every current and future poll.
  const char byte = 'x';
  [[maybe_unused]] const ssize_t written = write(state_->wake_write, &byte, 1);
  state_->acceptor.join();
  {
    std::lock_guard lock(state_->mutex);
    for (const int fd : state_->live_fds) shutdown(fd, SHUT_RDWR);
  }
  for (auto& connection : state_->connections) connection.join();
  close(state_->listen_fd);
  close(state_->wake_read);
  close(state_->wake_write);
}

int LoopbackHttpServer::port() const { return state_->port; }

std::string LoopbackHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port);
}

std::vector<RecordedRequest> LoopbackHttpServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t LoopbackHttpServer::request_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

int LoopbackHttpServer::max_concurrent_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->max_concurrent;
}

int LoopbackHttpServer::total_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->total;
}

bool LoopbackHttpServer::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->request_recorded.wait_for(lock, timeout,
                                           [&] { return state_->requests.size() >= n; });
}

// --- FullBacklogListener ---------------------------------------------------------------------

FullBacklogListener::FullBacklogListener() {
  // Backlog 0 still admits one connection on Linux (the queue is full when it holds more than
  // the backlog), so connect until one attempt gets no answer.
  listen_fd_ = listen_on_loopback(0);
  port_ = bound_port(listen_fd_);
  const sockaddr_in address = loopback_address(port_);
  constexpr int kMaxAttempts = 64;
  constexpr int kHangProofMs = 200;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw_errno("socket");
    filler_fds_.push_back(fd);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) continue;
    if (errno != EINPROGRESS) throw_errno("connect to own listener");
    pollfd pending{fd, POLLOUT, 0};
    if (poll(&pending, 1, kHangProofMs) == 0) return;  // this one hangs: the queue is full
  }
  for (const int fd : filler_fds_) close(fd);
  close(listen_fd_);
  throw std::runtime_error("FullBacklogListener: the accept queue never filled");
}

FullBacklogListener::~FullBacklogListener() {
  for (const int fd : filler_fds_) close(fd);
  close(listen_fd_);
}

std::string FullBacklogListener::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

}  // namespace llmm::test
