// eventstream_decode_check: llmm's event-stream decoder against bytes encoded by
// @smithy/eventstream-codec. Reads the file eventstream_conformance.mjs writes (meta line, then
// each case from eventstream_cases with "smithy_base64" added) and checks that:
//   single - each smithy message, decoded on its own, equals the case (headers in order, types,
//            values, payload);
//   stream - all smithy messages concatenated, fed whole, in 7-byte slices and cut at seeded
//            random points, decode to the cases in order, and the stream finishes cleanly.
// Exit 0 when all match, 1 on a mismatch, 2 on unusable input.
//
//   eventstream_decode_check smithy_encoded.jsonl

#include "protocol/eventstream/event_stream_decoder.hpp"

#include "case_generation.hpp"
#include "protocol/base64.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace {

namespace es = llmm::eventstream;

constexpr std::size_t kMaxReported = 5;

struct Case {
  std::uint64_t id = 0;
  std::string kind;
  es::Message expected;
  std::string smithy_bytes;
};

// The same cuts on every platform for a given seed.
using Rng = conformance::SplitMix64;

// Base64 from the case file; a malformed value is a broken case file, not a decoder failure.
std::string from_base64(std::string_view text) {
  auto bytes = llmm::protocol::base64_decode(text);
  if (!bytes) throw std::invalid_argument("bad base64");
  return std::move(*bytes);
}

es::Uuid uuid_from_text(std::string_view text) {
  es::Uuid uuid;
  std::size_t nibbles = 0;
  for (const char c : text) {
    if (c == '-') continue;
    const std::size_t digit = std::string_view("0123456789abcdef").find(c);
    if (digit == std::string_view::npos || nibbles >= 32) throw std::invalid_argument("bad uuid");
    auto& target = uuid.bytes[nibbles / 2];
    target = static_cast<std::uint8_t>(nibbles % 2 == 0 ? digit << 4U : target | digit);
    ++nibbles;
  }
  if (nibbles != 32) throw std::invalid_argument("bad uuid");
  return uuid;
}

// The case's JSON header (codec type names; long and timestamp as decimal strings) -> our value.
es::HeaderValue value_from_json(const nlohmann::json& header) {
  const std::string type = header.at("type").get<std::string>();
  const nlohmann::json& value = header.at("value");
  if (type == "boolean") return value.get<bool>();
  if (type == "byte") return static_cast<std::int8_t>(value.get<int>());
  if (type == "short") return static_cast<std::int16_t>(value.get<int>());
  if (type == "integer") return value.get<std::int32_t>();
  if (type == "long") return static_cast<std::int64_t>(std::stoll(value.get<std::string>()));
  if (type == "binary") return es::ByteArray{from_base64(value.get<std::string>())};
  if (type == "string") return value.get<std::string>();
  if (type == "timestamp") return es::Timestamp{std::stoll(value.get<std::string>())};
  if (type == "uuid") return uuid_from_text(value.get<std::string>());
  throw std::invalid_argument("unknown header type " + type);
}

Case case_from_json(const nlohmann::json& line) {
  Case c;
  c.id = line.at("id").get<std::uint64_t>();
  c.kind = line.at("kind").get<std::string>();
  for (const auto& header : line.at("headers")) {
    c.expected.headers.push_back({header.at("name").get<std::string>(), value_from_json(header)});
  }
  c.expected.payload = from_base64(line.at("payload_base64").get<std::string>());
  c.smithy_bytes = from_base64(line.at("smithy_base64").get<std::string>());
  return c;
}

// The first difference between an expected and a decoded message, for the report.
std::string difference(const es::Message& expected, const es::Message& got) {
  if (expected.headers.size() != got.headers.size()) {
    return "header count: expected " + std::to_string(expected.headers.size()) + ", decoded " +
           std::to_string(got.headers.size());
  }
  for (std::size_t i = 0; i < expected.headers.size(); ++i) {
    const es::Header& want = expected.headers[i];
    const es::Header& have = got.headers[i];
    if (want.name != have.name) {
      return "header " + std::to_string(i) + " name: expected \"" + want.name + "\", decoded \"" +
             have.name + "\"";
    }
    if (want.value.index() != have.value.index()) {
      return "header \"" + want.name + "\" type: expected variant " +
             std::to_string(want.value.index()) + ", decoded " + std::to_string(have.value.index());
    }
    if (want.value != have.value) return "header \"" + want.name + "\" value differs";
  }
  if (expected.payload != got.payload) {
    return "payload: expected " + std::to_string(expected.payload.size()) + " bytes, decoded " +
           std::to_string(got.payload.size());
  }
  return "equal";
}

