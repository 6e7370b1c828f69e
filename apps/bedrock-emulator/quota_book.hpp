#pragma once
// Bedrock's quotas, emulated (docs/emulator.md "Quotas"): per (region, model) one token bucket
// for requests (rpm) and one for tokens (tpm), made full from the first rule that matches when
// that pair is first called, plus counters of what was admitted and throttled, served by
// GET /_emulator/quotas. A throttled request takes nothing from either bucket.
//
// Thread-safe: every member locks one mutex (the emulator answers on several io threads, and the
// check and the charge of both buckets must be one step). Time comes from the injected clock
// only, so unit tests drive refills exactly without sleeping.
//
//   QuotaBook book({rule}, [&] { return fake_now; });
//   if (book.admit("us-east-1", model_id, tokens) == QuotaVerdict::ThrottledRequests) ...

#include "quota_rules.hpp"
#include "token_bucket.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bedrock_emulator {

// The monotonic-clock seam (default: std::chrono::steady_clock::now).
using QuotaClock = std::function<std::chrono::steady_clock::time_point()>;

enum class QuotaVerdict {
  Unlimited,          // no rule matches: not counted
  Admitted,           // both buckets charged
  ThrottledRequests,  // the rpm bucket is short (checked first)
  ThrottledTokens,    // the rpm bucket had room, the tpm bucket is short
};

// The log's rule name for a throttle: "quota:rpm" or "quota:tpm"; empty otherwise.
std::string_view quota_rule_name(QuotaVerdict verdict);

class QuotaBook {
 public:
  explicit QuotaBook(std::vector<QuotaRule> rules = {}, QuotaClock clock = {});
  QuotaBook(const QuotaBook&) = delete;
  QuotaBook& operator=(const QuotaBook&) = delete;

  // Admits one request of `tokens` (the charge against tpm) for `model_id` in `region`, or
  // says which bucket refuses it.
  QuotaVerdict admit(std::string_view region, std::string_view model_id, std::int64_t tokens);

  // Replaces the rules; every bucket and counter goes (the next calls find full buckets).
  void set_rules(std::vector<QuotaRule> rules);
  // Every bucket full again and every counter zero; the rules stay (POST /_emulator/reset).
  void refill();

  // {"rules":[{"region","model","rpm","tpm","burst"}],"buckets":[{"region","model","admitted",
  //  "throttledRpm","throttledTpm","requestsAvailable","tokensAvailable"}]}; rpm/tpm (and their
  // "available") null when not limited, burst in seconds. Buckets sorted by region, then model.
  [[nodiscard]] std::string json() const;

 private:
  struct Bucket {
    std::optional<TokenBucket> requests;  // none when the rule has no rpm
    std::optional<TokenBucket> tokens;    // none when the rule has no tpm
    std::uint64_t admitted = 0;
    std::uint64_t throttled_rpm = 0;
    std::uint64_t throttled_tpm = 0;
  };

  mutable std::mutex mutex_;
  QuotaClock clock_;
  std::vector<QuotaRule> rules_;
  std::map<std::pair<std::string, std::string>, Bucket> buckets_;  // by (region, model)
};

}  // namespace bedrock_emulator
