// `llmm batch` as a user runs it: JSONL in, one record a line out, against the embedded emulator
// (echo mode: each answer is its own prompt, so a record holding another line's answer shows),
// and against the emulator process where a test needs faults, stalls or signals.
#include "cli_process.hpp"
#include "cli_runner.hpp"
#include "support/emulator_process.hpp"
#include "support/scoped_temp_dir.hpp"
#include "test_paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using llmm::test::CliProcess;
using llmm::test::EmulatorProcess;
using llmm::test::eventually;
using llmm::test::run_cli;
using llmm::test::ScopedTempDir;
using nlohmann::json;

constexpr const char* kTarget = "--model 'Claude 3 Haiku' --region us-east-1";
constexpr const char* kEmulatorKeys =
    "AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::string prompt_of(std::size_t i) { return "prompt number " + std::to_string(i) + " alpha"; }

// n short-form lines q0..q(n-1), each with its own prompt.
std::string short_lines(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    text += json{{"id", "q" + std::to_string(i)}, {"prompt", prompt_of(i)}}.dump() + "\n";
  }
  return text;
}

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

std::vector<json> records_of(const std::filesystem::path& path) {
  std::vector<json> records;
  for (const std::string& line : lines_of(path)) records.push_back(json::parse(line));
  return records;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every record's id, failing the test on a second record for one id.
std::set<std::string> unique_ids(const std::vector<json>& records) {
  std::set<std::string> ids;
  for (const json& record : records) {
    EXPECT_TRUE(ids.insert(record.at("id").get<std::string>()).second)
        << "written twice: " << record.dump();
  }
  return ids;
}

std::set<std::string> expected_ids(std::size_t n) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.insert("q" + std::to_string(i));
  return ids;
}

// A record answers its own line: echo mode returns the prompt.
void expect_own_answer(const json& record) {
  ASSERT_TRUE(record.at("ok").get<bool>()) << record.dump();
  const std::string id = record.at("id");
  EXPECT_EQ(record.at("text"), prompt_of(std::stoul(id.substr(1)))) << record.dump();
}

std::string batch_command(const ScopedTempDir& dir, const std::string& extra) {
  return "batch " + (dir.path() / "in.jsonl").string() + " -o " +
         (dir.path() / "out.jsonl").string() + " --emulator " + kTarget + " " + extra;
}

TEST(CliBatchTest, EveryLineIsAnsweredOnceWithItsOwnAnswer) {
  ScopedTempDir dir;
  std::string input = short_lines(150);
  // The wire form too, with its own members (inferenceConfig) and a system prompt.
  for (std::size_t i = 150; i < 200; ++i) {
    input += json{{"id", "q" + std::to_string(i)},
                  {"messages", {{{"role", "user"}, {"content", {{{"text", prompt_of(i)}}}}}}},
                  {"system", {{{"text", "be brief"}}}},
                  {"inferenceConfig", {{"maxTokens", 64}}}}
                 .dump() +
             "\n";
  }
  dir.write_file("in.jsonl", input);
  const auto run = run_cli(
      "", batch_command(dir, "-c 8 --json-summary " + (dir.path() / "summary.json").string()));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const std::vector<json> records = records_of(dir.path() / "out.jsonl");
  ASSERT_EQ(records.size(), 200u);
  EXPECT_EQ(unique_ids(records), expected_ids(200));
  for (const json& record : records) {
    expect_own_answer(record);
    EXPECT_EQ(record.at("outcome"), "succeeded");
    EXPECT_EQ(record.at("region"), "us-east-1");
    EXPECT_EQ(record.at("model_name"), "Claude 3 Haiku");
    EXPECT_GE(record.at("attempts").get<int>(), 1);
    EXPECT_GT(record.at("usage").at("output_tokens").get<int>(), 0);
    EXPECT_EQ(record.at("line").get<std::size_t>(),
              std::stoul(record.at("id").get<std::string>().substr(1)) + 1);
  }
  const json summary = json::parse(file_text(dir.path() / "summary.json"));
  EXPECT_EQ(summary.at("exit_code"), 0);
  EXPECT_EQ(summary.at("succeeded"), 200);
  EXPECT_EQ(summary.at("records_written"), 200);
  EXPECT_EQ(summary.at("lines"), 200);
  EXPECT_EQ(summary.at("by_region").at("us-east-1"), 200);
  EXPECT_NE(run.err.find("200 requests: 200 succeeded"), std::string::npos) << run.err;
}

