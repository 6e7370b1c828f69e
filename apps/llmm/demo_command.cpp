#include "demo_command.hpp"

#include "attempt_table.hpp"
#include "demo_scenario.hpp"
#include "embedded_emulator.hpp"
#include "exit_codes.hpp"

#include <llmm/llm_manager.hpp>
#include <llmm/random_source.hpp>

#include <unistd.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::cli {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// The story's knobs. Each stalled attempt costs one read timeout; the breaker keeps their number
// small (two in the whole run today), so the demo takes a couple of seconds.
constexpr std::chrono::milliseconds kReadTimeout = 1s;
constexpr std::chrono::milliseconds kRetryDelay = 50ms;
constexpr int kRetriesPerTarget = 1;
constexpr int kBreakerThreshold = 2;  // consecutive throttles that open a target's breaker
constexpr int kMaxTokens = 16;        // keeps the generated answers to one line

constexpr std::array<std::string_view, 3> kPrompts = {
    "Why should a client fail over between regions?",
    "What does an inference profile add?",
    "And what does a circuit breaker save?",
};

// ANSI colour only for a terminal, and never with NO_COLOR set or TERM=dumb.
class Style {
 public:
  static Style for_stdout() {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    const bool colour = ::isatty(STDOUT_FILENO) == 1 &&
                        (no_color == nullptr || *no_color == '\0') &&
                        (term == nullptr || std::string_view(term) != "dumb");
    return Style(colour);
  }
  [[nodiscard]] std::string red(std::string_view text) const { return paint(text, "31"); }
  [[nodiscard]] std::string green(std::string_view text) const { return paint(text, "32"); }
  [[nodiscard]] std::string yellow(std::string_view text) const { return paint(text, "33"); }
  [[nodiscard]] std::string bold(std::string_view text) const { return paint(text, "1"); }

 private:
  explicit Style(bool colour) : colour_(colour) {}
  [[nodiscard]] std::string paint(std::string_view text, std::string_view code) const {
    if (!colour_) return std::string(text);
    return "\x1b[" + std::string(code) + "m" + std::string(text) + "\x1b[0m";
  }
  bool colour_;
};

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(std::string text, std::size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// "1s", "50ms": how the configuration is written.
std::string short_duration(std::chrono::milliseconds duration) {
  const auto count = duration.count();
  return count % 1000 == 0 ? std::to_string(count / 1000) + "s" : std::to_string(count) + "ms";
}

// "3 attempts", "1 attempt"
std::string count_of(std::uint64_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

// "1.052s"
std::string seconds(std::chrono::milliseconds duration) {
  const auto count = duration.count();
  std::string fraction = std::to_string(count % 1000);
  return std::to_string(count / 1000) + "." + std::string(3 - fraction.size(), '0') + fraction +
         "s";
}

std::chrono::milliseconds since(Steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

// Prints each attempt as the manager reports it (on the event-loop thread), timed from the
// call's start; the main thread waits for every line before printing the answer.
class ProgressPrinter {
 public:
  ProgressPrinter(const Style& style, Steady::time_point start) : style_(style), start_(start) {}

  // The column titles of the lines on_attempt prints.
  static std::string header() {
    return "  " + pad("time", 9) + pad("#", 3) + pad("region", 11) + pad("model id sent", 43) +
           pad_left("ms", 5) + "  " + pad("outcome", 25) + "decision\n";
  }

  void on_attempt(const Attempt& attempt) {
    const std::string outcome = pad(attempt_outcome(attempt), 25);
    const std::string decision = "-> " + decision_phrase(attempt.decision);
    std::ostringstream line;
    line << "  " << pad("+" + seconds(since(start_)), 9) << pad(std::to_string(attempt.number), 3)
         << pad(attempt.region, 11) << pad(attempt.model_id, 43)
         << pad_left(std::to_string(attempt.duration.count()), 5) << "  "
         << (attempt.error ? style_.red(outcome) : style_.green(outcome))
         << (attempt.decision == AttemptDecision::Succeeded ? style_.green(decision)
                                                            : style_.yellow(decision))
         << '\n';
    const std::lock_guard lock(mutex_);
    std::cout << line.str() << std::flush;
    ++printed_;
    printed_changed_.notify_all();
  }

  // Waits (boundedly: a late report must not hang the demo) until `count` lines are out.
  void wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    printed_changed_.wait_for(lock, 2s, [&] { return printed_ >= count; });
  }

 private:
  const Style& style_;
  Steady::time_point start_;
  std::mutex mutex_;
  std::condition_variable printed_changed_;
  std::size_t printed_ = 0;
};

void print_introduction(const Style& style, const EmbeddedEmulator& emulator,
                        const std::vector<std::string>& models,
                        const std::vector<std::string>& regions) {
  std::cout << style.bold("llmm demo") << ": one LLMManager against the embedded Bedrock emulator ("
            << emulator.endpoint() << ")\n\n"
            << "Scenario (seed " << demo::kSeed << "):\n"
            << "  " << pad(std::string(demo::kThrottledRegion), 12)
            << "throttled: every Converse call gets 429 ThrottlingException\n"
            << "  " << pad(std::string(demo::kStalledRegion), 12)
            << "stalled: calls are accepted and never answered\n"
            << "  " << pad("any region", 12) << demo::kProfileOnlyModel
            << " by its bare model id is refused (on-demand throughput is not\n"
            << "  " << pad("", 12) << "supported): it must be called through an inference profile\n"
            << "Manager: models [" << join(models) << "], regions [" << join(regions)
            << "], region first;\n"
            << "  read timeout " << short_duration(kReadTimeout) << ", "
            << count_of(kRetriesPerTarget, "retry", "retries") << " per target, backoff from "
            << short_duration(kRetryDelay) << ", breaker after " << kBreakerThreshold
            << " failures in a row\n";
}

void print_catalog(const BedrockModelCatalog& catalog, std::chrono::milliseconds took) {
  std::cout << "Catalog: " << to_string(catalog.source()) << ", " << catalog.model_count()
            << " models and " << catalog.profile_count() << " inference profiles in "
            << count_of(catalog.regions().size(), "region", "regions") << " (manager built in "
            << took.count() << " ms)\n";
}

void print_summary(const Style& style, const std::vector<BedrockResponse>& calls,
                   const ManagerStats& stats, std::chrono::milliseconds total) {
  std::cout << '\n' << style.bold("Summary") << '\n';
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const BedrockResponse& response = calls[i];
    std::cout << "  call " << i + 1 << "  "
              << (response.ok() ? style.green("ok    ") : style.red("failed")) << "  "
              << pad(count_of(response.attempts.size(), "attempt", "attempts"), 11)
              << pad_left(seconds(response.total_duration), 7) << "  ";
    if (response.ok()) {
      std::cout << pad(response.region, 11) << response.invoked_id() << " ("
                << to_string(response.access_method) << ")\n";
    } else {
      std::cout << (response.error ? response.error->describe() : std::string("no answer")) << '\n';
    }
  }
  std::cout << "  total " << seconds(total) << " (emulator start included)\n"
            << "  manager stats: " << count_of(stats.calls, "call", "calls") << ", "
            << count_of(stats.attempts, "attempt", "attempts") << ", "
            << count_of(stats.retries, "retry", "retries") << ", "
            << count_of(stats.failovers, "failover", "failovers") << ", "
            << count_of(stats.access_switches, "access switch", "access switches") << ", "
            << count_of(stats.fallbacks, "fallback", "fallbacks") << ", "
            << count_of(stats.breaker_opens, "breaker opened", "breakers opened") << ", "
            << stats.succeeded << " succeeded, " << stats.failed << " failed\n";
}

}  // namespace

