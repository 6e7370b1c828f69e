#pragma once
// SIGINT and SIGTERM for a long-running command: the first asks it to stop (take no more work,
// finish what is in flight), the second to cancel (end what is in flight now). The signals are
// blocked and read from a signalfd on a thread of this object's own, so what they trigger runs
// as ordinary code, never inside a signal handler.
//
// Construct it before any other thread starts (the blocked mask is inherited by threads created
// after it; a thread created before would still take the signal's default action). The signals
// stay blocked after it is destroyed: the command is ending, and a late signal must not cut its
// last writes short (one still pending at exit is dropped). Thread-safe: the tokens and
// interrupt_fd() may be used from any thread.

#include <atomic>
#include <stop_token>
#include <thread>

namespace llmm::cli {

class SignalWatch {
 public:
  // `on_signal(count, signal)` runs on the watch thread for each signal taken (count 1, 2, ...);
  // keep it short (it may print a line).
  using Notice = void (*)(int count, int signal);
  explicit SignalWatch(Notice on_signal = nullptr);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  [[nodiscard]] std::stop_token stop_token() const { return stop_.get_token(); }
  [[nodiscard]] std::stop_token cancel_token() const { return cancel_.get_token(); }
  // Readable from the first signal on: a reader waiting for input polls it too.
  [[nodiscard]] int interrupt_fd() const noexcept { return interrupt_fd_; }
  [[nodiscard]] int signals() const noexcept { return count_.load(); }
  // The first signal taken (SIGINT or SIGTERM), 0 before any.
  [[nodiscard]] int first_signal() const noexcept { return first_signal_.load(); }

 private:
  void watch();
  void close_descriptors() noexcept;

  std::stop_source stop_;
  std::stop_source cancel_;
  int signal_fd_ = -1;
  int interrupt_fd_ = -1;  // an eventfd, written once at the first signal
  int shutdown_fd_ = -1;   // an eventfd: the destructor ends the watch thread through it
  std::atomic<int> count_{0};
  std::atomic<int> first_signal_{0};
  Notice on_signal_;
  std::jthread thread_;
};

}  // namespace llmm::cli
