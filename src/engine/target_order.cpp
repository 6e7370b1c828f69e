#include "engine/target_order.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace llmm::engine {

std::vector<std::size_t> order_regions(std::size_t region_count, RegionOrder order,
                                       std::uint64_t call_number, RandomSource& random) {
  std::vector<std::size_t> indices(region_count);
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  if (region_count < 2) return indices;
  if (order == RegionOrder::Rotate) {
    std::rotate(indices.begin(),
                indices.begin() + static_cast<std::ptrdiff_t>(call_number % region_count),
                indices.end());
  } else if (order == RegionOrder::Shuffle) {
    // Fisher-Yates from the injected source, so tests can pin the permutation.
    for (std::size_t i = region_count - 1; i > 0; --i) {
      auto j = static_cast<std::size_t>(random.uniform() * static_cast<double>(i + 1));
      std::swap(indices[i], indices[std::min(j, i)]);
    }
  }
  return indices;
}

bool global_profile_turn(std::uint64_t call_number, double fraction) noexcept {
  const auto k = static_cast<double>(call_number);
  return std::floor((k + 1) * fraction) > std::floor(k * fraction);
}

std::vector<std::pair<std::size_t, std::size_t>> order_targets(
    std::size_t model_count, const std::vector<std::size_t>& region_order, RetryStrategy strategy) {
  std::vector<std::pair<std::size_t, std::size_t>> targets;
  targets.reserve(model_count * region_order.size());
  if (strategy == RetryStrategy::RegionFirst) {
    for (std::size_t model = 0; model < model_count; ++model) {
      for (std::size_t region : region_order) targets.emplace_back(model, region);
    }
  } else {
    for (std::size_t region : region_order) {
      for (std::size_t model = 0; model < model_count; ++model) targets.emplace_back(model, region);
    }
  }
  return targets;
}

}  // namespace llmm::engine
