#pragma once
// Which lines of a batch input this process runs: shard K of N (0-based), membership by a stable
// hash of each line's id (FNV-1a 64), so it depends neither on line order nor on which shard
// read the file first. Several processes given the same input and the same N, each its own K,
// run disjoint sets whose union is the input.
//
// Where K and N come from, the first that applies:
//   --shard K/N;
//   Slurm job arrays: SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN (arrays may start at 1),
//     of SLURM_ARRAY_TASK_COUNT;
//   AWS Batch array jobs: AWS_BATCH_JOB_ARRAY_INDEX, of AWS_BATCH_JOB_ARRAY_SIZE (which AWS
//     Batch does not set itself: put it in the job definition) or --shards / LLMM_SHARD_COUNT;
//   Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX, of --shards or LLMM_SHARD_COUNT (the Job's
//     `completions`; Kubernetes does not pass it to the pod);
//   otherwise one shard: everything.

#include <llmm/environment.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::cli {

// A value type: not synchronized.
struct BatchShard {
  std::size_t index = 0;
  std::size_t count = 1;
  std::string source = "none";  // "--shard", "SLURM_ARRAY_TASK_ID", ... for the summary

  [[nodiscard]] bool contains(std::string_view id) const;
  // "2/4", or "" for the one shard of everything.
  [[nodiscard]] std::string label() const;
};

// FNV-1a, 64 bits: stable across runs, machines and builds (std::hash is none of these).
[[nodiscard]] std::uint64_t fnv1a_64(std::string_view bytes) noexcept;

// "K/N" with 0 <= K < N. Throws std::invalid_argument naming the text.
[[nodiscard]] BatchShard parse_shard(std::string_view text);

// The shard this process runs (see above); `shards` is --shards when given. Throws
// std::invalid_argument naming the flag or variable that is malformed or out of range.
[[nodiscard]] BatchShard resolve_shard(const std::optional<std::string>& shard_flag,
                                       std::optional<std::size_t> shards,
                                       const Environment& environment);

}  // namespace llmm::cli
