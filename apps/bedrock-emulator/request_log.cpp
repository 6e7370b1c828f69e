#include "request_log.hpp"

#include "auth/timestamp.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace bedrock_emulator {

std::string format_rfc3339(std::chrono::system_clock::time_point time) {
  // The library's ISO 8601 form with milliseconds before the zone.
  std::string text = llmm::auth::format_iso8601(time);
  const auto ms =
      std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count() % 1000;
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03d", static_cast<int>(ms < 0 ? ms + 1000 : ms));
  text.insert(text.size() - 1, fraction);
  return text;
}

RequestLog::RequestLog(std::size_t capacity, bool keep_bodies)
    : capacity_(capacity == 0 ? 1 : capacity), keep_bodies_(keep_bodies) {}

void RequestLog::record(LogEntry entry) {
  const std::lock_guard lock(mutex_);
  ++requests_total_;
  ++by_operation_[entry.operation.empty() ? std::string("Unknown") : entry.operation];
  ++by_outcome_[entry.outcome];
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back(std::move(entry));
}

void RequestLog::connection_opened() {
  const std::lock_guard lock(mutex_);
  ++connections_open_;
  ++connections_total_;
}

void RequestLog::connection_closed() {
  const std::lock_guard lock(mutex_);
  --connections_open_;
}

void RequestLog::tls_handshake_done(const std::string& protocol) {
  const std::lock_guard lock(mutex_);
  ++tls_handshakes_;
  ++tls_by_protocol_[protocol];
}

void RequestLog::tls_handshake_failed() {
  const std::lock_guard lock(mutex_);
  ++tls_failed_handshakes_;
}

std::string RequestLog::requests_json() const {
  nlohmann::json list = nlohmann::json::array();
  {
    const std::lock_guard lock(mutex_);
    for (const LogEntry& e : entries_) {
      nlohmann::json item = {{"time", format_rfc3339(e.time)},
                             {"method", e.method},
                             {"path", e.path},
                             {"region", e.region},
                             {"model", e.model},
                             {"operation", e.operation},
                             {"signedHeaders", e.signed_headers},
                             {"bodySize", e.body_size},
                             {"outcome", e.outcome},
                             {"rule", e.rule}};
      if (e.body) item["body"] = *e.body;
      list.push_back(std::move(item));
    }
  }
  // Replace, not throw, on bytes that are not UTF-8 (a raw path or a body may hold anything).
  return nlohmann::json{{"requests", std::move(list)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RequestLog::answer_abandoned() {
  const std::lock_guard lock(mutex_);
  ++abandoned_;
}

std::string RequestLog::counters_json() const {
  const std::lock_guard lock(mutex_);
  return nlohmann::json{
      {"requestsTotal", requests_total_},
      {"byOperation", by_operation_},
      {"byOutcome", by_outcome_},
      {"connections", {{"open", connections_open_}, {"total", connections_total_}}},
      {"abandoned", abandoned_},
      {"tls",
       {{"handshakes", tls_handshakes_},
        {"failedHandshakes", tls_failed_handshakes_},
        {"byProtocol", tls_by_protocol_}}}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void RequestLog::reset() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
  requests_total_ = 0;
  by_operation_.clear();
  by_outcome_.clear();
  connections_total_ = 0;
  abandoned_ = 0;
  tls_handshakes_ = 0;
  tls_failed_handshakes_ = 0;
  tls_by_protocol_.clear();
}

}  // namespace bedrock_emulator
