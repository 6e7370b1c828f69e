// eventstream_cases: seeded random event-stream messages, each with llmm's own encoding, as JSON
// lines for eventstream_conformance.mjs to decode and re-encode with @smithy/eventstream-codec.
//
//   eventstream_cases [--seed N] [--count N] > cases.jsonl
//
// Line 1 is {"meta": {...}} with the seed and count; every other line is one message:
//   {"id", "kind", "headers": [{"name", "type", "value"}], "payload_base64", "encoded_base64"}
// with the codec's type names (boolean, byte, short, integer, long, binary, string, timestamp,
// uuid). long and timestamp values are decimal strings (JS numbers lose precision beyond 2^53),
// binary is base64, uuid is lower-case 8-4-4-4-12 hex as the codec prints it.
//
// Header names are unique within a message and never look like array indices: the codec keeps
// headers in a JS object, which cannot hold duplicates and puts integer-like keys first.

#include "protocol/eventstream/event_stream_encoder.hpp"

#include "case_generation.hpp"
#include "protocol/base64.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace {

namespace es = llmm::eventstream;

constexpr std::uint64_t kDefaultSeed = 20231114221320ULL;  // fixed: CI must be reproducible
constexpr std::uint64_t kDefaultCount = 600;

// The shared generator plus what these cases need.
class Rng : public conformance::SplitMix64 {
 public:
  using SplitMix64::SplitMix64;

  std::size_t between(std::size_t low, std::size_t high) { return low + below(high - low + 1); }

  std::string bytes(std::size_t length) {
    std::string out(length, '\0');
    for (char& c : out) c = static_cast<char>(next() & 0xFFU);
    return out;
  }

  std::string text(std::string_view alphabet, std::size_t length) {
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out.push_back(alphabet[below(alphabet.size())]);
    return out;
  }

  // Whole UTF-8 sequences up to `max_bytes`, so the result is valid UTF-8 (JSON needs that).
  std::string utf8_text(const std::vector<std::string>& pieces, std::size_t max_bytes) {
    std::string out;
    for (;;) {
      const std::string& piece = pick(pieces);
      if (out.size() + piece.size() > max_bytes) break;
      out += piece;
    }
    // Fill the tail with ASCII so a requested exact size (a limit) is reached.
    while (out.size() < max_bytes && chance(90)) out.push_back('x');
    return out;
  }
};

constexpr std::string_view kNameFirst = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:";
constexpr std::string_view kNameRest =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_./ ";

// ASCII, controls, 2-, 3- and 4-byte sequences, a NUL.
const std::vector<std::string> kTextPieces = {
    "a",    "Z", "0", " ", "-", ":", "\"",   "\\",   "\n",     "\t",     std::string(1, '\0'),
    "\x7f", "é", "ß", "Ω", "Ж", "€", "日本", "中文", "\u00A0", "\u2028", "\uFFFD",
    "😀",    "𝄞", "🇯🇵"};

const std::vector<std::string> kBedrockHeaderNames = {
    ":event-type", ":content-type",  ":message-type", ":exception-type",
    ":error-code", ":error-message", ":date",         "x-amzn-requestid"};

const std::vector<std::string> kEventTypes = {"messageStart",      "contentBlockStart",
                                              "contentBlockDelta", "contentBlockStop",
                                              "messageStop",       "metadata"};
const std::vector<std::string> kExceptionTypes = {
    "internalServerException", "modelStreamErrorException", "validationException",
    "throttlingException", "serviceUnavailableException"};

std::string uuid_text(const es::Uuid& uuid) {
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < uuid.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[uuid.bytes[i] >> 4U]);
    out.push_back(hex[uuid.bytes[i] & 0xFU]);
  }
  return out;
}

// A value from the edges of T's range half of the time, any value otherwise.
template <typename T>
T integer(Rng& rng) {
  using Limits = std::numeric_limits<T>;
  const std::vector<T> edges = {Limits::min(),
                                Limits::max(),
                                T{0},
                                T{-1},
                                T{1},
                                static_cast<T>(Limits::min() + 1),
                                static_cast<T>(Limits::max() - 1)};
  if (rng.chance(50)) return rng.pick(edges);
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(rng.next()));  // two's complement wrap (C++20)
}

// JS Date covers ±8.64e15 ms, and smithy round-trips timestamps through a double.
constexpr std::int64_t kMaxJsDateMs = 8'640'000'000'000'000;

