#pragma once
// The Prometheus text exposition format (0.0.4), written to its specification: a family's
// `# HELP` (backslash and newline escaped) and `# TYPE` lines before its samples, label values
// with backslash, double quote and newline escaped, histograms as cumulative `_bucket` samples
// ending in le="+Inf", then `_sum` and `_count`. Not synchronized: one writer per rendering.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace llmm::observe {

struct Label {
  std::string_view name;
  std::string_view value;
};

// Durations in seconds: from a fast loopback answer to the seed's 600 s read timeout.
inline constexpr std::array<double, 16> kSecondsBuckets = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

// Counts per bucket (not cumulative: rendering sums them), their total and the sum observed.
struct Histogram {
  std::array<std::uint64_t, kSecondsBuckets.size()> buckets{};
  std::uint64_t count = 0;
  double sum = 0;

  void observe(double seconds);
};

class PrometheusWriter {
 public:
  // `type` is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, std::span<const Label> labels, double value);
  void sample(std::string_view name, std::span<const Label> labels, std::uint64_t value);
  void histogram(std::string_view name, std::span<const Label> labels, const Histogram& histogram);

  [[nodiscard]] std::string take() { return std::move(text_); }

 private:
  void begin_sample(std::string_view name, std::span<const Label> labels,
                    const Label* extra = nullptr);
  std::string text_;
};

}  // namespace llmm::observe
