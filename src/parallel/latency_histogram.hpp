#pragma once
// Latency percentiles in fixed memory, whatever the batch size: 1 ms buckets below 64 ms, then
// buckets 2 % wide (up to about 9 hours; longer lands in the last bucket). Not synchronized.

#include <chrono>
#include <cstdint>
#include <vector>

namespace llmm::parallel {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void add(std::chrono::milliseconds latency);
  // The smallest bucket bound at or above the q-quantile (q in [0, 1]); 0 when empty.
  [[nodiscard]] double quantile_ms(double q) const;
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double mean_ms() const noexcept;
  [[nodiscard]] double min_ms() const noexcept { return count_ == 0 ? 0.0 : min_; }
  [[nodiscard]] double max_ms() const noexcept { return count_ == 0 ? 0.0 : max_; }

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
};

}  // namespace llmm::parallel
