#pragma once
// Deterministic Clock and RandomSource for tests: wall time pinned, monotonic time real (so
// timeouts still measure), randomness a fixed value.

#include <llmm/clock.hpp>
#include <llmm/random_source.hpp>
#include <llmm/seams.hpp>

#include <chrono>
#include <memory>

namespace llmm::test {

class PinnedWallClock final : public Clock {
 public:
  explicit PinnedWallClock(std::chrono::system_clock::time_point wall) : wall_(wall) {}
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
    return std::chrono::steady_clock::now();
  }
  [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override { return wall_; }

 private:
  std::chrono::system_clock::time_point wall_;
};

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double uniform() override { return value_; }

 private:
  double value_;
};

// 2015-08-30T12:36:00Z, the time of the wire doc's captured requests; jitter pinned at 0.5.
inline Seams deterministic_seams() {
  using namespace std::chrono;
  const auto wall = sys_days{year{2015} / August / 30} + hours{12} + minutes{36};
  return Seams{std::make_shared<PinnedWallClock>(wall), std::make_shared<FixedRandom>(0.5)};
}

}  // namespace llmm::test
