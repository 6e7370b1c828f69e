#include "quota_rules.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>

namespace bedrock_emulator {
namespace {

std::optional<std::int64_t> parse_count(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_seconds(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The shared range checks of both forms; `what` names the limit ("rpm", "tpm").
std::optional<std::string> count_problem(std::string_view what, std::int64_t value) {
  if (value < 1 || value > kMaxQuotaPerMinute) {
    return std::string(what) + " must be an integer from 1 to " +
           std::to_string(kMaxQuotaPerMinute) + ", not " + std::to_string(value);
  }
  return std::nullopt;
}

// Seconds to whole microseconds; nullopt outside (0, 3600].
std::optional<std::chrono::microseconds> burst_from_seconds(double seconds) {
  if (!std::isfinite(seconds) || seconds <= 0) return std::nullopt;
  const auto micros = std::chrono::microseconds(std::llround(seconds * 1e6));
  if (micros.count() < 1 || micros > kMaxQuotaBurst) return std::nullopt;
  return micros;
}

constexpr std::string_view kBurstRange = "burst must be seconds from 0.000001 to 3600";

}  // namespace

bool QuotaRule::matches(std::string_view request_region, std::string_view model_id) const {
  return (region == "*" || region == request_region) && (model == "*" || model == model_id);
}

std::variant<QuotaRule, std::string> parse_quota_flag(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const std::size_t first = text.find(':');
  const std::size_t last = text.rfind(':');
  if (first == std::string_view::npos || first == last) {
    return quoted + ": expected REGION:MODEL:rpm=N,tpm=N[,burst=S]";
  }
  QuotaRule rule;
  rule.region = std::string(text.substr(0, first));
  rule.model = std::string(text.substr(first + 1, last - first - 1));
  if (rule.region.empty()) return quoted + ": empty REGION (use * for any)";
  if (rule.model.empty()) return quoted + ": empty MODEL (use * for any)";

  std::string_view limits = text.substr(last + 1);
  if (limits.empty()) return quoted + ": no limits after the last ':' (rpm=N and/or tpm=N)";
  bool has_burst = false;
  while (!limits.empty()) {
    const std::size_t comma = limits.find(',');
    const std::string_view item = limits.substr(0, comma);
    limits = comma == std::string_view::npos ? std::string_view() : limits.substr(comma + 1);
    if (comma != std::string_view::npos && limits.empty()) return quoted + ": trailing ','";
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos)
      return quoted + ": '" + std::string(item) + "' is not KEY=VALUE";
    const std::string_view key = item.substr(0, equals);
    const std::string_view value = item.substr(equals + 1);
    if (key == "rpm" || key == "tpm") {
      auto& slot = key == "rpm" ? rule.rpm : rule.tpm;
      if (slot) return quoted + ": " + std::string(key) + " given twice";
      const auto count = parse_count(value);
      if (!count)
        return quoted + ": " + std::string(key) + " '" + std::string(value) + "' is not an integer";
      if (auto problem = count_problem(key, *count)) return quoted + ": " + *problem;
      slot = *count;
    } else if (key == "burst") {
      if (has_burst) return quoted + ": burst given twice";
      const auto seconds = parse_seconds(value);
      const auto burst = seconds ? burst_from_seconds(*seconds) : std::nullopt;
      if (!burst)
        return quoted + ": " + std::string(kBurstRange) + ", not '" + std::string(value) + "'";
      rule.burst = *burst;
      has_burst = true;
    } else {
      return quoted + ": unknown limit '" + std::string(key) + "' (rpm, tpm, burst)";
    }
  }
  if (!rule.rpm && !rule.tpm) return quoted + ": needs rpm=N or tpm=N";
  return rule;
}

std::variant<std::vector<QuotaRule>, std::string> parse_quota_rules_json(std::string_view json) {
  const auto document = nlohmann::json::parse(json, nullptr, false);
  if (document.is_discarded()) return std::string("the body is not valid JSON");
  if (!document.is_object())
    return std::string("the body must be a JSON object {\"rules\": [...]}");
  for (const auto& [key, value] : document.items()) {
    if (key != "rules") return "unknown member '" + key + "' (only \"rules\")";
  }
  if (!document.contains("rules") || !document["rules"].is_array()) {
    return std::string("\"rules\" must be an array");
  }
  std::vector<QuotaRule> rules;
  std::size_t index = 0;
  for (const auto& item : document["rules"]) {
    const std::string where = "rules[" + std::to_string(index++) + "]";
    if (!item.is_object()) return where + " must be an object";
    QuotaRule rule;
    for (const auto& [key, value] : item.items()) {
      if (key == "region" || key == "model") {
        if (!value.is_string() || value.get<std::string>().empty()) {
          return where + "." + key + " must be a non-empty string (\"*\" for any)";
        }
        (key == "region" ? rule.region : rule.model) = value.get<std::string>();
      } else if (key == "rpm" || key == "tpm") {
        if (value.is_null()) continue;
        if (!value.is_number_integer()) return where + "." + key + " must be an integer or null";
        const std::int64_t count = value.get<std::int64_t>();
        if (auto problem = count_problem(key, count)) return where + ": " + *problem;
        (key == "rpm" ? rule.rpm : rule.tpm) = count;
      } else if (key == "burst") {
        const auto burst =
            value.is_number() ? burst_from_seconds(value.get<double>()) : std::nullopt;
        if (!burst) return where + ": " + std::string(kBurstRange);
        rule.burst = *burst;
      } else {
        return where + ": unknown member '" + key + "' (region, model, rpm, tpm, burst)";
      }
    }
    if (!rule.rpm && !rule.tpm) return where + " needs rpm or tpm";
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace bedrock_emulator
