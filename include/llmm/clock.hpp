#pragma once
// Time comes in through this seam (DESIGN.md §10: one time seam): the call engine's backoff,
// deadlines and breakers, the transport's timers and read timeouts, and request signatures all
// read the injected clock, so tests can run the whole stack on simulated time.
// Implementations must be thread-safe: the loop thread and callers read it concurrently.

#include <chrono>
#include <memory>
#include <optional>

namespace llmm {

// Implementations must be thread-safe: a manager calls now() and wall_now() on its event-loop
// thread and on callers' threads at once. Clock::system() is (stateless).
class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Monotonic time, for durations, timers and deadlines.
  [[nodiscard]] virtual TimePoint now() const = 0;
  // Wall-clock time, for request signatures.
  [[nodiscard]] virtual std::chrono::system_clock::time_point wall_now() const = 0;

  // The event loop's side of the seam, called on the loop thread each time before it blocks:
  // `due` is its nearest timer or transfer deadline on now()'s timeline (none: nothing is
  // timed), `idle` is true when nothing is in flight (only a timer can fire), `progressed` when
  // bytes moved since the previous call. Returns how long the loop may block in real time before
  // it looks at now() again. The default, for clocks that move with real time: the time left
  // until `due`. A simulated clock may move itself forward here instead (and return zero). It
  // runs under the transport's lock: it must not call into the library.
  [[nodiscard]] virtual std::chrono::milliseconds before_wait(std::optional<TimePoint> due,
                                                              bool idle, bool progressed);

  // The real clocks.
  static std::shared_ptr<Clock> system();
};

}  // namespace llmm
