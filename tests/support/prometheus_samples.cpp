#include "support/prometheus_samples.hpp"

#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

#include <unistd.h>

namespace llmm::test {

namespace {

// Debian's interpreter, the one python3-prometheus-client installs for: a python3 earlier on
// PATH (pyenv, a virtualenv) may not have the module.
std::string debian_python() {
  return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

}  // namespace

nlohmann::json parse_with_prometheus_client(const std::string& text) {
  const ScopedTempDir dir;
  const std::string path = dir.write_file("metrics.txt", text).string();
  const std::string command = debian_python() + " " + LLMM_TEST_DATA_DIR +
                              "/../support/parse_prometheus.py '" + path + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "cannot run " << command;
    return nullptr;
  }
  std::string out;
  std::array<char, 4096> chunk{};
  while (const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
    out.append(chunk.data(), n);
  }
  const int status = ::pclose(pipe);
  if (status != 0) {
    ADD_FAILURE() << "the Prometheus text does not parse: " << out << "\n--- text ---\n" << text;
    return nullptr;
  }
  return nlohmann::json::parse(out);
}

double sample_value(const nlohmann::json& parsed, std::string_view name,
                    const std::map<std::string, std::string>& labels) {
  double total = 0;
  if (!parsed.is_object()) return total;
  for (const nlohmann::json& sample : parsed["samples"]) {
    if (sample["name"] != name) continue;
    bool match = true;
    for (const auto& [key, value] : labels) {
      match = match && sample["labels"].contains(key) && sample["labels"][key] == value;
    }
    if (match && sample["value"].is_number()) total += sample["value"].get<double>();
  }
  return total;
}

}  // namespace llmm::test
