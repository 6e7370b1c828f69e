#pragma once
// What `llmm batch` tells the person running it: a progress line while it runs (redrawn in place
// on a terminal, a plain line each interval otherwise), and a summary at the end, as text for
// stderr and as JSON for --json-summary.

#include "batch_shard.hpp"

#include <llmm/parallel_run.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace llmm::cli {

// What the command counts beside the batch's own statistics. A value type: not synchronized.
struct BatchTally {
  std::optional<std::size_t> total_lines;  // known for a regular input file
  std::size_t lines_read = 0;              // blank lines included
  std::size_t submitted = 0;               // requests handed to the batch
  std::size_t invalid = 0;                 // lines that are not a request (a record each)
  std::size_t duplicates = 0;              // ids seen before in this run (a record each)
  std::size_t resumed = 0;                 // skipped: already in the output (--resume)
  std::size_t other_shards = 0;            // skipped: another shard's
  std::size_t records = 0;                 // written by this run
  std::size_t cancelled = 0;               // in flight at a cancel: not written, for --resume
  std::size_t not_started = 0;             // never sent: not written, for --resume
};

// "1200/100000 lines (1.2 %)  ok 1190  failed 10  in flight 32  812/s  ETA 2m01s  tokens 12k
// in / 34k out  throttled 5  us-east-1 50 % us-west-2 50 %"
[[nodiscard]] std::string format_progress(const ParallelProgress& progress,
                                          const BatchTally& tally);

// The lines of the closing summary, each ending in '\n'. `interrupted_by` names the signal
// that stopped the run, if any.
[[nodiscard]] std::string format_summary(const ParallelRunSummary& summary, const BatchTally& tally,
                                         const BatchShard& shard, const std::string& output,
                                         const std::string& interrupted_by);

// The same as one JSON object, with the exit code the command returns.
[[nodiscard]] std::string summary_json(const ParallelRunSummary& summary, const BatchTally& tally,
                                       const BatchShard& shard, const std::string& output,
                                       const std::string& interrupted_by, int exit_code);

}  // namespace llmm::cli
