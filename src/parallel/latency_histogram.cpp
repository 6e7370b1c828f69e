#include "parallel/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace llmm::parallel {
namespace {

constexpr double kLinearLimit = 64.0;  // ms: below it, one bucket per millisecond
constexpr double kGrowth = 1.02;
constexpr std::size_t kLogBuckets = 800;  // 64 ms * 1.02^800 is about 9 hours

std::size_t bucket_of(double ms) {
  if (ms < kLinearLimit) return static_cast<std::size_t>(std::max(ms, 0.0));
  const auto step = static_cast<std::size_t>(std::log(ms / kLinearLimit) / std::log(kGrowth));
  return static_cast<std::size_t>(kLinearLimit) + std::min(step, kLogBuckets - 1);
}

// The upper bound of a bucket, in ms.
double bound_of(std::size_t bucket) {
  if (bucket < static_cast<std::size_t>(kLinearLimit)) return static_cast<double>(bucket);
  const double step = static_cast<double>(bucket - static_cast<std::size_t>(kLinearLimit) + 1);
  return kLinearLimit * std::pow(kGrowth, step);
}

}  // namespace

LatencyHistogram::LatencyHistogram()
    : buckets_(static_cast<std::size_t>(kLinearLimit) + kLogBuckets, 0) {}

void LatencyHistogram::add(std::chrono::milliseconds latency) {
  const auto ms = static_cast<double>(std::max<std::int64_t>(latency.count(), 0));
  ++buckets_[bucket_of(ms)];
  min_ = count_ == 0 ? ms : std::min(min_, ms);
  max_ = count_ == 0 ? ms : std::max(max_, ms);
  sum_ += ms;
  ++count_;
}

double LatencyHistogram::quantile_ms(double q) const {
  if (count_ == 0) return 0.0;
  const auto rank =
      static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::clamp(bound_of(i), min_, max_);
  }
  return max_;
}

double LatencyHistogram::mean_ms() const noexcept {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

}  // namespace llmm::parallel
