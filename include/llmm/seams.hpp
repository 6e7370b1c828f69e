#pragma once
// Time and randomness used by a manager and its clients; the real ones unless a test injects
// deterministic ones (style anchors L7).

#include <llmm/clock.hpp>
#include <llmm/random_source.hpp>

#include <memory>

namespace llmm {

// A value type holding shared pointers: copies share one Clock and RandomSource (see their
// thread-safety requirements).
struct Seams {
  std::shared_ptr<Clock> clock = Clock::system();
  std::shared_ptr<RandomSource> random = RandomSource::standard();
};

}  // namespace llmm
