#include "batch_command.hpp"

#include "batch_line.hpp"
#include "batch_output.hpp"
#include "batch_record.hpp"
#include "batch_report.hpp"
#include "batch_shard.hpp"
#include "exit_codes.hpp"
#include "id_digest_set.hpp"
#include "line_reader.hpp"
#include "metrics_endpoint.hpp"
#include "signal_watch.hpp"

#include <llmm/parallel_llm_manager.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace llmm::cli {
namespace {

// A line longer than this is reported and skipped: a Converse request with its media inline
// stays far below it.
constexpr std::size_t kMaxLineBytes = 64 * 1024 * 1024;

const std::map<std::string, FailureStrategy> kFailureStrategies = {
    {"continue", FailureStrategy::ContinueOnFailure},
    {"stop-on-first-failure", FailureStrategy::StopOnFirstFailure},
    {"stop-on-threshold", FailureStrategy::StopOnThreshold}};
const std::map<std::string, LoadBalancing> kLoadBalancing = {
    {"round-robin", LoadBalancing::RoundRobin},
    {"least-loaded", LoadBalancing::LeastLoaded},
    {"random", LoadBalancing::Random}};

void announce_signal(int count, int signal) {
  // Runs on the signal watch's thread; one line, then the run goes on to its end.
  const char* name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
  if (count == 1) {
    std::cerr << "\nllmm batch: " << name
              << ": taking no more lines, finishing those in flight (a second signal cancels "
                 "them)\n";
  } else if (count == 2) {
    std::cerr << "\nllmm batch: " << name << ": cancelling the requests in flight\n";
  }
}

// The input as a descriptor: "-" is standard input.
class InputFile {
 public:
  explicit InputFile(const std::string& path) {
    if (path == "-") return;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw std::invalid_argument("cannot open the input " + path + ": " + std::strerror(errno));
    }
  }
  ~InputFile() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  int fd_ = STDIN_FILENO;
};

// Where each request handed to the batch came from, until its result is written.
struct PendingLine {
  std::size_t sequence = 0;  // its place in --ordered output
  std::size_t line = 0;
};

}  // namespace

