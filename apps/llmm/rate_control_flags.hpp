#pragma once
// The rate-control flags of the commands that make calls (RetryConfig::rate_control):
//   --rate-control off|adaptive   the SDKs' adaptive (CUBIC) limiter per target
//   --rpm N, --tpm N              fixed requests / tokens per minute for every target
//   --rate-limit RULE             a fixed limit for some targets, repeatable:
//                                 "region=us-east-1,model=Claude 3 Haiku,rpm=600,tpm=200000"
//                                 (region and model default to "*"; rpm, tpm or both)
// Each target (model, region) gets its own buckets; the most specific rule wins.

#include <llmm/rate_control_config.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace llmm::cli {

class RateControlFlags {
 public:
  // `default_mode` is the command's: `batch` rides quotas by default, single calls do not.
  explicit RateControlFlags(RateControlMode default_mode) : default_mode_(default_mode) {}

  // Registers the flags on `command`. This object must outlive the parse.
  void add_to(CLI::App& command);

  // Throws std::invalid_argument naming the flag and the text for a malformed rule, and what
  // RateControlConfig::validate() throws.
  [[nodiscard]] RateControlConfig resolve() const;

 private:
  RateControlMode default_mode_;
  std::string mode_;
  std::optional<double> rpm_;
  std::optional<double> tpm_;
  std::vector<std::string> rules_;
};

// "region=R,model=M,rpm=N,tpm=N" → a FixedRateLimit. Throws std::invalid_argument.
[[nodiscard]] FixedRateLimit parse_rate_limit(const std::string& text);

}  // namespace llmm::cli
