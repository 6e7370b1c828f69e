#pragma once
// Time comes in through this seam so that retry and signing tests are deterministic.

#include <chrono>
#include <memory>

namespace llmm {

// Implementations must be thread-safe: a manager calls now() and wall_now() on its event-loop
// thread and on callers' threads at once. Clock::system() is (stateless).
class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for durations and deadlines.
  [[nodiscard]] virtual std::chrono::steady_clock::time_point now() const = 0;
  // Wall-clock time, for request signatures.
  [[nodiscard]] virtual std::chrono::system_clock::time_point wall_now() const = 0;

  // The real clocks.
  static std::shared_ptr<Clock> system();
};

}  // namespace llmm
