#include "signal_watch.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace llmm::cli {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void signal_event(int fd) {
  const std::uint64_t one = 1;
  // An eventfd write of 8 bytes cannot be partial; it fails only past 2^64 - 2 pending.
  [[maybe_unused]] const ssize_t written = ::write(fd, &one, sizeof one);
}

}  // namespace

SignalWatch::SignalWatch(Notice on_signal) : on_signal_(on_signal) {
  const sigset_t set = watched_signals();
  if (pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) {
    throw std::system_error(errno, std::generic_category(), "blocking SIGINT and SIGTERM");
  }
  signal_fd_ = ::signalfd(-1, &set, SFD_CLOEXEC);
  interrupt_fd_ = ::eventfd(0, EFD_CLOEXEC);
  shutdown_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (signal_fd_ < 0 || interrupt_fd_ < 0 || shutdown_fd_ < 0) {
    const int error = errno;
    close_descriptors();
    throw std::system_error(error, std::generic_category(), "watching SIGINT and SIGTERM");
  }
  thread_ = std::jthread([this] { watch(); });
}

SignalWatch::~SignalWatch() {
  signal_event(shutdown_fd_);
  thread_.join();
  close_descriptors();
}

void SignalWatch::close_descriptors() noexcept {
  for (int* fd : {&signal_fd_, &interrupt_fd_, &shutdown_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

void SignalWatch::watch() {
  while (true) {
    std::array<pollfd, 2> waits{{{signal_fd_, POLLIN, 0}, {shutdown_fd_, POLLIN, 0}}};
    if (::poll(waits.data(), waits.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if ((waits[1].revents & POLLIN) != 0) return;
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) continue;
    const int count = ++count_;
    if (count == 1) {
      first_signal_ = static_cast<int>(info.ssi_signo);
      signal_event(interrupt_fd_);
      stop_.request_stop();
    } else {
      cancel_.request_stop();
    }
    if (on_signal_ != nullptr) on_signal_(count, static_cast<int>(info.ssi_signo));
  }
}

}  // namespace llmm::cli
