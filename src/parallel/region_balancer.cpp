#include "parallel/region_balancer.hpp"

#include <algorithm>

namespace llmm::parallel {

RegionBalancer::RegionBalancer(std::vector<std::string> regions, LoadBalancing strategy,
                               std::size_t regions_per_request, std::uint64_t seed)
    : regions_(std::move(regions)),
      strategy_(strategy),
      per_request_(std::clamp<std::size_t>(regions_per_request, 1, regions_.size())),
      in_flight_(regions_.size(), 0),
      random_(seed) {}

std::size_t RegionBalancer::pick() {
  const std::size_t n = regions_.size();
  switch (strategy_) {
    case LoadBalancing::RoundRobin: return next_++ % n;
    case LoadBalancing::Random:
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
    case LoadBalancing::LeastLoaded: {
      // The fewest in flight; among equals the first from the rotating position, so an idle
      // batch still spreads its requests.
      std::size_t best = next_ % n;
      for (std::size_t step = 1; step < n; ++step) {
        const std::size_t i = (next_ + step) % n;
        if (in_flight_[i] < in_flight_[best]) best = i;
      }
      next_ = best + 1;
      return best;
    }
  }
  return 0;
}

std::vector<std::string> RegionBalancer::assign() {
  const std::size_t start = pick();
  ++in_flight_[start];
  std::vector<std::string> chosen;
  chosen.reserve(per_request_);
  for (std::size_t k = 0; k < per_request_; ++k)
    chosen.push_back(regions_[(start + k) % regions_.size()]);
  return chosen;
}

void RegionBalancer::release(const std::string& start) {
  const auto where = std::find(regions_.begin(), regions_.end(), start);
  if (where != regions_.end()) {
    auto& count = in_flight_[static_cast<std::size_t>(where - regions_.begin())];
    if (count > 0) --count;
  }
}

}  // namespace llmm::parallel
