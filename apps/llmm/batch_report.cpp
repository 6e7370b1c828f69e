#include "batch_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace llmm::cli {
namespace {

// 950, 12.3k, 4.5M: counts at a glance.
std::string compact(double value) {
  char text[32];
  if (value >= 1e6) {
    std::snprintf(text, sizeof text, "%.1fM", value / 1e6);
  } else if (value >= 1e4) {
    std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", value);
  }
  return text;
}

std::string percent(double part, double whole) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %%", whole > 0 ? 100.0 * part / whole : 0.0);
  return text;
}

std::string duration(double seconds) {
  char text[32];
  const auto whole = static_cast<long long>(std::llround(seconds));
  if (whole >= 3600) {
    std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
  } else if (whole >= 60) {
    std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
  } else {
    std::snprintf(text, sizeof text, "%.1fs", seconds);
  }
  return text;
}

std::string region_shares(const std::map<std::string, std::size_t>& by_region) {
  std::size_t all = 0;
  for (const auto& [region, count] : by_region) all += count;
  std::string text;
  for (const auto& [region, count] : by_region) {
    text += (text.empty() ? "" : "  ") + region + " " +
            percent(static_cast<double>(count), static_cast<double>(all));
  }
  return text;
}

}  // namespace

std::string format_progress(const ParallelProgress& progress, const BatchTally& tally) {
  std::ostringstream line;
  line << tally.lines_read;
  if (tally.total_lines) {
    line << '/' << *tally.total_lines << " lines ("
         << percent(static_cast<double>(tally.lines_read), static_cast<double>(*tally.total_lines))
         << ')';
  } else {
    line << " lines";
  }
  line << "  ok " << progress.succeeded << "  failed " << progress.failed + tally.invalid
       << "  in flight " << progress.in_flight << "  " << compact(progress.requests_per_second)
       << "/s";
  if (tally.total_lines && progress.requests_per_second > 0 && tally.lines_read > 0) {
    // Lines still to read, scaled by the share of lines that become requests (shards, resume).
    const double remaining_lines =
        static_cast<double>(*tally.total_lines - std::min(*tally.total_lines, tally.lines_read));
    const double share =
        static_cast<double>(tally.submitted) / static_cast<double>(tally.lines_read);
    const double remaining = remaining_lines * share + static_cast<double>(progress.in_flight);
    line << "  ETA " << duration(remaining / progress.requests_per_second);
  }
  line << "  tokens " << compact(static_cast<double>(progress.input_tokens)) << " in / "
       << compact(static_cast<double>(progress.output_tokens)) << " out";
  line << "  throttled " << progress.throttled_attempts;
  if (!progress.by_region.empty()) line << "  " << region_shares(progress.by_region);
  return line.str();
}

std::string format_summary(const ParallelRunSummary& summary, const BatchTally& tally,
                           const BatchShard& shard, const std::string& output,
                           const std::string& interrupted_by) {
  const ParallelStats& stats = summary.stats;
  const double seconds = static_cast<double>(stats.total_duration.count()) / 1000.0;
  std::ostringstream text;
  text << "llmm batch: " << tally.lines_read << " lines";
  if (!shard.label().empty()) text << " (shard " << shard.label() << ")";
  text << ", " << tally.submitted << " requests: " << stats.succeeded << " succeeded, "
       << stats.failed << " failed, " << stats.timed_out << " timed out; " << tally.invalid
       << " invalid lines, " << tally.duplicates << " duplicate ids\n";
  if (tally.resumed + tally.other_shards > 0) {
    text << "  skipped: " << tally.resumed << " already in the output, " << tally.other_shards
         << " of other shards\n";
  }
  text << "  " << duration(seconds) << ", "
       << compact(seconds > 0
                      ? static_cast<double>(stats.succeeded + stats.failed + stats.timed_out) /
                            seconds
                      : 0.0)
       << " requests/s; tokens " << compact(static_cast<double>(stats.tokens.input_tokens))
       << " in, " << compact(static_cast<double>(stats.tokens.output_tokens)) << " out; "
       << stats.attempts << " attempts, " << stats.throttled_attempts << " throttled\n";
  if (!stats.by_region.empty()) text << "  answered in: " << region_shares(stats.by_region) << '\n';
  if (stats.succeeded > 0) {
    char latency[160];
    std::snprintf(latency, sizeof latency, "  latency ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f\n",
                  stats.latency.p50_ms, stats.latency.p90_ms, stats.latency.p99_ms,
                  stats.latency.max_ms);
    text << latency;
  }
  text << "  output: " << (output == "-" ? std::string("standard output") : output) << ", "
       << tally.records << " records written\n";
  if (!interrupted_by.empty() || tally.cancelled + tally.not_started > 0) {
    text << "  "
         << (interrupted_by.empty() ? std::string("stopped") : "stopped by " + interrupted_by)
         << ": " << tally.cancelled << " cancelled and " << tally.not_started
         << " never sent are not in the output; run again with --resume to finish\n";
  } else if (summary.stopped) {
    text << "  stopped: " << *summary.stopped << '\n';
  }
  return text.str();
}

std::string summary_json(const ParallelRunSummary& summary, const BatchTally& tally,
                         const BatchShard& shard, const std::string& output,
                         const std::string& interrupted_by, int exit_code) {
  const ParallelStats& stats = summary.stats;
  nlohmann::ordered_json json = {
      {"exit_code", exit_code},
      {"success", summary.success},
      {"stopped", summary.stopped ? nlohmann::ordered_json(*summary.stopped) : nullptr},
      {"interrupted_by", interrupted_by.empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(interrupted_by)},
      {"output", output},
      {"shard", {{"index", shard.index}, {"count", shard.count}, {"source", shard.source}}},
      {"lines", tally.lines_read},
      {"requests", tally.submitted},
      {"succeeded", stats.succeeded},
      {"failed", stats.failed},
      {"timed_out", stats.timed_out},
      {"invalid_lines", tally.invalid},
      {"duplicate_ids", tally.duplicates},
      {"cancelled", tally.cancelled},
      {"not_started", tally.not_started},
      {"skipped_resumed", tally.resumed},
      {"skipped_other_shards", tally.other_shards},
      {"records_written", tally.records},
      {"attempts", stats.attempts},
      {"throttled_attempts", stats.throttled_attempts},
      {"duration_ms", stats.total_duration.count()},
      {"tokens",
       {{"input_tokens", stats.tokens.input_tokens},
        {"output_tokens", stats.tokens.output_tokens},
        {"total_tokens", stats.tokens.total_tokens},
        {"cache_read_input_tokens", stats.tokens.cache_read_input_tokens},
        {"cache_write_input_tokens", stats.tokens.cache_write_input_tokens}}},
      {"latency_ms",
       {{"min", stats.latency.min_ms},
        {"mean", stats.latency.mean_ms},
        {"p50", stats.latency.p50_ms},
        {"p90", stats.latency.p90_ms},
        {"p99", stats.latency.p99_ms},
        {"max", stats.latency.max_ms}}},
      {"by_region", stats.by_region},
      {"by_model", stats.by_model},
      {"by_access_method", stats.by_access_method},
      {"start_regions", stats.start_regions},
      {"max_in_flight", stats.max_in_flight}};
  return json.dump(2);
}

}  // namespace llmm::cli