std::int64_t timestamp_ms(Rng& rng) {
  static const std::vector<std::int64_t> edges = {
      0, -1, 1, kMaxJsDateMs, -kMaxJsDateMs, 1'700'000'000'123, 4'102'444'800'000, -86'400'000};
  if (rng.chance(40)) return rng.pick(edges);
  const auto span = static_cast<std::uint64_t>(2 * kMaxJsDateMs + 1);
  return static_cast<std::int64_t>(rng.next() % span) - kMaxJsDateMs;
}

std::int64_t wide_int64(Rng& rng) {
  constexpr std::int64_t two53 = std::int64_t{1} << 53;
  static const std::vector<std::int64_t> beyond_double = {two53, two53 + 1, -two53 - 1,
                                                          0x0102030405060708LL};
  if (rng.chance(15)) return rng.pick(beyond_double);
  return integer<std::int64_t>(rng);
}

// Size of a variable-length value: mostly short, sometimes up to the limit, never beyond what is
// left of the headers block budget.
std::size_t value_size(Rng& rng, std::size_t budget) {
  std::size_t size = 0;
  switch (rng.below(10)) {
    case 0: size = 0; break;
    case 1: size = es::kMaxHeaderValueLength; break;
    case 2: size = rng.between(256, es::kMaxHeaderValueLength); break;
    default: size = rng.between(1, 64); break;
  }
  return std::min(size, budget);
}

std::string header_name(Rng& rng, const std::set<std::string>& taken) {
  for (;;) {
    std::string name;
    switch (rng.below(12)) {
      case 0:
      case 1: name = rng.pick(kBedrockHeaderNames); break;
      case 2:  // non-ASCII (a leading letter keeps it from looking like an index)
        name = "n" + rng.utf8_text(kTextPieces, rng.between(1, 40));
        break;
      case 3:
        name = rng.chance(80) ? std::string(es::kMaxHeaderNameLength, 'N')
                              : "N" + rng.utf8_text(kTextPieces, es::kMaxHeaderNameLength - 1);
        break;
      case 4: name = rng.chance(30) ? std::string() : rng.text(kNameFirst, 1); break;
      default: name = rng.text(kNameFirst, 1) + rng.text(kNameRest, rng.between(0, 30)); break;
    }
    if (!taken.contains(name)) return name;
  }
}

// Adds one header of a random type; `budget` is what is left of the headers block.
void add_random_header(Rng& rng, es::Message& message, std::set<std::string>& taken,
                       std::size_t& budget) {
  std::string name = header_name(rng, taken);
  const std::size_t fixed = 1 + name.size() + 1;  // name length, name, type tag
  if (fixed + 2 + 16 > budget) return;            // room for any fixed-size value
  const std::size_t room = budget - fixed - 2;

  es::HeaderValue value;
  switch (rng.below(10)) {
    case 0: value = true; break;
    case 1: value = false; break;
    case 2: value = integer<std::int8_t>(rng); break;
    case 3: value = integer<std::int16_t>(rng); break;
    case 4: value = integer<std::int32_t>(rng); break;
    case 5: value = wide_int64(rng); break;
    case 6: value = es::ByteArray{rng.bytes(value_size(rng, room))}; break;
    case 7: value = rng.utf8_text(kTextPieces, value_size(rng, room)); break;
    case 8: value = es::Timestamp{timestamp_ms(rng)}; break;
    default: {
      es::Uuid uuid;
      for (auto& byte : uuid.bytes) byte = static_cast<std::uint8_t>(rng.next() & 0xFFU);
      value = uuid;
      break;
    }
  }
  // The encoder itself measures the header (a lone header, no payload: 16 bytes of framing).
  const std::size_t header_size = es::encode(es::Message{{{name, value}}, {}}).size() - 16;
  if (header_size > budget) return;
  budget -= header_size;
  taken.insert(name);
  message.headers.push_back(es::Header{std::move(name), std::move(value)});
}

