#include "scenario.hpp"
#include "service_test_support.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;

std::string parse_error(const std::string& json) {
  auto parsed = parse_scenario(json);
  if (auto* message = std::get_if<std::string>(&parsed)) return *message;
  return {};
}

TEST(EmulatorScenario, ParsesTheDocumentedExample) {
  const std::string json = R"({"seed": 7, "mode": "echo",
    "latency": {"timeToFirstTokenMs": 0, "tokensPerSecond": 0},
    "rules": [{"name": "throttle east",
      "match": {"region": "us-east-1", "model": "anthropic.claude-3-haiku-20240307-v1:0",
                "operation": "Converse", "calls": [1, 2], "probability": 1.0},
      "action": {"type": "error", "exception": "ThrottlingException", "message": "Too many requests",
                 "retryAfterSeconds": 1}}]})";
  auto parsed = parse_scenario(json);
  ASSERT_TRUE(std::holds_alternative<Scenario>(parsed)) << std::get<std::string>(parsed);
  const Scenario& scenario = std::get<Scenario>(parsed);
  EXPECT_EQ(scenario.seed, 7u);
  ASSERT_EQ(scenario.rules.size(), 1u);
  EXPECT_EQ(scenario.rules[0].action.status, 429);
  EXPECT_EQ(scenario.rules[0].action.retry_after_seconds, 1);
  EXPECT_EQ(scenario.rules[0].match.calls, (std::vector<std::int64_t>{1, 2}));
}

TEST(EmulatorScenario, ErrorsNameTheRuleAndTheField) {
  EXPECT_NE(parse_error("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error("[]").find("must be a JSON object"), std::string::npos);
  EXPECT_EQ(parse_error(R"({"rules":[{"action":{"type":"stall"}},
      {"name":"bad","action":{"type":"explode"}}]})"),
            "rule 2 (\"bad\"): action: unknown action type \"explode\"");
  EXPECT_EQ(parse_error(R"({"rules":[{"action":{"type":"delay","ms":"5"}}]})"),
            "rule 1: action: \"ms\" must be an integer >= 0");
  EXPECT_EQ(parse_error(R"({"rules":[{"match":{"calls":[0]},"action":{"type":"stall"}}]})"),
            "rule 1: match: \"calls\" must be an array of positive integers");
  EXPECT_EQ(parse_error(R"({"rules":[{"match":{"probability":1.5},"action":{"type":"stall"}}]})"),
            "rule 1: match: \"probability\" must be a number between 0 and 1");
  EXPECT_EQ(
      parse_error(R"({"rules":[{"match":{"operation":"Invoke"},"action":{"type":"stall"}}]})"),
      "rule 1: match: unknown operation \"Invoke\"");
  EXPECT_EQ(parse_error(R"({"rules":[{"action":{"type":"stall","ms":1}}]})"),
            "rule 1: action: unknown field \"ms\"");
  EXPECT_EQ(parse_error(R"({"rules":[{"action":{"type":"error","exception":"FooException"}}]})"),
            "rule 1: action: \"status\" is required for the unknown exception \"FooException\"");
  EXPECT_NE(parse_error(R"({"rules":[{"action":{"type":"streamException",
      "exception":"ThrottlingException","afterEvents":1}}]})")
                .find("lowerCamel"),
            std::string::npos);
  EXPECT_EQ(parse_error(R"({"mode":"chat"})"),
            "scenario: \"mode\" must be \"echo\" or \"generate\"");
  EXPECT_EQ(parse_error(R"({"rules":[{"name":"x"}]})"), "rule 1 (\"x\"): \"action\" is required");
  EXPECT_EQ(parse_error(R"({"extra":1})"), "scenario: unknown field \"extra\"");
  // Found by tests/fuzz/scenario_fuzz: a number beyond a double is out_of_range, not parse_error,
  // and it escaped parse_scenario.
  EXPECT_NE(parse_error(R"({"latency":{"tokensPerSecond":1e400}})").find("not valid JSON"),
            std::string::npos);
  // Found with the same target given a hand-made input (deeper than -max_len allows): a document
  // nested a million levels deep overflowed the stack when copied or dumped.
  const std::size_t depth = 1000000;
  EXPECT_EQ(parse_error(R"({"rules":[{"action":{"type":"toolUse","name":"t","input":{"x":)" +
                        std::string(depth, '[') + std::string(depth, ']') + "}}}]}"),
            "scenario nests deeper than 512 levels");
  // 2^32 + 200 is refused, not narrowed to 200.
  EXPECT_EQ(
      parse_error(R"({"rules":[{"action":{"type":"error","exception":"X","status":4294967496}}]})"),
      "rule 1: action: \"status\" must be an HTTP status (100-599)");
}