TEST(CliBatchTest, EachBadLineGetsARecordNamingItsLineAndTheRestRuns) {
  ScopedTempDir dir;
  dir.write_file(
      "in.jsonl",
      "{\"id\":\"a\",\"prompt\":\"first\"}\n"  // 1
      "this is not json\n"                     // 2
      "[1, 2]\n"                               // 3
      "{\"id\":\"b\"}\n"                       // 4: neither messages nor prompt
      "{\"id\":{\"x\":1},\"prompt\":\"p\"}\n"  // 5: id of the wrong type
      "\n"                                     // 6: blank, skipped
      "{\"id\":\"a\",\"prompt\":\"again\"}\n"  // 7: duplicate id
      "{\"id\":\"c\",\"messages\":[{\"role\":\"robot\",\"content\":[{\"text\":\"x\"}]}]}\n"  // 8
      "{\"id\":7,\"prompt\":\"numeric id\"}\n"                                               // 9
      "{\"prompt\":\"no id\"}");  // 10, no final newline
  const auto run = run_cli("", batch_command(dir, ""));
  EXPECT_EQ(run.exit_code, 1) << run.both();
  std::map<std::string, json> by_id;
  std::map<std::size_t, json> by_line;
  for (const json& record : records_of(dir.path() / "out.jsonl")) {
    by_line[record.at("line").get<std::size_t>()] = record;
  }
  ASSERT_EQ(by_line.size(), 9u) << file_text(dir.path() / "out.jsonl");
  EXPECT_EQ(by_line.at(1).at("text"), "first");
  EXPECT_EQ(by_line.at(9).at("id"), "7");
  EXPECT_EQ(by_line.at(9).at("text"), "numeric id");
  EXPECT_EQ(by_line.at(10).at("id"), "line-10");
  EXPECT_EQ(by_line.at(10).at("text"), "no id");
  const std::map<std::size_t, std::string> complaints = {
      {2, "line 2: not valid JSON"},
      {3, "line 3: a JSON object is expected, not array"},
      {4, "line 4: neither \"messages\""},
      {5, "line 5: \"id\" must be a string or an integer, not object"},
      {7, "line 7: the id \"a\" was given to an earlier line"},
      {8, "line 8: malformed Converse request"}};
  for (const auto& [line, message] : complaints) {
    const json& record = by_line.at(line);
    EXPECT_EQ(record.at("ok"), false) << record.dump();
    EXPECT_EQ(record.at("outcome"), "invalid_input") << record.dump();
    EXPECT_EQ(record.at("error").at("code"), "InvalidArgument") << record.dump();
    EXPECT_EQ(record.at("error").at("message").get<std::string>().rfind(message, 0), 0u)
        << record.dump();
  }
  EXPECT_NE(run.err.find("5 invalid lines, 1 duplicate ids"), std::string::npos) << run.err;
}

// Found with tests/fuzz/batch_line_fuzz, given a hand-made input deeper than its -max_len lets
// the fuzzer make: a short-form line nested a million levels deep (copied and dumped recursively
// before the library's own depth bound) overflowed the stack; now it is an invalid line like any
// other, and the rest runs.
TEST(CliBatchTest, ADeeplyNestedLineIsRefusedNotACrash) {
  ScopedTempDir dir;
  constexpr std::size_t kDepth = 1000000;
  dir.write_file("in.jsonl",
                 "{\"id\":\"a\",\"prompt\":\"first\"}\n{\"id\":\"deep\",\"prompt\":\"p\",\"x\":" +
                     std::string(kDepth, '[') + std::string(kDepth, ']') + "}\n");
  const auto run = run_cli("", batch_command(dir, ""));
  EXPECT_EQ(run.exit_code, 1) << run.both();
  const std::vector<json> records = records_of(dir.path() / "out.jsonl");
  ASSERT_EQ(records.size(), 2u) << run.both();
  for (const json& record : records) {
    if (record.at("id") == "a") {
      EXPECT_EQ(record.at("text"), "first") << record.dump();
    } else {
      EXPECT_EQ(record.at("id"), "line-2") << record.dump();  // its document is never kept
      EXPECT_EQ(record.at("outcome"), "invalid_input") << record.dump();
      EXPECT_EQ(record.at("error").at("message"), "line 2: nests deeper than 512 levels")
          << record.dump();
    }
  }
}

