#include "rate_control_flags.hpp"

#include <charconv>
#include <stdexcept>

namespace llmm::cli {
namespace {

double per_minute(const std::string& rule, const std::string& key, std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !(value > 0)) {
    throw std::invalid_argument("--rate-limit '" + rule + "': " + key +
                                " must be a number > 0, got '" + std::string(text) + "'");
  }
  return value;
}

}  // namespace

FixedRateLimit parse_rate_limit(const std::string& text) {
  FixedRateLimit limit;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos) {
      throw std::invalid_argument("--rate-limit '" + text + "': '" + item +
                                  "' is not key=value (keys: region, model, rpm, tpm)");
    }
    const std::string key = item.substr(0, equals);
    const std::string value = item.substr(equals + 1);
    if (key == "region") {
      limit.region = value;
    } else if (key == "model") {
      limit.model = value;
    } else if (key == "rpm") {
      limit.requests_per_minute = per_minute(text, key, value);
    } else if (key == "tpm") {
      limit.tokens_per_minute = per_minute(text, key, value);
    } else {
      throw std::invalid_argument("--rate-limit '" + text + "': unknown key '" + key +
                                  "' (keys: region, model, rpm, tpm)");
    }
    start = comma + 1;
  }
  if (!limit.requests_per_minute && !limit.tokens_per_minute) {
    throw std::invalid_argument("--rate-limit '" + text +
                                "' names no limit: give rpm=N, tpm=N or both");
  }
  return limit;
}

void RateControlFlags::add_to(CLI::App& command) {
  command
      .add_option("--rate-control", mode_,
                  std::string("Adaptive client-side rate limiting per model and region, from its "
                              "first throttle: adaptive or off (default ") +
                      std::string(to_string(default_mode_)) + ")")
      ->check(CLI::IsMember({"off", "adaptive"}));
  command.add_option("--rpm", rpm_, "At most N requests per minute to each model and region")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--tpm", tpm_, "At most N tokens per minute answered by each model and region")
      ->check(CLI::PositiveNumber);
  command
      .add_option("--rate-limit", rules_,
                  "A fixed limit for some targets: region=R,model=M,rpm=N,tpm=N (region and "
                  "model default to any); repeatable, the most specific wins")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

RateControlConfig RateControlFlags::resolve() const {
  RateControlConfig config;
  config.mode = mode_.empty()         ? default_mode_
                : mode_ == "adaptive" ? RateControlMode::Adaptive
                                      : RateControlMode::Off;
  if (rpm_ || tpm_) {
    config.limits.push_back(FixedRateLimit{"*", "*", rpm_, tpm_});
  }
  for (const std::string& rule : rules_) config.limits.push_back(parse_rate_limit(rule));
  config.validate();
  return config;
}

}  // namespace llmm::cli
