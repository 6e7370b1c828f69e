// The worked examples of docs/emulator.md are data files; each must load as a valid scenario.
#include "emulator_service.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace bedrock_emulator {
namespace {

TEST(ScenarioExamplesTest, EveryDocumentedExampleLoads) {
  const std::filesystem::path folder = std::filesystem::path(LLMM_TEST_DATA_DIR) / "scenarios";
  int loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    EmulatorService service({});
    const auto error = service.set_scenario(text.str());
    EXPECT_FALSE(error.has_value()) << entry.path() << ": " << error.value_or("");
    ++loaded;
  }
  EXPECT_GE(loaded, 4);
}

}  // namespace
}  // namespace bedrock_emulator
