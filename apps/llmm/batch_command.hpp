#pragma once
// `llmm batch [IN.jsonl|-] [-o OUT.jsonl] [--resume|--overwrite] [--ordered] [--full]
// [-c N] [--request-timeout MS] [--failure-strategy S] [--load-balancing L] [--shard K/N]
// [--shards N] [--json-summary FILE] [-q] [--metrics-port N [--metrics-address IP]] [the model,
// region, retry, rate and connection flags of ask (--rate-control defaults to adaptive here)]`:
// every line of IN one Converse request through one ParallelLLMManager (batch_line.hpp), every
// answer one line of OUT as it arrives (batch_record.hpp), crash-safe and resumable
// (batch_output.hpp), this process's shard only (batch_shard.hpp).
//
// stdout: the records when no -o is given. stderr: progress (redrawn on a terminal, a plain line
// each --progress-interval otherwise) and the summary. --metrics-port: the batch's metrics
// (MetricsRegistry) on http://127.0.0.1:N/metrics while it runs (metrics_endpoint.hpp), its
// URL announced on stderr first. SIGINT/SIGTERM: stop taking lines and
// let those in flight finish; a second signal cancels them; everything finished is written.
// Exit codes (exit_codes.hpp): 0 every line answered; 1 some line failed, timed out or was
// invalid (or the output could not be written); 2 usage or configuration error; 3 stopped by a
// signal (run again with --resume).

#include "target_flags.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace llmm::cli {

class BatchCommand {
 public:
  // Registers `batch` on `app`; this object must outlive the parse.
  explicit BatchCommand(CLI::App& app);

  [[nodiscard]] bool selected() const { return command_ != nullptr && command_->parsed(); }
  [[nodiscard]] int run() const;

 private:
  CLI::App* command_ = nullptr;
  TargetFlags targets_{RateControlMode::Adaptive};
  std::string input_ = "-";
  std::string output_ = "-";
  bool resume_ = false;
  bool overwrite_ = false;
  bool ordered_ = false;
  bool full_ = false;
  int concurrency_ = 16;
  long long request_timeout_ms_ = 300'000;
  std::string failure_strategy_ = "continue";
  double failure_threshold_ = 0.5;
  std::string load_balancing_ = "round-robin";
  std::optional<int> regions_per_request_;
  std::optional<std::string> shard_;
  std::optional<std::size_t> shards_;
  std::optional<long long> progress_interval_ms_;
  std::string json_summary_;
  bool quiet_ = false;
  std::optional<std::uint16_t> metrics_port_;
  std::string metrics_address_ = "127.0.0.1";
};

}  // namespace llmm::cli
