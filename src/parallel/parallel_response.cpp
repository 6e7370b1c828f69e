#include <llmm/parallel_response.hpp>

namespace llmm {

const ParallelResult* ParallelResponse::find(std::string_view id) const {
  const auto where = index_by_id.find(id);
  if (where == index_by_id.end() || where->second >= results.size()) return nullptr;
  return &results[where->second];
}

std::vector<std::string> ParallelResponse::ids(RequestOutcome outcome) const {
  std::vector<std::string> chosen;
  for (const ParallelResult& result : results) {
    if (result.outcome == outcome) chosen.push_back(result.id);
  }
  return chosen;
}

std::vector<std::string> ParallelResponse::warnings() const {
  std::vector<std::string> all;
  for (const ParallelResult& result : results) {
    for (const std::string& warning : result.response.warnings) {
      all.push_back(result.id + ": " + warning);
    }
  }
  return all;
}

}  // namespace llmm
