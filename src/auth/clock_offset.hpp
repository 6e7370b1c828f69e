#pragma once
// How far this machine's wall clock is from the service's, as the AWS SDKs learn it: when a
// request is refused for its signature time (is_signing_time_error) and the reply's Date header is
// five minutes or more from local time, the difference is kept and added to every later signing
// time (and to the expiry judgement of temporary credentials, which the service dates on its
// clock). One per AuthManager, shared by all its signers.
//
// Thread-safe: one atomic; signers read it on the loop thread and on callers' threads.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::auth {

class ClockOffset {
 public:
  using WallTime = std::chrono::system_clock::time_point;

  // Local wall time moved by what was learned.
  [[nodiscard]] WallTime corrected(WallTime local) const {
    return local + std::chrono::milliseconds(offset_ms_.load(std::memory_order_relaxed));
  }
  [[nodiscard]] std::chrono::milliseconds offset() const {
    return std::chrono::milliseconds(offset_ms_.load(std::memory_order_relaxed));
  }

  // `server_date` is the reply's Date header, `local` the local wall time it arrived at. When the
  // corrected local time is five minutes or more away from it, learns the new offset and returns
  // true (a resend may now succeed); false when the header is missing or unreadable or the clocks
  // agree well enough (then the refusal had another cause).
  bool learn(const std::optional<std::string>& server_date, WallTime local);

  static constexpr std::chrono::minutes kTolerance{5};  // what SigV4 verification allows

 private:
  std::atomic<long long> offset_ms_{0};
};

// The error types a service answers a request with when its signing time may be the cause (the
// JS SDK's clock-skew list): only then is the reply's Date header worth a look.
[[nodiscard]] bool is_signing_time_error(std::string_view aws_error_type) noexcept;

}  // namespace llmm::auth
