#include <llmm/clock.hpp>

namespace llmm {
namespace {

class SystemClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace

std::shared_ptr<Clock> Clock::system() {
  static const auto instance = std::make_shared<SystemClock>();
  return instance;
}

}  // namespace llmm
