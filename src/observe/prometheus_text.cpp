#include "observe/prometheus_text.hpp"

#include <charconv>
#include <cmath>

namespace llmm::observe {
namespace {

void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quotes && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// Shortest round-trip form; the format's spellings for the non-finite values.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> text{};
    const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
    out.append(text.data(), error == std::errc() ? end : text.data());
  }
}

}  // namespace

void Histogram::observe(double seconds) {
  ++count;
  sum += seconds;
  for (std::size_t i = 0; i < kSecondsBuckets.size(); ++i) {
    if (seconds <= kSecondsBuckets[i]) {
      ++buckets[i];
      return;
    }
  }
  // Above the last bound: only in +Inf, which is `count`.
}

void PrometheusWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  append_escaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
}

void PrometheusWriter::begin_sample(std::string_view name, std::span<const Label> labels,
                                    const Label* extra) {
  text_ += name;
  if (labels.empty() && !extra) {
    text_ += ' ';
    return;
  }
  text_ += '{';
  bool first = true;
  auto add = [&](const Label& label) {
    if (!first) text_ += ',';
    first = false;
    text_ += label.name;
    text_ += "=\"";
    append_escaped(text_, label.value, true);
    text_ += '"';
  };
  for (const Label& label : labels) add(label);
  if (extra) add(*extra);
  text_ += "} ";
}

void PrometheusWriter::sample(std::string_view name, std::span<const Label> labels, double value) {
  begin_sample(name, labels);
  append_number(text_, value);
  text_ += '\n';
}

void PrometheusWriter::sample(std::string_view name, std::span<const Label> labels,
                              std::uint64_t value) {
  begin_sample(name, labels);
  text_ += std::to_string(value);
  text_ += '\n';
}

void PrometheusWriter::histogram(std::string_view name, std::span<const Label> labels,
                                 const Histogram& histogram) {
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kSecondsBuckets.size(); ++i) {
    cumulative += histogram.buckets[i];
    std::string bound;
    append_number(bound, kSecondsBuckets[i]);
    const Label le{"le", bound};
    begin_sample(bucket, labels, &le);
    text_ += std::to_string(cumulative);
    text_ += '\n';
  }
  const Label infinity{"le", "+Inf"};
  begin_sample(bucket, labels, &infinity);
  text_ += std::to_string(histogram.count);
  text_ += '\n';
  sample(std::string(name) + "_sum", labels, histogram.sum);
  sample(std::string(name) + "_count", labels, histogram.count);
}

}  // namespace llmm::observe