TEST(CliBatchTest, AnExistingOutputIsKeptUnlessResumedOrOverwritten) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(3));
  dir.write_file("out.jsonl", "{\"id\":\"precious\"}\n");
  const auto refused = run_cli("", batch_command(dir, ""));
  EXPECT_EQ(refused.exit_code, 2) << refused.both();
  EXPECT_NE(refused.err.find("exists and is not empty"), std::string::npos) << refused.err;
  EXPECT_EQ(file_text(dir.path() / "out.jsonl"), "{\"id\":\"precious\"}\n");

  const auto replaced = run_cli("", batch_command(dir, "--overwrite"));
  ASSERT_EQ(replaced.exit_code, 0) << replaced.both();
  EXPECT_EQ(unique_ids(records_of(dir.path() / "out.jsonl")), expected_ids(3));
}

TEST(CliBatchTest, ResumeSkipsWhatIsWrittenAndCutsATornLastLine) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(50));
  ASSERT_EQ(run_cli("", batch_command(dir, "")).exit_code, 0);
  std::vector<std::string> lines = lines_of(dir.path() / "out.jsonl");
  ASSERT_EQ(lines.size(), 50u);
  // What a run killed mid-write leaves: 20 whole records and half of the 21st.
  std::string kept;
  for (std::size_t i = 0; i < 20; ++i) kept += lines[i] + "\n";
  kept += lines[20].substr(0, lines[20].size() / 2);
  dir.write_file("out.jsonl", kept);

  const auto run = run_cli("", batch_command(dir, "--resume"));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  EXPECT_NE(run.err.find("was cut short by an earlier run"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("30 requests: 30 succeeded"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("skipped: 20 already in the output"), std::string::npos) << run.err;
  const std::vector<json> records = records_of(dir.path() / "out.jsonl");  // each line parses
  EXPECT_EQ(records.size(), 50u);
  EXPECT_EQ(unique_ids(records), expected_ids(50));
  for (const json& record : records) expect_own_answer(record);

  // Nothing left: a further resume sends nothing.
  const auto again = run_cli("", batch_command(dir, "--resume"));
  EXPECT_EQ(again.exit_code, 0) << again.both();
  EXPECT_NE(again.err.find("0 requests"), std::string::npos) << again.err;
  EXPECT_EQ(lines_of(dir.path() / "out.jsonl").size(), 50u);
}

TEST(CliBatchTest, OrderedWritesTheRecordsInInputOrder) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(300));
  const auto run = run_cli("", batch_command(dir, "--ordered -c 32"));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  const std::vector<json> records = records_of(dir.path() / "out.jsonl");
  ASSERT_EQ(records.size(), 300u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].at("id"), "q" + std::to_string(i));
  }
}

TEST(CliBatchTest, ReadsStandardInputAndWritesStandardOutput) {
  ScopedTempDir dir;
  const auto input = dir.write_file("in.jsonl", short_lines(5));
  const auto run =
      run_cli("", std::string("batch --emulator ") + kTarget + " -q < " + input.string());
  ASSERT_EQ(run.exit_code, 0) << run.both();
  std::istringstream out(run.out);
  std::vector<json> records;
  for (std::string line; std::getline(out, line);) records.push_back(json::parse(line));
  EXPECT_EQ(unique_ids(records), expected_ids(5));
}

