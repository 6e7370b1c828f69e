// The Prometheus text exposition format as PrometheusWriter writes it: HELP and TYPE lines,
// label escaping, histograms with cumulative buckets ending in +Inf, numbers in the format's
// spellings. The whole output is parsed by a strict parser in the integration tests.
#include "observe/prometheus_text.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace llmm::observe {
namespace {

TEST(PrometheusTextTest, CounterWithLabels) {
  PrometheusWriter out;
  out.family("llmm_calls_total", "counter", "Calls ended.");
  const std::array labels = {Label{"model", "Claude 3 Haiku"}, Label{"outcome", "success"}};
  out.sample("llmm_calls_total", labels, std::uint64_t{42});
  EXPECT_EQ(out.take(),
            "# HELP llmm_calls_total Calls ended.\n"
            "# TYPE llmm_calls_total counter\n"
            "llmm_calls_total{model=\"Claude 3 Haiku\",outcome=\"success\"} 42\n");
}

TEST(PrometheusTextTest, LabelValuesAndHelpAreEscapedAsTheFormatSays) {
  PrometheusWriter out;
  out.family("m", "gauge", "a \\ b\nc \"kept\"");
  const std::array labels = {Label{"v", "q\"b\\n\nx"}};
  out.sample("m", labels, 1.5);
  EXPECT_EQ(out.take(),
            "# HELP m a \\\\ b\\nc \"kept\"\n"
            "# TYPE m gauge\n"
            "m{v=\"q\\\"b\\\\n\\nx\"} 1.5\n");
}

TEST(PrometheusTextTest, SampleWithoutLabelsAndNonFiniteValues) {
  PrometheusWriter out;
  out.sample("a", {}, std::uint64_t{0});
  out.sample("b", {}, std::numeric_limits<double>::infinity());
  out.sample("c", {}, -std::numeric_limits<double>::infinity());
  out.sample("d", {}, std::nan(""));
  out.sample("e", {}, 0.1);
  EXPECT_EQ(out.take(), "a 0\nb +Inf\nc -Inf\nd NaN\ne 0.1\n");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeAndEndInInf) {
  Histogram histogram;
  histogram.observe(0.004);   // first bucket
  histogram.observe(0.005);   // le is inclusive
  histogram.observe(0.3);     // le=0.5
  histogram.observe(1000.0);  // above every bound: +Inf only
  ASSERT_EQ(histogram.count, 4U);

  PrometheusWriter out;
  const std::array labels = {Label{"model", "m"}};
  out.histogram("d_seconds", labels, histogram);
  const std::string text = out.take();
  EXPECT_NE(text.find("d_seconds_bucket{model=\"m\",le=\"0.005\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("d_seconds_bucket{model=\"m\",le=\"0.25\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{model=\"m\",le=\"0.5\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{model=\"m\",le=\"600\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_bucket{model=\"m\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_sum{model=\"m\"} 1000.309\n"), std::string::npos);
  EXPECT_NE(text.find("d_seconds_count{model=\"m\"} 4\n"), std::string::npos);
  // Bounds in increasing order, one line each, the +Inf bucket after the last.
  EXPECT_LT(text.find("le=\"600\""), text.find("le=\"+Inf\""));
  EXPECT_LT(text.find("le=\"+Inf\""), text.find("_sum"));
}

}  // namespace
}  // namespace llmm::observe
