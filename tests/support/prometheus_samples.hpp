#pragma once
// Prometheus text read back by a parser we did not write: tests/support/parse_prometheus.py
// runs python3-prometheus-client's text_string_to_metric_families over it, and what it read
// comes back as JSON: {"types": {family: type}, "samples": [{family, type, name, labels,
// value}]}. A text that does not parse fails the
// calling test with the parser's message and yields null.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace llmm::test {

[[nodiscard]] nlohmann::json parse_with_prometheus_client(const std::string& text);

// The sum of the values of the samples called `name` whose labels include `labels`, in what
// parse_with_prometheus_client() gave.
[[nodiscard]] double sample_value(const nlohmann::json& parsed, std::string_view name,
                                  const std::map<std::string, std::string>& labels = {});

}  // namespace llmm::test