TEST(CliBatchTest, FourShardsAreDisjointAndTogetherTheInput) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(400));
  std::set<std::string> all;
  std::size_t total = 0;
  for (int k = 0; k < 4; ++k) {
    const auto out = dir.path() / ("out-" + std::to_string(k) + ".jsonl");
    const auto run =
        run_cli("", "batch " + (dir.path() / "in.jsonl").string() + " -o " + out.string() +
                        " --emulator " + kTarget + " --shard " + std::to_string(k) + "/4");
    ASSERT_EQ(run.exit_code, 0) << run.both();
    const std::vector<json> records = records_of(out);
    // A hash of 400 ids splits near 100 each; none empty, none holding most.
    EXPECT_GT(records.size(), 50u);
    EXPECT_LT(records.size(), 150u);
    for (const json& record : records) {
      EXPECT_TRUE(all.insert(record.at("id").get<std::string>()).second) << "in two shards";
    }
    total += records.size();
  }
  EXPECT_EQ(total, 400u);
  EXPECT_EQ(all, expected_ids(400));
}

TEST(CliBatchTest, SchedulerVariablesPickTheShard) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(40));
  const std::string in = (dir.path() / "in.jsonl").string();
  const auto run_with = [&](const std::string& environment, const std::string& out) {
    return run_cli(environment, "batch " + in + " -o " + (dir.path() / out).string() +
                                    " --emulator " + kTarget + " --json-summary " +
                                    (dir.path() / "summary.json").string());
  };
  // Slurm arrays may start at 1: task 2 of --array=1-2 is shard 1 of 2.
  ASSERT_EQ(run_with("SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=2",
                     "slurm.jsonl")
                .exit_code,
            0);
  json summary = json::parse(file_text(dir.path() / "summary.json"));
  EXPECT_EQ(summary.at("shard").at("index"), 1);
  EXPECT_EQ(summary.at("shard").at("count"), 2);
  EXPECT_EQ(summary.at("shard").at("source"), "SLURM_ARRAY_TASK_ID");
  // Kubernetes gives the index only; the count comes from LLMM_SHARD_COUNT, and {shard} in the
  // output path becomes the index.
  ASSERT_EQ(run_with("JOB_COMPLETION_INDEX=1 LLMM_SHARD_COUNT=2", "k8s-{shard}.jsonl").exit_code,
            0);
  EXPECT_EQ(unique_ids(records_of(dir.path() / "k8s-1.jsonl")),
            unique_ids(records_of(dir.path() / "slurm.jsonl")));
  ASSERT_EQ(
      run_with("AWS_BATCH_JOB_ARRAY_INDEX=0 AWS_BATCH_JOB_ARRAY_SIZE=2", "aws.jsonl").exit_code, 0);
  const std::set<std::string> first = unique_ids(records_of(dir.path() / "aws.jsonl"));
  std::set<std::string> both = unique_ids(records_of(dir.path() / "slurm.jsonl"));
  both.insert(first.begin(), first.end());
  EXPECT_EQ(both, expected_ids(40));

  const auto no_count = run_with("JOB_COMPLETION_INDEX=1", "x.jsonl");
  EXPECT_EQ(no_count.exit_code, 2);
  EXPECT_NE(no_count.err.find("JOB_COMPLETION_INDEX is set but not the number of shards"),
            std::string::npos)
      << no_count.err;
  const auto out_of_range = run_with("SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4", "y.jsonl");
  EXPECT_EQ(out_of_range.exit_code, 2);
  EXPECT_NE(out_of_range.err.find("the index must be below the count"), std::string::npos)
      << out_of_range.err;
  EXPECT_EQ(run_cli("", "batch " + in + " --emulator " + kTarget + " --shard 4/4").exit_code, 2);
  EXPECT_EQ(run_cli("", "batch " + in + " --emulator " + kTarget + " --shard x").exit_code, 2);
}

TEST(CliBatchTest, BadFlagsExitTwo) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(1));
  const std::string in = (dir.path() / "in.jsonl").string();
  EXPECT_EQ(run_cli("", "batch /no/such/file.jsonl --emulator " + std::string(kTarget)).exit_code,
            2);
  EXPECT_EQ(run_cli("", "batch " + in + " --emulator " + kTarget + " -c 0").exit_code, 2);
  EXPECT_EQ(run_cli("", "batch " + in + " --emulator " + kTarget + " --failure-strategy sometimes")
                .exit_code,
            2);
  EXPECT_EQ(run_cli("", "batch " + in + " --emulator " + kTarget + " --resume").exit_code, 2);
  EXPECT_EQ(run_cli("", "batch " + in + " -o " + in + " --emulator " + kTarget).exit_code, 2);
}