std::string random_payload(Rng& rng) {
  std::size_t size = 0;
  switch (rng.below(20)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: return "";
    case 5: size = 65'536; break;
    case 6:
    case 7: size = rng.between(8'192, 65'536); break;
    case 8:
    case 9:
    case 10:
    case 11: size = rng.between(257, 8'192); break;
    default: size = rng.between(1, 256); break;
  }
  return rng.chance(50) ? rng.bytes(size) : rng.utf8_text(kTextPieces, size);
}

std::string json_payload(Rng& rng) {
  nlohmann::json body = {{"contentBlockIndex", rng.below(8)},
                         {"delta", {{"text", rng.utf8_text(kTextPieces, rng.between(0, 200))}}},
                         {"p", std::string("abcdefghijklmnopqrstuvwxyz").substr(0, rng.below(27))}};
  return body.dump();
}

// A headers block of exactly kMaxHeadersLength: values at kMaxHeaderValueLength, the last one
// trimmed to fill the block to the byte.
es::Message at_limits(Rng& rng) {
  constexpr std::size_t per_header_overhead =
      1 + 1 + 1 + 2;  // name length, 1-byte name, tag, length
  es::Message message;
  std::size_t left = es::kMaxHeadersLength;
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    if (left <= per_header_overhead) break;
    const std::size_t size = std::min(es::kMaxHeaderValueLength, left - per_header_overhead);
    if (rng.chance(50)) {
      message.headers.push_back({name, es::ByteArray{rng.bytes(size)}});
    } else {
      std::string text = rng.utf8_text(kTextPieces, size);
      text.resize(size, 'x');  // utf8_text may stop short; pad with ASCII to the exact size
      message.headers.push_back({name, std::move(text)});
    }
    left -= per_header_overhead + size;
  }
  message.payload = rng.bytes(rng.chance(50) ? 65'536 : 0);
  return message;
}

es::Message make_message(Rng& rng, std::uint64_t index, std::string& kind) {
  if (index % 50 == 17) {
    kind = "limits";
    return at_limits(rng);
  }
  if (index % 7 == 3) {
    kind = "event";
    return es::make_event(rng.pick(kEventTypes), rng.chance(10) ? "" : json_payload(rng));
  }
  if (index % 13 == 5) {
    kind = "exception";
    return es::make_exception(rng.pick(kExceptionTypes),
                              R"({"message":")" + rng.text("abcdefghij ", 30) + "\"}");
  }
  kind = "random";
  es::Message message;
  std::set<std::string> taken;
  std::size_t budget = es::kMaxHeadersLength;
  const std::size_t count = rng.chance(10) ? 0 : rng.between(1, 14);
  for (std::size_t i = 0; i < count; ++i) add_random_header(rng, message, taken, budget);
  message.payload = random_payload(rng);
  return message;
}

nlohmann::json header_json(const es::Header& header) {
  nlohmann::json out = {{"name", header.name}};
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) {
          out["type"] = "boolean";
          out["value"] = value;
        } else if constexpr (std::is_same_v<T, std::int8_t>) {
          out["type"] = "byte";
          out["value"] = static_cast<int>(value);
        } else if constexpr (std::is_same_v<T, std::int16_t>) {
          out["type"] = "short";
          out["value"] = value;
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          out["type"] = "integer";
          out["value"] = value;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out["type"] = "long";
          out["value"] = std::to_string(value);
        } else if constexpr (std::is_same_v<T, es::ByteArray>) {
          out["type"] = "binary";
          out["value"] = llmm::protocol::base64_encode(value.bytes);
        } else if constexpr (std::is_same_v<T, std::string>) {
          out["type"] = "string";
          out["value"] = value;
        } else if constexpr (std::is_same_v<T, es::Timestamp>) {
          out["type"] = "timestamp";
          out["value"] = std::to_string(value.milliseconds_since_epoch);
        } else {
          out["type"] = "uuid";
          out["value"] = uuid_text(value);
        }
      },
      header.value);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = conformance::parse_generator_args(argc, argv, "eventstream_cases",
                                                      {kDefaultSeed, kDefaultCount});
  if (!args) return 2;
  const std::uint64_t seed = args->seed;
  const std::uint64_t count = args->count;

  Rng rng(seed);
  std::cout
      << nlohmann::json{{"meta",
                         {{"generator", "eventstream_cases"}, {"seed", seed}, {"count", count}}}}
             .dump()
      << '\n';
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string kind;
    const es::Message message = make_message(rng, i, kind);
    auto headers = nlohmann::json::array();
    for (const es::Header& header : message.headers) headers.push_back(header_json(header));
    const nlohmann::json line = {
        {"id", i},
        {"kind", kind},
        {"headers", std::move(headers)},
        {"payload_base64", llmm::protocol::base64_encode(message.payload)},
        {"encoded_base64", llmm::protocol::base64_encode(es::encode(message))}};
    std::cout << line.dump() << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}