BatchCommand::BatchCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "batch",
      "Run every line of a JSONL file as a Converse request, writing each answer as a "
      "line as it arrives (resumable, shardable)");
  command_->add_option("input", input_, "The requests, one JSON object a line ('-': stdin)");
  command_->add_option("-o,--output", output_,
                       "Where the records go ('-': stdout, the default; {shard} becomes the "
                       "shard index)");
  auto* resume = command_->add_flag("--resume", resume_,
                                    "Append to the output, skipping the ids already in it");
  auto* overwrite =
      command_->add_flag("--overwrite", overwrite_, "Replace an existing output file");
  resume->excludes(overwrite);
  command_->add_flag("--ordered", ordered_,
                     "Write the records in input order (default: as the answers arrive)");
  command_->add_flag("--full", full_,
                     "Add the whole response (attempts, warnings, the output in the service's "
                     "shape) to each record");
  command_->add_option("-c,--concurrency", concurrency_, "Requests in flight at once (default 16)")
      ->check(CLI::Range(1, 100'000));
  command_
      ->add_option("--request-timeout", request_timeout_ms_,
                   "Each request's own limit in milliseconds, retries and failover included "
                   "(default 300000)")
      ->check(CLI::Range(1LL, 86'400'000LL));
  command_
      ->add_option("--failure-strategy", failure_strategy_,
                   "continue, stop-on-first-failure or stop-on-threshold (default continue)")
      ->check(CLI::IsMember({"continue", "stop-on-first-failure", "stop-on-threshold"}));
  command_
      ->add_option("--failure-threshold", failure_threshold_,
                   "For stop-on-threshold: the failed share that stops the batch (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  command_
      ->add_option("--load-balancing", load_balancing_,
                   "Where each request starts its failover list: round-robin, least-loaded or "
                   "random (default round-robin)")
      ->check(CLI::IsMember({"round-robin", "least-loaded", "random"}));
  command_
      ->add_option("--regions-per-request", regions_per_request_,
                   "How many of the regions one request may use (default all)")
      ->check(CLI::Range(1, 1000));
  command_->add_option("--shard", shard_,
                       "Run shard K of N (0-based, by a hash of each id); default from "
                       "SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX or JOB_COMPLETION_INDEX");
  command_
      ->add_option("--shards", shards_,
                   "The number of shards, for a scheduler that does not say it (Kubernetes "
                   "Indexed Jobs); also LLMM_SHARD_COUNT")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  command_
      ->add_option("--progress-interval", progress_interval_ms_,
                   "Milliseconds between progress reports (default 500 on a terminal, 10000 "
                   "otherwise)")
      ->check(CLI::Range(1LL, 86'400'000LL));
  command_->add_flag("-q,--quiet", quiet_, "No progress reports (the summary is still printed)");
  command_->add_option("--json-summary", json_summary_,
                       "Also write the summary as JSON to this file ('-': stdout; {shard} "
                       "becomes the shard index)");
  command_->add_option("--metrics-port", metrics_port_,
                       "Serve the batch's metrics for Prometheus at http://ADDRESS:PORT/metrics "
                       "while it runs (0: a free port; the URL is printed to stderr)");
  command_
      ->add_option("--metrics-address", metrics_address_,
                   "The address --metrics-port listens on (default 127.0.0.1, loopback only)")
      ->needs("--metrics-port");
  targets_.add_to(*command_);
}

int BatchCommand::run() const {
  if (json_summary_ == "-" && output_ == "-") {
    throw std::invalid_argument("--json-summary - needs the records elsewhere: give -o FILE");
  }
  if (input_ == output_ && input_ != "-") {
    throw std::invalid_argument("the input and the output are the same file: " + input_);
  }
  if (failure_strategy_ != "stop-on-threshold" && command_->count("--failure-threshold") > 0) {
    throw std::invalid_argument(
        "--failure-threshold applies to --failure-strategy "
        "stop-on-threshold only");
  }
  const BatchShard shard = resolve_shard(shard_, shards_, Environment::process());
  // "{shard}" in the output and summary paths becomes this process's index, so one command
  // line serves every shard of an array job.
  const auto with_shard = [&shard](std::string path) {
    for (std::size_t at = path.find("{shard}"); at != std::string::npos;
         at = path.find("{shard}")) {
      path.replace(at, 7, std::to_string(shard.index));
    }
    return path;
  };
  const std::string output = with_shard(output_);
  const std::string json_summary = with_shard(json_summary_);

  // Before any thread starts: the manager's loop and the embedded emulator inherit the mask.
  const SignalWatch signals(announce_signal);

  const InputFile input(input_);
  BatchTally tally;
  if (input_ != "-") tally.total_lines = count_lines(input_);
  // One table for the ids written before (--resume) and those taken now, sized up front when
  // the input's length is known.
  IdDigestSet ids;
  if (tally.total_lines) ids.reserve(*tally.total_lines);
  ResumeScan resume;
  if (resume_) {
    if (output == "-") throw std::invalid_argument("--resume needs an output file (-o FILE)");
    resume = scan_for_resume(output, ids);
    if (resume.torn_tail_removed) {
      std::cerr << "llmm batch: the last line of " << output
                << " was cut short by an earlier run; it was removed and its request will run "
                   "again\n";
    }
    if (resume.unreadable > 0) {
      std::cerr << "llmm batch: " << resume.unreadable << " lines of " << output
                << " are not records with an id; their requests, if any, will run again\n";
    }
  }
  BatchOutput out(output, resume_      ? BatchOutput::Mode::Append
                          : overwrite_ ? BatchOutput::Mode::Overwrite
                                       : BatchOutput::Mode::Fresh);

  TargetFlags::Prepared prepared = targets_.prepare();
  std::optional<MetricsEndpoint> metrics;
  if (metrics_port_) {
    auto registry = std::make_shared<MetricsRegistry>();
    prepared.options.metrics = registry;
    metrics.emplace(std::move(registry), metrics_address_, *metrics_port_);
    std::cerr << "llmm batch: metrics at " << metrics->url() << std::endl;
  }
  ParallelConfig parallel;
  parallel.max_concurrent_requests = concurrency_;
  parallel.request_timeout = std::chrono::milliseconds(request_timeout_ms_);
  parallel.failure_strategy = kFailureStrategies.at(failure_strategy_);
  parallel.failure_threshold = failure_threshold_;
  parallel.load_balancing = kLoadBalancing.at(load_balancing_);
  parallel.target_regions_per_request = regions_per_request_;
  const ParallelLLMManager batch(ParallelLLMManagerOptions{std::move(prepared.options), parallel});

  LineReader reader(input.fd(), signals.interrupt_fd(), kMaxLineBytes);
  RecordWriter writer(out, ordered_);
  std::unordered_map<std::size_t, PendingLine> pending;  // by ParallelResult::index
  std::size_t next_sequence = 0;

  const auto write_invalid = [&](const BatchLine& line) {
    writer.put(next_sequence++, invalid_line_record(line));
  };
  const ParallelRequestSource next = [&]() -> std::optional<ParallelRequest> {
    while (std::optional<LineReader::Line> raw = reader.next()) {
      tally.lines_read = reader.lines();
      std::optional<BatchLine> line;
      if (raw->too_long) {
        line = BatchLine{raw->number, line_id(raw->number), std::nullopt,
                         "line " + std::to_string(raw->number) + ": longer than " +
                             std::to_string(kMaxLineBytes) + " bytes"};
      } else {
        line = parse_batch_line(raw->text, raw->number);
        if (!line) continue;  // blank
      }
      if (!shard.contains(line->id)) {
        ++tally.other_shards;
        continue;
      }
      if (ids.find(line->id) == IdDigestSet::Origin::Written) {
        ++tally.resumed;
        continue;
      }
      if (!ids.insert(line->id, IdDigestSet::Origin::Taken)) {
        ++tally.duplicates;
        line->request.reset();
        line->error = "line " + std::to_string(line->number) + ": the id \"" + line->id +
                      "\" was given to an earlier line";
        write_invalid(*line);
        continue;
      }
      if (!line->request) {
        ++tally.invalid;
        write_invalid(*line);
        continue;
      }
      pending[tally.submitted++] = PendingLine{next_sequence++, line->number};
      return ParallelRequest{std::move(line->id), std::move(*line->request)};
    }
    tally.lines_read = reader.lines();
    return std::nullopt;
  };
  const ParallelResultSink sink = [&](const ParallelResult& result) {
    const auto found = pending.find(result.index);
    const PendingLine origin = found != pending.end() ? found->second : PendingLine{};
    if (found != pending.end()) pending.erase(found);
    if (result.outcome == RequestOutcome::Cancelled ||
        result.outcome == RequestOutcome::NotStarted) {
      // Not an answer: left out, so that --resume runs it.
      ++(result.outcome == RequestOutcome::Cancelled ? tally.cancelled : tally.not_started);
      writer.skip(origin.sequence);
      return;
    }
    writer.put(origin.sequence, result_record(result, origin.line, full_));
  };

  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  ParallelRunOptions options;
  options.stop = signals.stop_token();
  options.cancel = signals.cancel_token();
  options.progress_interval =
      std::chrono::milliseconds(progress_interval_ms_.value_or(terminal ? 500 : 10'000));
  if (!quiet_) {
    options.on_progress = [&](const ParallelProgress& progress) {
      const std::string line = format_progress(progress, tally);
      if (terminal) {
        std::cerr << '\r' << line << "\033[K" << std::flush;
      } else {
        std::cerr << "llmm batch: " << line << '\n';
      }
    };
  }

  ParallelRunSummary summary;
  std::string failure;
  try {
    summary = batch.converse_each(next, sink, options);
  } catch (const std::exception& error) {
    // A source or sink failure (an unreadable input, a full disk): what was written stands.
    failure = error.what();
  }
  if (!quiet_ && terminal) std::cerr << '\n';
  tally.records = writer.written();

  const int first_signal = signals.first_signal();
  const std::string interrupted_by = first_signal == 0         ? ""
                                     : first_signal == SIGTERM ? "SIGTERM"
                                                               : "SIGINT";
  const std::size_t not_answered = summary.stats.failed + summary.stats.timed_out + tally.invalid +
                                   tally.duplicates + tally.cancelled + tally.not_started;
  const int exit_code = !interrupted_by.empty()            ? kExitInterrupted
                        : !failure.empty() || not_answered ? kExitCallFailed
                                                           : kExitSuccess;
  std::cerr << format_summary(summary, tally, shard, output, interrupted_by);
  if (!failure.empty()) {
    std::cerr << "llmm batch: stopped early: " << failure
              << " (what was written stands; run again with --resume)\n";
  }
  if (!json_summary.empty()) {
    const std::string json = summary_json(summary, tally, shard, output, interrupted_by, exit_code);
    if (json_summary == "-") {
      std::cout << json << '\n';
    } else {
      std::ofstream file(json_summary, std::ios::trunc);
      file << json << '\n';
      if (!file) std::cerr << "llmm batch: cannot write the summary to " << json_summary << '\n';
    }
  }
  return exit_code;
}

}  // namespace llmm::cli