TEST(CliBatchTest, FixedRateLimitsHoldAttemptsBackAndBadRulesExitTwo) {
  ScopedTempDir dir;
  dir.write_file("in.jsonl", short_lines(4));
  // 120 per minute: a bucket of 2 that refills every 500 ms, so 2 of the 4 wait.
  const auto run = run_cli("", batch_command(dir, "-c 4 --rpm 120 --full"));
  ASSERT_EQ(run.exit_code, 0) << run.both();
  std::size_t held = 0;
  for (const json& record : records_of(dir.path() / "out.jsonl")) {
    expect_own_answer(record);
    const json& attempt = record.at("response").at("attempts").at(0);
    if (attempt.at("rate_wait_ms").get<long long>() > 0) ++held;
  }
  EXPECT_EQ(held, 2u);

  const std::string in = (dir.path() / "in.jsonl").string();
  const auto bad_number = run_cli(
      "", "batch " + in + " --emulator " + kTarget + " --rate-limit region=us-east-1,rpm=lots");
  EXPECT_EQ(bad_number.exit_code, 2);
  EXPECT_NE(bad_number.err.find("rpm must be a number > 0, got 'lots'"), std::string::npos)
      << bad_number.err;
  const auto bad_key =
      run_cli("", "batch " + in + " --emulator " + kTarget + " --rate-limit zone=a,rpm=5");
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.err.find("unknown key 'zone'"), std::string::npos) << bad_key.err;
  EXPECT_EQ(
      run_cli("", "batch " + in + " --emulator " + kTarget + " --rate-limit region=x").exit_code,
      2);
  EXPECT_EQ(
      run_cli("", "batch " + in + " --emulator " + kTarget + " --rate-control sometimes").exit_code,
      2);
}

