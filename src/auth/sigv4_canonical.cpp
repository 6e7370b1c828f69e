#include "auth/sigv4_canonical.hpp"

#include "protocol/uri_encoding.hpp"

#include <algorithm>
#include <stdexcept>

namespace llmm::auth {
namespace {

void append_digits(std::string& out, long long value, int width) {
  std::string digits = std::to_string(value);
  if (digits.size() < static_cast<std::size_t>(width)) {
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  }
  out += digits;
}

}  // namespace

// From civil-calendar arithmetic: no time zone database, no gmtime.
std::string format_amz_date(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(when);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{secs - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    throw std::invalid_argument("sigv4: signing time is outside years 0000-9999");
  }
  std::string out;
  out.reserve(16);
  append_digits(out, year, 4);
  append_digits(out, static_cast<unsigned>(ymd.month()), 2);
  append_digits(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  append_digits(out, time.hours().count(), 2);
  append_digits(out, time.minutes().count(), 2);
  append_digits(out, time.seconds().count(), 2);
  out.push_back('Z');
  return out;
}

// Trim, and turn every run of spaces/tabs into one space (SigV4 "canonical header value").
std::string canonical_header_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// The wire path is already encoded once; Bedrock (like every non-S3 service) computes the
// signature over a second encoding of it, so '%3A' is signed as '%253A'. Segments are
// normalised first, as the JS SDK and botocore do: empty and '.' dropped, '..' pops.
std::string canonical_uri(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i != 0) out.push_back('/');
    out += protocol::uri_encode(segments[i]);
  }
  if (!segments.empty() && path.ends_with('/')) out.push_back('/');
  return out;
}

std::string canonical_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [key, value] : query) {
    encoded.emplace_back(protocol::uri_encode(key), protocol::uri_encode(value));
  }
  // Sorting (key, value) pairs also orders repeated keys by value, as SigV4 requires.
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += key;
    out.push_back('=');
    out += value;
  }
  return out;
}

Sha256Digest derive_signing_key(std::string_view secret, std::string_view date,
                                std::string_view region, std::string_view service) {
  std::string secret_key = "AWS4";
  secret_key += secret;
  Sha256Digest k_date = hmac_sha256(secret_key, date);
  secure_wipe(secret_key);
  Sha256Digest k_region = hmac_sha256(k_date, region);
  secure_wipe(k_date);
  Sha256Digest k_service = hmac_sha256(k_region, service);
  secure_wipe(k_region);
  Sha256Digest k_signing = hmac_sha256(k_service, "aws4_request");
  secure_wipe(k_service);
  return k_signing;
}

}  // namespace llmm::auth
