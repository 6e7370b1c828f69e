#include "quota_book.hpp"

#include <nlohmann/json.hpp>

namespace bedrock_emulator {

std::string_view quota_rule_name(QuotaVerdict verdict) {
  switch (verdict) {
    case QuotaVerdict::ThrottledRequests: return "quota:rpm";
    case QuotaVerdict::ThrottledTokens: return "quota:tpm";
    default: return {};
  }
}

QuotaBook::QuotaBook(std::vector<QuotaRule> rules, QuotaClock clock)
    : clock_(clock ? std::move(clock)
                   : QuotaClock([] { return std::chrono::steady_clock::now(); })),
      rules_(std::move(rules)) {}

QuotaVerdict QuotaBook::admit(std::string_view region, std::string_view model_id,
                              std::int64_t tokens) {
  std::lock_guard lock(mutex_);
  if (rules_.empty()) return QuotaVerdict::Unlimited;
  const auto now = clock_();
  std::pair<std::string, std::string> key(region, model_id);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    const QuotaRule* rule = nullptr;
    for (const QuotaRule& candidate : rules_) {
      if (candidate.matches(region, model_id)) {
        rule = &candidate;
        break;
      }
    }
    if (rule == nullptr) return QuotaVerdict::Unlimited;
    Bucket bucket;
    if (rule->rpm) bucket.requests.emplace(*rule->rpm, rule->burst, now);
    if (rule->tpm) bucket.tokens.emplace(*rule->tpm, rule->burst, now);
    found = buckets_.emplace(std::move(key), bucket).first;
  }
  Bucket& bucket = found->second;
  if (bucket.requests && !bucket.requests->can_take(1, now)) {
    ++bucket.throttled_rpm;
    return QuotaVerdict::ThrottledRequests;
  }
  if (bucket.tokens && !bucket.tokens->can_take(tokens, now)) {
    ++bucket.throttled_tpm;
    return QuotaVerdict::ThrottledTokens;
  }
  if (bucket.requests) bucket.requests->take(1);
  if (bucket.tokens) bucket.tokens->take(tokens);
  ++bucket.admitted;
  return QuotaVerdict::Admitted;
}

void QuotaBook::set_rules(std::vector<QuotaRule> rules) {
  std::lock_guard lock(mutex_);
  rules_ = std::move(rules);
  buckets_.clear();
}

void QuotaBook::refill() {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  for (auto& [key, bucket] : buckets_) {
    if (bucket.requests) bucket.requests->refill(now);
    if (bucket.tokens) bucket.tokens->refill(now);
    bucket.admitted = bucket.throttled_rpm = bucket.throttled_tpm = 0;
  }
}

std::string QuotaBook::json() const {
  // Members in the documented order (rules first), not sorted.
  using json = nlohmann::ordered_json;
  const auto optional_number = [](const auto& value) {
    return value ? json(*value) : json(nullptr);
  };
  std::lock_guard lock(mutex_);
  json rules = json::array();
  for (const QuotaRule& rule : rules_) {
    rules.push_back({{"region", rule.region},
                     {"model", rule.model},
                     {"rpm", optional_number(rule.rpm)},
                     {"tpm", optional_number(rule.tpm)},
                     {"burst", static_cast<double>(rule.burst.count()) / 1e6}});
  }
  json buckets = json::array();
  for (const auto& [key, bucket] : buckets_) {
    const auto available = [](const std::optional<TokenBucket>& b) {
      return b ? json(b->available()) : json(nullptr);
    };
    buckets.push_back({{"region", key.first},
                       {"model", key.second},
                       {"admitted", bucket.admitted},
                       {"throttledRpm", bucket.throttled_rpm},
                       {"throttledTpm", bucket.throttled_tpm},
                       {"requestsAvailable", available(bucket.requests)},
                       {"tokensAvailable", available(bucket.tokens)}});
  }
  return json{{"rules", std::move(rules)}, {"buckets", std::move(buckets)}}.dump();
}

}  // namespace bedrock_emulator