// Against the emulator process: faults are scripted there, and the batch is a child we signal.
class CliBatchProcessTest : public ::testing::Test {
 protected:
  std::vector<std::string> arguments(const std::string& extra_first = {}) const {
    std::vector<std::string> args = {"batch",
                                     (dir_.path() / "in.jsonl").string(),
                                     "-o",
                                     (dir_.path() / "out.jsonl").string(),
                                     "--endpoint",
                                     emulator_.base_url(),
                                     "--model",
                                     "Claude 3 Haiku",
                                     "--region",
                                     "us-east-1",
                                     "--retry-delay",
                                     "1",
                                     "-q"};
    if (!extra_first.empty()) args.push_back(extra_first);
    return args;
  }
  std::vector<std::string> environment() const {
    return {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
  }
  [[nodiscard]] std::size_t output_lines() const {
    return lines_of(dir_.path() / "out.jsonl").size();
  }

  ScopedTempDir dir_;
  EmulatorProcess emulator_{BEDROCK_EMULATOR_PATH, {"--seed", "11"}};
};

TEST_F(CliBatchProcessTest, KilledFiveTimesThenResumedEachLineIsWrittenOnceAndWhole) {
  constexpr std::size_t kLines = 600;
  dir_.write_file("in.jsonl", short_lines(kLines));
  // Slow enough to be killed mid-run: every call waits 5 ms, 4 in flight.
  emulator_.admin_put_scenario(
      R"({"rules":[{"name":"slow","match":{"operation":"Converse"},"action":{"type":"delay","ms":5}}]})");
  std::mt19937 random(20261203);
  for (int kill_round = 0; kill_round < 5; ++kill_round) {
    const std::size_t before = output_lines();
    std::vector<std::string> args = arguments(kill_round == 0 ? "" : "--resume");
    args.insert(args.end(), {"-c", "4"});
    CliProcess batch(environment(), args, (dir_.path() / "stdout").string(),
                     (dir_.path() / "stderr").string());
    // Killed once it has written between 1 and 60 more records.
    const std::size_t target = before + 1 + random() % 60;
    ASSERT_TRUE(eventually([&] { return output_lines() >= target || batch.ended(); }))
        << batch.err();
    batch.signal(SIGKILL);
    const int status = batch.wait();
    ASSERT_TRUE(status == -SIGKILL || status == 0) << status << batch.err();
    for (const std::string& line : lines_of(dir_.path() / "out.jsonl")) {
      // Whole records only: kill -9 never leaves half a line behind.
      EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << line;
    }
  }
  std::vector<std::string> args = arguments("--resume");
  CliProcess last(environment(), args, (dir_.path() / "stdout").string(),
                  (dir_.path() / "stderr").string());
  ASSERT_EQ(last.wait(), 0) << last.err();
  const std::vector<json> records = records_of(dir_.path() / "out.jsonl");
  EXPECT_EQ(records.size(), kLines);
  EXPECT_EQ(unique_ids(records), expected_ids(kLines));
  for (const json& record : records) expect_own_answer(record);
}

TEST_F(CliBatchProcessTest, AFirstSignalFinishesWhatIsInFlightASecondCancelsIt) {
  dir_.write_file("in.jsonl", short_lines(100));
  // The first 10 calls are answered; every later one stalls, so 4 sit in flight.
  std::string stall_calls;
  for (int call = 11; call <= 200; ++call)
    stall_calls += (stall_calls.empty() ? "" : ",") + std::to_string(call);
  emulator_.admin_put_scenario(
      R"({"rules":[{"name":"stall after ten","match":{"operation":"Converse","calls":[)" +
      stall_calls + R"(]},"action":{"type":"stall"}}]})");
  std::vector<std::string> args = arguments();
  args.insert(args.end(), {"-c", "4", "--read-timeout", "300s", "--json-summary",
                           (dir_.path() / "summary.json").string()});
  CliProcess batch(environment(), args, (dir_.path() / "stdout").string(),
                   (dir_.path() / "stderr").string());
  ASSERT_TRUE(eventually([&] { return output_lines() >= 10; })) << batch.err();
  batch.signal(SIGINT);
  ASSERT_TRUE(eventually([&] {
    return batch.err().find("taking no more lines") != std::string::npos;
  })) << batch.err();
  EXPECT_FALSE(batch.ended()) << "the stalled requests hold it";
  batch.signal(SIGTERM);
  EXPECT_EQ(batch.wait(), 3) << batch.err();
  EXPECT_NE(batch.err().find("cancelling the requests in flight"), std::string::npos)
      << batch.err();
  const json summary = json::parse(file_text(dir_.path() / "summary.json"));
  EXPECT_EQ(summary.at("interrupted_by"), "SIGINT");
  EXPECT_EQ(summary.at("records_written"), 10);
  EXPECT_EQ(summary.at("cancelled"), 4);
  EXPECT_EQ(output_lines(), 10u);

  // What was cancelled or never read is done by --resume.
  emulator_.admin_put_scenario(R"({"rules":[]})");
  CliProcess resumed(environment(), arguments("--resume"), (dir_.path() / "stdout").string(),
                     (dir_.path() / "stderr").string());
  ASSERT_EQ(resumed.wait(), 0) << resumed.err();
  const std::vector<json> records = records_of(dir_.path() / "out.jsonl");
  EXPECT_EQ(unique_ids(records), expected_ids(100));
  for (const json& record : records) expect_own_answer(record);
}

TEST_F(CliBatchProcessTest, ASingleSignalLetsTheRequestsInFlightFinish) {
  dir_.write_file("in.jsonl", short_lines(100));
  // Every call takes 300 ms: the signal lands while 4 are in flight, and they are answered.
  emulator_.admin_put_scenario(
      R"({"rules":[{"name":"slow","match":{"operation":"Converse"},"action":{"type":"delay","ms":300}}]})");
  std::vector<std::string> args = arguments();
  args.insert(args.end(), {"-c", "4", "--json-summary", (dir_.path() / "summary.json").string()});
  CliProcess batch(environment(), args, (dir_.path() / "stdout").string(),
                   (dir_.path() / "stderr").string());
  ASSERT_TRUE(eventually([&] { return output_lines() >= 4; })) << batch.err();
  batch.signal(SIGTERM);
  EXPECT_EQ(batch.wait(), 3) << batch.err();
  const json summary = json::parse(file_text(dir_.path() / "summary.json"));
  EXPECT_EQ(summary.at("interrupted_by"), "SIGTERM");
  EXPECT_EQ(summary.at("cancelled"), 0);
  EXPECT_EQ(summary.at("records_written").get<std::size_t>(), output_lines());
  EXPECT_LT(output_lines(), 100u);
  for (const json& record : records_of(dir_.path() / "out.jsonl")) expect_own_answer(record);
}

TEST_F(CliBatchProcessTest, TheRequestTimeoutCancelsTheTransferAndTheEmulatorSeesItAbandoned) {
  dir_.write_file("in.jsonl", short_lines(3));
  // The first call is held 30 s; its 300 ms request timeout cancels the transfer, which frees
  // the one slot for the other two.
  emulator_.admin_put_scenario(
      R"({"rules":[{"name":"held","match":{"operation":"Converse","calls":[1]},"action":{"type":"delay","ms":30000}}]})");
  std::vector<std::string> args = arguments();
  args.insert(args.end(), {"-c", "1", "--request-timeout", "300"});
  CliProcess batch(environment(), args, (dir_.path() / "stdout").string(),
                   (dir_.path() / "stderr").string());
  EXPECT_EQ(batch.wait(), 1) << batch.err();  // a request failed
  const std::vector<json> records = records_of(dir_.path() / "out.jsonl");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].at("id"), "q0");
  EXPECT_EQ(records[0].at("outcome"), "timed_out");
  expect_own_answer(records[1]);
  expect_own_answer(records[2]);
  // The emulator saw the client give up on the held answer (it closed the connection), not
  // answer it 30 s later.
  EXPECT_TRUE(eventually([&] {
    return json::parse(emulator_.admin_counters()).at("abandoned").get<int>() == 1;
  })) << emulator_.admin_counters();
}

