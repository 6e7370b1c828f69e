#pragma once
// Randomness (backoff jitter) comes in through this seam so that tests can pin it.

#include <cstdint>
#include <memory>

namespace llmm {

// uniform() runs on the event-loop thread of every manager given this source, so one shared by
// several managers must be thread-safe; standard() and seeded() sources are (locked).
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A uniform value in [0, 1). Called from the transport's event-loop thread.
  virtual double uniform() = 0;

  // A seeded generator; a random seed when none is given.
  static std::shared_ptr<RandomSource> standard();
  static std::shared_ptr<RandomSource> seeded(std::uint64_t seed);
};

}  // namespace llmm