TEST(EmulatorScenario, DefaultStatusesFollowTheModel) {
  EXPECT_EQ(default_status_for("ThrottlingException"), 429);
  EXPECT_EQ(default_status_for("ServiceUnavailableException"), 503);
  EXPECT_EQ(default_status_for("InternalServerException"), 500);
  EXPECT_EQ(default_status_for("ModelTimeoutException"), 408);
  EXPECT_EQ(default_status_for("ModelNotReadyException"), 429);
  EXPECT_EQ(default_status_for("ModelErrorException"), 424);
  EXPECT_EQ(default_status_for("AccessDeniedException"), 403);
  EXPECT_EQ(default_status_for("ResourceNotFoundException"), 404);
  EXPECT_EQ(default_status_for("ValidationException"), 400);
  EXPECT_EQ(default_status_for("ServiceQuotaExceededException"), 400);
  EXPECT_EQ(default_status_for("NoSuchThing"), 0);
}

TEST(EmulatorScenario, CallsCountOnlyRequestsMatchingTheOtherCriteria) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"name":"second west",
      "match":{"region":"us-west-2","calls":[2]},
      "action":{"type":"error","exception":"ThrottlingException"}}]})"));
  const std::string body = user_text_body("hi");
  EXPECT_EQ(service.handle(converse_request(body)).status, 200);  // east: not counted
  EXPECT_EQ(service.handle(converse_request(body, "amazon.nova-lite-v1:0", "us-west-2")).status,
            200);
  EXPECT_EQ(service.handle(converse_request(body)).status, 200);
  auto plan = service.handle(converse_request(body, "amazon.nova-lite-v1:0", "us-west-2"));
  EXPECT_EQ(plan.status, 429);
  EXPECT_EQ(plan.rule_name, "second west");
  EXPECT_EQ(service.handle(converse_request(body, "amazon.nova-lite-v1:0", "us-west-2")).status,
            200);
}

TEST(EmulatorScenario, MatchesModelAndOperation) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[
      {"match":{"model":"amazon.nova-lite-v1:0","operation":"Converse"},
       "action":{"type":"error","exception":"AccessDeniedException"}},
      {"match":{"operation":"ListFoundationModels"},
       "action":{"type":"error","exception":"InternalServerException"}}]})"));
  const std::string body = user_text_body("hi");
  EXPECT_EQ(service.handle(converse_request(body, "amazon.nova-lite-v1:0")).status, 403);
  EXPECT_EQ(service.handle(converse_request(body, "amazon.nova-pro-v1:0")).status, 200);
  EXPECT_EQ(service
                .handle(converse_request(body, "amazon.nova-lite-v1:0", "us-east-1",
                                         Operation::ConverseStream))
                .status,
            200);
  EXPECT_EQ(service.handle(control_request(Operation::ListFoundationModels)).status, 500);
  EXPECT_EQ(service.handle(control_request(Operation::ListInferenceProfiles)).status, 200);
}

std::vector<int> statuses(std::uint64_t seed, int n) {
  EmulatorService service({.seed = seed});
  EXPECT_FALSE(service.set_scenario(R"({"rules":[{"match":{"probability":0.5},
      "action":{"type":"error","exception":"ThrottlingException"}}]})"));
  std::vector<int> out;
  for (int i = 0; i < n; ++i)
    out.push_back(service.handle(converse_request(user_text_body("x"))).status);
  return out;
}

TEST(EmulatorScenario, ProbabilityIsDeterministicPerSeed) {
  const auto first = statuses(1, 64);
  EXPECT_EQ(first, statuses(1, 64));
  EXPECT_NE(first, statuses(2, 64));
  const auto throttled = std::count(first.begin(), first.end(), 429);
  EXPECT_GT(throttled, 10);
  EXPECT_LT(throttled, 54);
}

TEST(EmulatorScenario, ScenarioSeedOverridesServiceSeedAndResetClears) {
  const char* scenario = R"({"seed": 99, "rules":[{"match":{"probability":0.5},
      "action":{"type":"error","exception":"ThrottlingException"}}]})";
  EmulatorService a({.seed = 1});
  EmulatorService b({.seed = 2});
  ASSERT_FALSE(a.set_scenario(scenario));
  ASSERT_FALSE(b.set_scenario(scenario));
  for (int i = 0; i < 32; ++i) {
    EXPECT_EQ(a.handle(converse_request(user_text_body("x"))).status,
              b.handle(converse_request(user_text_body("x"))).status);
  }
  a.reset();
  EXPECT_EQ(a.scenario_json(), R"({"rules":[]})");
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(a.handle(converse_request(user_text_body("x"))).status, 200);
}

