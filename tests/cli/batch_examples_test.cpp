// The scheduler examples of docs/examples run as they are: the Slurm array script under bash
// with the variables Slurm sets, and the command and environment of the Kubernetes Indexed Job
// manifest (read with a YAML parser) with the index Kubernetes gives each pod. Only the place
// of the data and the endpoint (the embedded emulator, through LLMM_BATCH_FLAGS or one added
// flag) differ from a cluster.
#include "cli_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace {

using llmm::test::CliProcess;
using llmm::test::ScopedTempDir;
using nlohmann::json;

const std::filesystem::path kExamples =
    std::filesystem::path(LLMM_TEST_DATA_DIR) / ".." / ".." / "docs" / "examples";

std::string input_lines(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    text +=
        json{{"id", "p" + std::to_string(i)}, {"prompt", "example " + std::to_string(i)}}.dump() +
        "\n";
  }
  return text;
}

// The ids of every record in the files, failing on one written twice.
std::set<std::string> ids_in(const std::vector<std::filesystem::path>& files) {
  std::set<std::string> ids;
  for (const auto& file : files) {
    std::ifstream in(file);
    EXPECT_TRUE(in.good()) << file;
    for (std::string line; std::getline(in, line);) {
      const json record = json::parse(line);
      EXPECT_TRUE(record.at("ok").get<bool>()) << line;
      EXPECT_TRUE(ids.insert(record.at("id").get<std::string>()).second) << line;
    }
  }
  return ids;
}

std::set<std::string> expected(std::size_t n) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.insert("p" + std::to_string(i));
  return ids;
}

std::string search_path() {
  return "PATH=" + std::filesystem::path(LLMM_CLI_PATH).parent_path().string() + ":/usr/bin:/bin";
}

TEST(BatchExamplesTest, TheSlurmArrayScriptRunsFourDisjointShards) {
  ScopedTempDir dir;
  const auto input = dir.write_file("prompts.jsonl", input_lines(120));
  const std::string prefix = (dir.path() / "answers").string();
  std::vector<std::filesystem::path> outputs;
  // --array=1-4: Slurm numbers the tasks from 1, and llmm subtracts SLURM_ARRAY_TASK_MIN.
  for (int task = 1; task <= 4; ++task) {
    CliProcess run({search_path(), "SLURM_ARRAY_TASK_ID=" + std::to_string(task),
                    "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=4",
                    "LLMM_REGIONS=us-east-1 us-west-2", "LLMM_BATCH_FLAGS=--emulator -q"},
                   {"/bin/bash", (kExamples / "batch-slurm.sh").string(), input.string(), prefix},
                   (dir.path() / "stdout").string(), (dir.path() / "stderr").string(),
                   /*program_is_first_argument=*/true);
    ASSERT_EQ(run.wait(), 0) << run.err();
    outputs.push_back(prefix + "-" + std::to_string(task - 1) + ".jsonl");
    const json summary =
        json::parse(std::ifstream(prefix + "-summary-" + std::to_string(task - 1) + ".json"));
    EXPECT_EQ(summary.at("shard").at("index"), task - 1);
    EXPECT_EQ(summary.at("shard").at("count"), 4);
  }
  EXPECT_EQ(ids_in(outputs), expected(120));
}

TEST(BatchExamplesTest, TheIndexedJobsCommandRunsFourDisjointShards) {
  ScopedTempDir dir;
  // The manifest as JSON, by python3-yaml (scripts/bootstrap installs it).
  const std::string converter =
      dir.write_file(
             "to_json.py",
             "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]))))\n")
          .string();
  std::string manifest_text;
  {
    FILE* pipe = popen(
        ("python3 " + converter + " " + (kExamples / "batch-indexed-job.yaml").string()).c_str(),
        "r");
    ASSERT_NE(pipe, nullptr);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
      manifest_text.append(buffer.data(), n);
    ASSERT_EQ(pclose(pipe), 0) << "the manifest is not YAML python3-yaml reads";
  }
  const json job = json::parse(manifest_text);
  ASSERT_EQ(job.at("kind"), "Job");
  ASSERT_EQ(job.at("spec").at("completionMode"), "Indexed");
  const int completions = job.at("spec").at("completions");
  const json& container = job.at("spec").at("template").at("spec").at("containers").at(0);
  std::vector<std::string> environment{search_path()};
  for (const json& variable : container.at("env")) {
    environment.push_back(variable.at("name").get<std::string>() + "=" +
                          variable.at("value").get<std::string>());
  }
  dir.write_file("prompts.jsonl", input_lines(120));
  std::vector<std::filesystem::path> outputs;
  for (int index = 0; index < completions; ++index) {
    std::vector<std::string> command;
    for (const json& word : container.at("command")) {
      std::string text = word;
      // The volume mounted at /data is this test's directory.
      if (text.rfind("/data/", 0) == 0) text = (dir.path() / text.substr(6)).string();
      command.push_back(text);
    }
    ASSERT_EQ(command.front(), "llmm");
    command.front() = LLMM_CLI_PATH;
    command.insert(command.end(), {"--emulator", "-q"});
    std::vector<std::string> pod_environment = environment;
    pod_environment.push_back("JOB_COMPLETION_INDEX=" + std::to_string(index));
    CliProcess pod(pod_environment, command, (dir.path() / "stdout").string(),
                   (dir.path() / "stderr").string(), /*program_is_first_argument=*/true);
    ASSERT_EQ(pod.wait(), 0) << pod.err();
    outputs.push_back(dir.path() / ("answers-" + std::to_string(index) + ".jsonl"));
    EXPECT_TRUE(
        std::filesystem::exists(dir.path() / ("summary-" + std::to_string(index) + ".json")));
  }
  EXPECT_EQ(ids_in(outputs), expected(120));
}

}  // namespace
