#pragma once
// The quota rules of docs/emulator.md "Quotas": which (region, model) pairs get a requests-per-
// minute and/or tokens-per-minute limit, and how many seconds of quota a full bucket holds.
// Parsed from the `--quota REGION:MODEL:rpm=N,tpm=N[,burst=S]` flag and from the JSON rules of
// PUT /_emulator/quotas; both name what is wrong on failure (the flag's caller exits with 2, the
// admin API answers 400). The buckets themselves live in quota_book.hpp.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bedrock_emulator {

// Small by default: after a reset a client cannot run above rpm/60 a second for more than about
// a second, which is what a goodput measurement against the quota needs (a 60 s bucket would let
// a whole minute's quota through at once).
inline constexpr std::chrono::microseconds kDefaultQuotaBurst = std::chrono::seconds(1);
// Bounds that keep the buckets' integer arithmetic far from overflow (token_bucket.hpp).
inline constexpr std::int64_t kMaxQuotaPerMinute = 1'000'000'000;
inline constexpr std::chrono::microseconds kMaxQuotaBurst = std::chrono::hours(1);

struct QuotaRule {
  std::string region = "*";  // a region, or "*" for any
  std::string model =
      "*";  // a model id as the emulator resolves it (profiles: their model), or "*"
  std::optional<std::int64_t> rpm;  // requests per minute; none = not limited
  std::optional<std::int64_t> tpm;  // tokens (input + output) per minute; none = not limited
  std::chrono::microseconds burst = kDefaultQuotaBurst;

  [[nodiscard]] bool matches(std::string_view request_region, std::string_view model_id) const;
  bool operator==(const QuotaRule&) const = default;
};

// "us-east-1:anthropic.claude-3-haiku-20240307-v1:0:rpm=60,tpm=100000,burst=2". The region ends
// at the first ':' and the limits start after the last one, so model ids keep their own colons.
// On failure: the message naming the value and what is wrong (without the flag's name).
std::variant<QuotaRule, std::string> parse_quota_flag(std::string_view text);

// {"rules":[{"region":"*","model":"*","rpm":60,"tpm":null,"burst":1}]}: region and model default
// to "*", rpm/tpm absent or null = not limited (one of them is required), burst in seconds.
std::variant<std::vector<QuotaRule>, std::string> parse_quota_rules_json(std::string_view json);

}  // namespace bedrock_emulator