DemoCommand::DemoCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "demo",
      "Watch failover happen: a throttled region, a stalled region and a profile-only model, "
      "played by the embedded Bedrock emulator (a few seconds)");
}

int DemoCommand::run() const {
  const Style style = Style::for_stdout();
  const Steady::time_point demo_start = Steady::now();
  const EmbeddedEmulator emulator(
      {.seed = demo::kSeed, .generate = true, .scenario_json = std::string(demo::scenario_json())});

  const std::vector<std::string> models = {std::string(demo::kProfileOnlyModel),
                                           std::string(demo::kBackupModel)};
  const std::vector<std::string> regions = {std::string(demo::kThrottledRegion),
                                            std::string(demo::kStalledRegion),
                                            std::string(demo::kHealthyRegion)};
  const ClientConfig client_config({.read_timeout = kReadTimeout,
                                    .connect_timeout = 2s,
                                    .max_pool_connections = 4,
                                    .retries_max_attempts = kRetriesPerTarget});
  RetryConfig retry_config;
  retry_config.retry_delay = kRetryDelay;
  retry_config.max_retry_delay = 4 * kRetryDelay;
  retry_config.circuit_breaker.failure_threshold = kBreakerThreshold;
  Seams seams;
  seams.random = RandomSource::seeded(demo::kSeed);  // the same jitter every run
  // The catalog is discovered from the emulator (its ListFoundationModels and
  // ListInferenceProfiles); no cache, so a user's real catalog cache is never touched.
  CatalogConfig catalog_config;
  catalog_config.cache_mode = CacheMode::None;
  const Steady::time_point catalog_start = Steady::now();
  const LLMManager manager(models, regions, emulator.auth_config(), retry_config, client_config,
                           catalog_config, seams);
  const auto catalog_load =
      std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - catalog_start);

  print_introduction(style, emulator, models, regions);
  print_catalog(manager.catalog(), catalog_load);

  std::vector<BedrockResponse> calls;
  for (std::size_t i = 0; i < kPrompts.size(); ++i) {
    std::cout << '\n'
              << style.bold("Call " + std::to_string(i + 1)) << ": \"" << kPrompts[i] << "\""
              << (i > 0 ? " (same manager: what it learned stays with it)" : "") << '\n'
              << ProgressPrinter::header() << std::flush;
    // Shared with the callback, so even a report arriving after the wait below finds it alive.
    auto printer = std::make_shared<ProgressPrinter>(style, Steady::now());
    CallOptions options;
    options.on_attempt = [printer](const Attempt& attempt) { printer->on_attempt(attempt); };
    ConverseRequest request = ConverseRequest::from_prompt(std::string(kPrompts[i]));
    request.inference_config.max_tokens = kMaxTokens;
    BedrockResponse response = manager.converse(request, options);
    printer->wait_for(response.attempts.size());
    if (response.ok()) {
      std::cout << "  answer from " << response.invoked_id() << " in " << response.region
                << ":\n    \"" << response.text() << "\"\n";
    } else {
      std::cout << "  " << style.red("failed") << ": "
                << (response.error ? response.error->describe() : std::string("no answer")) << '\n';
    }
    for (const std::string& warning : response.warnings)
      std::cout << "  warning: " << warning << '\n';
    calls.push_back(std::move(response));
  }

  print_summary(style, calls, manager.stats(), since(demo_start));
  for (const BedrockResponse& call : calls) {
    if (!call.ok()) return kExitCallFailed;
  }
  return kExitSuccess;
}

}  // namespace llmm::cli