class Checker {
 public:
  explicit Checker(const std::vector<Case>& cases) : cases_(cases) {}

  void check_single(const Case& c) {
    es::EventStreamDecoder decoder;
    std::vector<es::Message> got;
    const auto fed =
        decoder.feed(c.smithy_bytes, [&](es::Message&& m) { got.push_back(std::move(m)); });
    const auto finished = decoder.finish();
    if (!fed || !finished) {
      fail("single", c, "decoder error: " + (fed ? finished.error() : fed.error()).message);
    } else if (got.size() != 1) {
      fail("single", c, std::to_string(got.size()) + " messages decoded from one");
    } else if (!(got[0] == c.expected)) {
      fail("single", c, difference(c.expected, got[0]));
    }
  }

  // `next_size` gives each chunk's size; returns the number of chunks fed.
  template <typename NextSize>
  std::size_t check_stream(const std::string& name, std::string_view stream, NextSize next_size) {
    es::EventStreamDecoder decoder;
    std::size_t index = 0;
    std::size_t chunks = 0;
    bool mismatch = false;
    const auto compare = [&](es::Message&& m) {
      if (mismatch) return;
      if (index >= cases_.size()) {
        fail(name, cases_.back(), "more messages than cases");
        mismatch = true;
        return;
      }
      if (!(m == cases_[index].expected)) {
        fail(name, cases_[index], difference(cases_[index].expected, m));
        mismatch = true;  // later messages would all be reported as shifted
      }
      ++index;
    };
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t size = next_size();
      const auto fed = decoder.feed(stream.substr(at, size), compare);
      ++chunks;
      at += size;
      if (!fed) {
        fail(name, cases_[std::min(index, cases_.size() - 1)],
             "decoder error after " + std::to_string(index) + " messages: " + fed.error().message);
        return chunks;
      }
    }
    if (const auto finished = decoder.finish(); !finished) {
      fail(name, cases_.back(), "finish: " + finished.error().message);
    } else if (!mismatch && index != cases_.size()) {
      fail(name, cases_.back(),
           "the stream ended after " + std::to_string(index) + " of " +
               std::to_string(cases_.size()) + " messages");
    }
    return chunks;
  }

  [[nodiscard]] std::size_t failures() const { return failures_; }

 private:
  void fail(const std::string& check, const Case& c, const std::string& what) {
    if (++failures_ <= kMaxReported) {
      std::cout << "MISMATCH (" << check << ") case " << c.id << " (" << c.kind << "): " << what
                << '\n';
    }
  }

  const std::vector<Case>& cases_;
  std::size_t failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: eventstream_decode_check smithy_encoded.jsonl\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    std::cerr << "eventstream_decode_check: cannot read " << argv[1] << '\n';
    return 2;
  }
  std::uint64_t seed = 0;
  std::uint64_t count = 0;
  std::vector<Case> cases;
  try {
    const auto meta = nlohmann::json::parse(line).at("meta");
    seed = meta.at("seed").get<std::uint64_t>();
    count = meta.at("count").get<std::uint64_t>();
    while (std::getline(in, line)) {
      if (!line.empty()) cases.push_back(case_from_json(nlohmann::json::parse(line)));
    }
  } catch (const std::exception& error) {
    std::cerr << "eventstream_decode_check: unreadable input: " << error.what() << '\n';
    return 2;
  }
  if (cases.empty() || cases.size() != count) {
    std::cerr << "eventstream_decode_check: expected " << count << " cases, read " << cases.size()
              << " (smithy failed to encode some: see the encode check)\n";
    return 2;
  }

  Checker checker(cases);
  for (const Case& c : cases) checker.check_single(c);

  std::string stream;
  for (const Case& c : cases) stream += c.smithy_bytes;
  checker.check_stream("stream whole", stream, [&] { return stream.size(); });
  checker.check_stream("stream 7-byte", stream, [] { return std::size_t{7}; });
  std::size_t random_chunks = 0;
  for (std::uint64_t round = 0; round < 3; ++round) {
    Rng rng(seed + round);
    // Like the JS side: a few bytes (cuts inside preludes and headers) or up to a few messages.
    random_chunks += checker.check_stream("stream random", stream, [&] {
      return rng.below(100) < 30 ? 1 + rng.below(7) : 1 + rng.below(40'000);
    });
  }

  std::cout << "eventstream_decode_check: seed " << seed << ": llmm decoded " << cases.size()
            << " smithy-encoded messages (" << stream.size() << " bytes) singly, whole, in 7-byte "
            << "slices and in " << random_chunks
            << " random chunks over 3 rounds: " << checker.failures() << " mismatches\n";
  return checker.failures() == 0 ? 0 : 1;
}
