#pragma once
// Vectors of strings used as small ordered sets (regions, modalities, ids): membership, and
// insertion that keeps the order of first appearance.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace llmm {

inline bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

inline void add_unique(std::vector<std::string>& values, std::string_view value) {
  if (!contains(values, value)) values.emplace_back(value);
}

inline void add_all_unique(std::vector<std::string>& values, const std::vector<std::string>& more) {
  for (const auto& value : more) add_unique(values, value);
}

}  // namespace llmm
