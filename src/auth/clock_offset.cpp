#include "auth/clock_offset.hpp"

#include "auth/timestamp.hpp"
#include "core/ascii.hpp"

namespace llmm::auth {

bool ClockOffset::learn(const std::optional<std::string>& server_date, WallTime local) {
  if (!server_date) return false;
  const auto server = parse_http_date(core::trim_blanks(*server_date));
  if (!server) return false;
  const auto skew = *server - corrected(local);
  if (skew < kTolerance && skew > -kTolerance) return false;
  offset_ms_.store(std::chrono::duration_cast<std::chrono::milliseconds>(*server - local).count(),
                   std::memory_order_relaxed);
  return true;
}

bool is_signing_time_error(std::string_view aws_error_type) noexcept {
  return aws_error_type == "InvalidSignatureException" ||
         aws_error_type == "SignatureDoesNotMatch" || aws_error_type == "RequestTimeTooSkewed" ||
         aws_error_type == "RequestExpired" || aws_error_type == "RequestInTheFuture" ||
         aws_error_type == "AuthFailure";
}

}  // namespace llmm::auth
