#pragma once
// What a manager tells its logger and metrics registry about each call: the attempt lines
// (Debug), the call's end (Info, a failure at Warning) and its warnings (Warning), and the
// attempt and call series of the registry. Built only when logging or metrics is on, so a manager
// with both off pays nothing per call. Thread-safe: immutable but for an atomic call counter;
// the callbacks it makes run on the event-loop thread.

#include "observe/logger.hpp"

#include <llmm/attempt.hpp>
#include <llmm/bedrock_response.hpp>
#include <llmm/metrics_registry.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace llmm::observe {

class CallTelemetry : public std::enable_shared_from_this<CallTelemetry> {
 public:
  using AttemptObserver = std::function<void(const Attempt&)>;
  using ResponseCallback = std::function<void(BedrockResponse)>;

  CallTelemetry(LoggingConfig logging, std::shared_ptr<MetricsRegistry> metrics,
                std::shared_ptr<Clock> clock);

  // Whether a manager needs one at all: a sink with a level on, or a registry.
  [[nodiscard]] static bool wanted(const LoggingConfig& logging,
                                   const std::shared_ptr<MetricsRegistry>& metrics) noexcept;

  // The logger for the engine's wire lines; null unless Trace is on.
  [[nodiscard]] const Logger* wire_log() const noexcept {
    return logger_.enabled(LogLevel::Trace) ? &logger_ : nullptr;
  }

  // A new call's id (1, 2, ... per manager).
  [[nodiscard]] std::uint64_t next_call_id() noexcept { return ++calls_; }

  // The caller's observer (may be empty) behind this call's attempt lines and series; the
  // caller's own, unchanged, when neither is on.
  [[nodiscard]] AttemptObserver observe_attempts(std::uint64_t call_id, AttemptObserver user);
  // The caller's completion callback behind this call's end line and series.
  [[nodiscard]] ResponseCallback observe_call(std::uint64_t call_id, ResponseCallback user);

  void attempt_ended(std::uint64_t call_id, const Attempt& attempt) const;
  void call_ended(std::uint64_t call_id, const BedrockResponse& response) const;

 private:
  Logger logger_;
  std::shared_ptr<MetricsRegistry> metrics_;
  std::atomic<std::uint64_t> calls_{0};
};

}  // namespace llmm::observe
