#pragma once
// Simulated time for tests of the whole stack on real sockets (DESIGN.md §10: one time seam).
// now() moves only by jumps, so everything the library computes from it (backoff waits,
// Retry-After, attempt durations, deadlines, breaker cool-downs) is exact:
//  * when the transport's loop is idle (nothing in flight) with a timer pending, time jumps
//    straight to that timer: a 30 s backoff costs no real time;
//  * while transfers are in flight time stands still, so an exchange that completes costs zero
//    simulated time; but once the loop has seen no byte move for as long as its nearest
//    deadline is away (a stalled server, a first token that does not come), time jumps to that
//    deadline: a silent socket still waits that long in real time, never less.
// While held (hold() .. release()) time does not jump at all, so that calls a test starts one by
// one from its own thread all start at the same instant, whatever the loop does meanwhile.
// wall_now() is the real wall clock, so SigV4 dates verify against the emulator, moved by
// shift_wall() (a machine whose clock is off, or time that has passed for credentials' expiry).
//
// Thread-safe. Drive one transport (one manager or AuthManager) per clock: a second loop would
// see the first one's jumps. A stalled transfer beside one that keeps moving bytes does not time
// out (the loop is never silent); tests of that use the system clock.

#include <llmm/clock.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

namespace llmm::test {

class SimulatedClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override {
    return TimePoint(std::chrono::steady_clock::duration(now_.load()));
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now() + std::chrono::milliseconds(wall_shift_ms_.load());
  }
  // wall_now() from now on runs `shift` ahead of the real wall clock (behind when negative).
  void shift_wall(std::chrono::milliseconds shift) { wall_shift_ms_.store(shift.count()); }

  void hold() { held_.store(true); }
  void release() { held_.store(false); }

  std::chrono::milliseconds before_wait(std::optional<TimePoint> due, bool idle,
                                        bool progressed) override {
    std::lock_guard lock(mutex_);
    const auto real = std::chrono::steady_clock::now();
    if (progressed || !silent_since_) silent_since_ = real;
    if (held_.load()) return std::chrono::milliseconds(1);  // look again soon, jump never
    if (!due) return std::chrono::milliseconds::max();
    const auto ahead = *due - now();
    if (ahead <= std::chrono::steady_clock::duration::zero()) return std::chrono::milliseconds(0);
    if (idle || real - *silent_since_ >= ahead) {
      jump_to(*due);
      silent_since_ = real;
      return std::chrono::milliseconds(0);
    }
    return std::chrono::ceil<std::chrono::milliseconds>(ahead - (real - *silent_since_));
  }

  // Simulated time since the clock was made, and how many jumps made it.
  [[nodiscard]] std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(now() - start_);
  }
  [[nodiscard]] int jumps() const { return jumps_.load(); }

 private:
  void jump_to(TimePoint due) {
    now_.store(due.time_since_epoch().count());
    jumps_.fetch_add(1);
  }

  // Starts at an arbitrary, non-zero point, like a real steady clock.
  const TimePoint start_ = TimePoint(std::chrono::hours(1000));
  std::atomic<std::chrono::steady_clock::rep> now_{start_.time_since_epoch().count()};
  std::atomic<int> jumps_{0};
  std::atomic<long long> wall_shift_ms_{0};
  std::atomic<bool> held_{false};
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> silent_since_;
};

}  // namespace llmm::test
