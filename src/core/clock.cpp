#include <llmm/clock.hpp>

#include <algorithm>

namespace llmm {
namespace {

class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace

std::chrono::milliseconds Clock::before_wait(std::optional<TimePoint> due, bool /*idle*/,
                                             bool /*progressed*/) {
  if (!due) return std::chrono::milliseconds::max();
  // Round up: waking a little late costs a loop turn less than waking early and spinning.
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::ceil<std::chrono::milliseconds>(*due - now()));
}

std::shared_ptr<Clock> Clock::system() {
  static const auto instance = std::make_shared<SystemClock>();
  return instance;
}

}  // namespace llmm
