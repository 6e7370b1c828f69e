#include "service_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace {

using namespace bedrock_emulator;
using namespace emulator_test;

// Many threads against one service: every call index fires exactly once.
TEST(EmulatorConcurrency, CallCountersAreExactUnderContention) {
  EmulatorService service({});
  ASSERT_FALSE(service.set_scenario(R"({"rules":[{"match":{"calls":[1,2,3,4,5]},
      "action":{"type":"error","exception":"ThrottlingException"}}]})"));
  std::atomic<int> throttled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (service.handle(converse_request(user_text_body("hi"))).status == 429) ++throttled;
      }
    });
  }
  std::thread resetter([&] {
    for (int i = 0; i < 20; ++i) (void)service.scenario_json();
  });
  for (auto& thread : threads) thread.join();
  resetter.join();
  EXPECT_EQ(throttled.load(), 5);
}

}  // namespace
