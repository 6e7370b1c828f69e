#include "auth/timestamp.hpp"

#include <algorithm>
#include <cstdio>

namespace llmm::auth {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

std::optional<std::chrono::system_clock::time_point> civil_time(int year, int month, int day,
                                                                int hour, int minute, int second) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // "Www, DD Mmm YYYY HH:MM:SS GMT": fixed positions, 29 characters.
  constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || !digits(text, 5, 2, day) ||
      text[7] != ' ' || text[11] != ' ' || !digits(text, 12, 4, year) || text[16] != ' ' ||
      !digits(text, 17, 2, hour) || text[19] != ':' || !digits(text, 20, 2, minute) ||
      text[22] != ':' || !digits(text, 23, 2, second) || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const std::size_t month = kMonths.find(text.substr(8, 3));
  if (month == std::string_view::npos || month % 3 != 0) return std::nullopt;
  return civil_time(year, static_cast<int>(month / 3) + 1, day, hour, minute, second);
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, hour) ||
      text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
      !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  milliseconds fraction{0};
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t start = at;
    int scale = 100;
    int millis = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      millis += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return std::nullopt;
    fraction = milliseconds(millis);
  }
  const std::string_view zone = text.substr(at);
  minutes offset{0};
  if (zone == "Z" || zone == "z" || zone == "UTC") {
    // UTC.
  } else if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    int oh = 0, om = 0;
    const bool colon = zone.size() == 6 && zone[3] == ':';
    if (!(zone.size() == 6 && colon) && zone.size() != 5) return std::nullopt;
    if (!digits(zone, 1, 2, oh) || !digits(zone, colon ? 4 : 3, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = hours(oh) + minutes(om);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  // system_clock (nanoseconds) ends in 2262: "never expires" written as 9999 means far future.
  const auto base = civil_time(std::min(year, 2199), month, day, hour, minute, second);
  if (!base) return std::nullopt;
  if (year >= 2200) return sys_days{std::chrono::year{2200} / 1 / 1};
  return *base + fraction - offset;
}

std::string format_iso8601(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(when);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> time{secs - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

}  // namespace llmm::auth
