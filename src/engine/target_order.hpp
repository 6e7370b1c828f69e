#pragma once
// The order a call visits its (model, region) pairs in (reference-system.md §3.1): regions
// ordered once per call (fixed, rotated by the call number, or shuffled), then walked
// region-first (every region of model 1, then model 2) or model-first.

#include <llmm/random_source.hpp>
#include <llmm/retry_config.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace llmm::engine {

// A permutation of 0..region_count-1; the set is always kept.
std::vector<std::size_t> order_regions(std::size_t region_count, RegionOrder order,
                                       std::uint64_t call_number, RandomSource& random);

// RetryConfig::global_cris_fraction's turn: call k (from 0) prefers the global profile when
// floor((k + 1) * fraction) > floor(k * fraction), so of any n consecutive calls the share sent
// global differs from n * fraction by less than one call.
bool global_profile_turn(std::uint64_t call_number, double fraction) noexcept;

// (model index, region index) pairs in visiting order.
std::vector<std::pair<std::size_t, std::size_t>> order_targets(
    std::size_t model_count, const std::vector<std::size_t>& region_order, RetryStrategy strategy);

}  // namespace llmm::engine