TEST(EmulatorScenario, InvalidScenarioKeepsTheOldOne) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"action":{"type":"stall"}}]})"));
  const std::string before = service.scenario_json();
  EXPECT_TRUE(service.set_scenario(R"({"rules":[{"action":{"type":"nope"}}]})"));
  EXPECT_EQ(service.scenario_json(), before);
  EXPECT_TRUE(service.handle(converse_request(user_text_body("x"))).stall);
}

TEST(EmulatorScenario, ActionPlans) {
  EmulatorService service({});
  const std::string body = user_text_body("hello there");
  auto with = [&](const std::string& action, Operation operation = Operation::Converse) {
    EXPECT_FALSE(service.set_scenario(R"({"rules":[{"name":"r","action":)" + action + "}]}"));
    return service.handle(
        converse_request(body, "anthropic.claude-3-haiku-20240307-v1:0", "us-east-1", operation));
  };

  auto error = with(R"({"type":"error","exception":"ThrottlingException","message":"slow down",
                        "retryAfterSeconds":3})");
  EXPECT_EQ(error.status, 429);
  EXPECT_EQ(error_type(error), "ThrottlingException");
  EXPECT_EQ(error_message(error), "slow down");
  EXPECT_EQ(header(error, "Retry-After"), "3");
  EXPECT_EQ(error.outcome, "429 ThrottlingException");
  EXPECT_EQ(error.rule_name, "r");

  auto custom = with(R"({"type":"error","exception":"ModelErrorException","status":500})");
  EXPECT_EQ(custom.status, 500);
  EXPECT_EQ(error_type(custom), "ModelErrorException");

  auto delay = with(R"({"type":"delay","ms":250})");
  EXPECT_EQ(delay.status, 200);
  EXPECT_EQ(delay.delay_before_headers, std::chrono::milliseconds(250));

  EXPECT_TRUE(with(R"({"type":"stall"})").stall);
  EXPECT_TRUE(with(R"({"type":"reset"})").reset);

  auto trickle = with(R"({"type":"trickle","intervalMs":5})");
  EXPECT_EQ(trickle.status, 200);
  EXPECT_EQ(trickle.trickle_interval, std::chrono::milliseconds(5));

  // Stream-only actions do not apply to Converse: the rule does not match.
  auto cut_on_converse = with(R"({"type":"streamCut","afterEvents":1})");
  EXPECT_EQ(cut_on_converse.status, 200);
  EXPECT_TRUE(cut_on_converse.rule_name.empty());

  auto cut = with(R"({"type":"streamCut","afterEvents":2})", Operation::ConverseStream);
  EXPECT_TRUE(cut.streaming);
  EXPECT_TRUE(cut.cut_after_frames);
  EXPECT_EQ(cut.frames.size(), 2u);

  auto normal = with(R"({"type":"delay","ms":0})", Operation::ConverseStream);
  auto corrupt = with(R"({"type":"corruptCrc","atEvent":2})", Operation::ConverseStream);
  ASSERT_EQ(corrupt.frames.size(), normal.frames.size());
  EXPECT_EQ(corrupt.frames[0].bytes, normal.frames[0].bytes);
  EXPECT_NE(corrupt.frames[1].bytes, normal.frames[1].bytes);
  EXPECT_EQ(corrupt.frames[1].bytes.substr(0, corrupt.frames[1].bytes.size() - 4),
            normal.frames[1].bytes.substr(0, normal.frames[1].bytes.size() - 4));

  auto in_stream = with(R"({"type":"streamException","exception":"throttlingException",
                            "afterEvents":1,"message":"Too many requests"})",
                        Operation::ConverseStream);
  EXPECT_FALSE(in_stream.cut_after_frames);
  const auto frames = decode_frames(in_stream);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].headers.at(":event-type"), "messageStart");
  EXPECT_EQ(frames[1].headers.at(":message-type"), "exception");
  EXPECT_EQ(frames[1].headers.at(":exception-type"), "throttlingException");
  EXPECT_EQ(frames[1].payload, R"({"message":"Too many requests"})");

  auto profile = with(R"({"type":"requireProfile"})");
  EXPECT_EQ(profile.status, 400);
  EXPECT_NE(error_message(profile).find("with on-demand throughput isn\u2019t supported"),
            std::string::npos);
}

}  // namespace
