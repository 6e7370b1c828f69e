#pragma once
// Shared by the conformance case generators: a fully specified random generator (SplitMix64, so
// the cases are the same on every platform; std:: distributions are implementation-defined) and
// the `--seed N --count N` command line.

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conformance {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  // Uniform enough in [0, n) for test data (modulo bias is irrelevant here).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

struct GeneratorArgs {
  std::uint64_t seed = 0;
  std::uint64_t count = 0;
};

// Reads `--seed N` and `--count N` (count > 0) over `defaults`; prints usage and returns nullopt
// on anything else.
inline std::optional<GeneratorArgs> parse_generator_args(int argc, char** argv,
                                                         std::string_view program,
                                                         GeneratorArgs defaults) {
  const auto number = [](const char* text, std::uint64_t& out) {
    char* end = nullptr;
    out = std::strtoull(text, &end, 0);
    return end != text && *end == '\0';
  };
  GeneratorArgs args = defaults;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--seed" && has_value && number(argv[i + 1], args.seed)) {
      ++i;
    } else if (arg == "--count" && has_value && number(argv[i + 1], args.count) && args.count > 0) {
      ++i;
    } else {
      std::cerr << "usage: " << program << " [--seed N] [--count N]\n";
      return std::nullopt;
    }
  }
  std::cerr << program << ": seed " << args.seed << ", " << args.count << " cases\n";
  return args;
}

}  // namespace conformance