TEST_F(CliBatchProcessTest, InjectedFaultsStillGiveEveryLineItsOwnAnswer) {
  constexpr std::size_t kLines = 100'000;
  dir_.write_file("in.jsonl", short_lines(kLines));
  // About 5 % faults of several kinds (a stall ends at the 1 s read timeout); each is retried on
  // the one target.
  emulator_.admin_put_scenario(R"({"seed": 5, "rules":[
    {"name":"throttle","match":{"operation":"Converse","probability":0.015},"action":{"type":"error","exception":"ThrottlingException","message":"Rate exceeded"}},
    {"name":"503","match":{"operation":"Converse","probability":0.015},"action":{"type":"error","exception":"ServiceUnavailableException","message":"down"}},
    {"name":"reset","match":{"operation":"Converse","probability":0.01},"action":{"type":"reset"}},
    {"name":"stall","match":{"operation":"Converse","probability":0.001},"action":{"type":"stall"}},
    {"name":"trickle","match":{"operation":"Converse","probability":0.005},"action":{"type":"trickle","intervalMs":1}}]})");
  std::vector<std::string> args = arguments();
  // Rate control off: these throttles are random, not a quota, and the adaptive limiter would
  // (rightly) slow the whole batch down at every one of them; this test is about the answers.
  args.insert(args.end(),
              {"-c", "128", "--read-timeout", "1s", "--retries-max-attempts", "8", "--rate-control",
               "off", "--json-summary", (dir_.path() / "summary.json").string()});
  CliProcess batch(environment(), args, (dir_.path() / "stdout").string(),
                   (dir_.path() / "stderr").string());
  ASSERT_EQ(batch.wait(), 0) << batch.err();
  const std::vector<json> records = records_of(dir_.path() / "out.jsonl");
  EXPECT_EQ(unique_ids(records), expected_ids(kLines));
  for (const json& record : records) expect_own_answer(record);
  const json summary = json::parse(file_text(dir_.path() / "summary.json"));
  EXPECT_GT(summary.at("attempts").get<std::size_t>(), kLines) << "faults were retried";
  EXPECT_GT(summary.at("throttled_attempts").get<std::size_t>(), 0u);
}

}  // namespace
