#pragma once
// The timestamps credential sources write: ISO 8601 / RFC 3339 as STS, IMDS, the container
// endpoint, credential_process and the SSO token cache write them; and HTTP dates. Pure functions.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace llmm::auth {

// "2026-12-02T14:00:00Z", with optional fractional seconds, and "Z", "UTC" (older AWS CLI
// caches), "+HH:MM" / "-HH:MM" or "+HHMM" as the zone. nullopt for anything else, including a
// missing zone (a local time would silently move by hours). Years from 2200 on (some helpers
// write 9999 for "never") read as 2200-01-01, inside what system_clock can hold.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// RFC 7231 IMF-fixdate, "Wed, 02 Dec 2026 14:00:00 GMT": the Date header of a reply (clock skew
// is estimated from it) and of a request signed with Date instead of X-Amz-Date. nullopt for
// anything else.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

// "2026-12-02T14:00:00Z" (whole seconds, UTC).
std::string format_iso8601(std::chrono::system_clock::time_point when);

}  // namespace llmm::auth
