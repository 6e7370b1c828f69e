#include "stream_command.hpp"

#include "attempt_table.hpp"
#include "exit_codes.hpp"

#include <llmm/streaming_response.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace llmm::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// A spinner on stderr while nothing has arrived, drawn only when stderr is a terminal.
class Spinner {
 public:
  Spinner() : enabled_(isatty(STDERR_FILENO) != 0) {}
  void tick() {
    if (!enabled_ || cleared_) return;
    static constexpr char kFrames[] = {'|', '/', '-', '\\'};
    std::fprintf(stderr, "\r%c waiting for the first token", kFrames[frame_++ % 4]);
    std::fflush(stderr);
  }
  void clear() {
    if (!enabled_ || cleared_) return;
    cleared_ = true;
    std::fprintf(stderr, "\r%40s\r", "");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  bool cleared_ = false;
  unsigned frame_ = 0;
};

}  // namespace

StreamCommand::StreamCommand(CLI::App& app) {
  command_ = app.add_subcommand("stream", "Stream the answer to one prompt as it arrives");
  command_->add_option("prompt", prompt_, "The user message")->required();
  targets_.add_to(*command_);
  command_
      ->add_option("--first-token-timeout", first_token_timeout_ms_,
                   "Fail over when no content arrives within this many milliseconds")
      ->check(CLI::Range(1LL, 86'400'000LL));
  command_->add_flag("--no-recover", no_recover_,
                     "End with the error instead of continuing on the next target mid-answer");
}

int StreamCommand::run() const {
  const TargetFlags::Setup setup = targets_.resolve();
  StreamOptions options;
  options.recover = !no_recover_;
  if (first_token_timeout_ms_ > 0) {
    options.first_token_timeout = std::chrono::milliseconds(first_token_timeout_ms_);
  }
  const auto started = Clock::now();
  std::optional<Clock::time_point> first_token;
  Spinner spinner;
  spinner.tick();

  StreamingResponse stream =
      setup.manager->converse_stream(ConverseRequest::from_prompt(prompt_), options);
  while (auto event = stream.next()) {
    if (event->type == StreamEventType::Text) {
      if (!first_token) {
        first_token = Clock::now();
        spinner.clear();
      }
      std::cout << event->text << std::flush;
    } else if (event->type == StreamEventType::Recovery) {
      spinner.clear();
      std::cerr << "\n[recovering on the next target: " << event->text << "]\n";
    } else {
      spinner.tick();
    }
  }
  spinner.clear();
  const BedrockResponse& response = stream.response();
  const auto ended = Clock::now();
  if (first_token) std::cout << '\n';

  if (!response.ok()) {
    std::cerr << "llmm: stream failed: " << failure_description(response);
    if (response.partial_output) {
      std::cerr << " (after " << response.partial_output->text().size() << " characters)";
    }
    std::cerr << '\n';
    return kExitCallFailed;
  }
  const double generating = first_token ? seconds_between(*first_token, ended) : 0.0;
  const long long tokens = response.usage().output_tokens;
  char line[256];
  std::snprintf(line, sizeof line,
                "time to first token %.3f s, %.1f tokens/s, %lld output tokens, %s in %s (%s)",
                first_token ? seconds_between(started, *first_token) : 0.0,
                generating > 0 ? static_cast<double>(tokens) / generating : 0.0, tokens,
                response.invoked_id().c_str(), response.region.c_str(),
                std::string(to_string(response.access_method)).c_str());
  std::cerr << line << '\n';
  return kExitSuccess;
}

}  // namespace llmm::cli
