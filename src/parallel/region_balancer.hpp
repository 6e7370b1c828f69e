#pragma once
// Where each request of a batch starts its failover list (LoadBalancing), and which of the
// manager's regions it may use: target_regions_per_request of them, from the start on, wrapping.
// Not synchronized: the batch's calling thread owns it.

#include <llmm/parallel_llm_manager_options.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace llmm::parallel {

class RegionBalancer {
 public:
  RegionBalancer(std::vector<std::string> regions, LoadBalancing strategy,
                 std::size_t regions_per_request, std::uint64_t seed);

  // The regions of the next request, its start first; counts it as in flight there.
  [[nodiscard]] std::vector<std::string> assign();
  // The request that started in `start` has ended.
  void release(const std::string& start);

 private:
  [[nodiscard]] std::size_t pick();

  std::vector<std::string> regions_;
  LoadBalancing strategy_;
  std::size_t per_request_;
  std::vector<std::size_t> in_flight_;  // [region]: this batch's requests started there
  std::size_t next_ = 0;                // round robin, and the tie-break of least loaded
  std::mt19937_64 random_;
};

}  // namespace llmm::parallel
