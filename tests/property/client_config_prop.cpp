// Properties of ClientConfig (the seed's properties 1-3, plus text reading that never crashes).
#include <llmm/client_config.hpp>
#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <stdexcept>
#include <string>

namespace llmm {
namespace {

using std::chrono::milliseconds;

bool mentions(const std::exception& error, const std::string& needle) {
  return std::string(error.what()).find(needle) != std::string::npos;
}

rc::Gen<ClientConfig::Options> valid_options() {
  return rc::gen::build<ClientConfig::Options>(
      rc::gen::set(&ClientConfig::Options::read_timeout,
                   rc::gen::map(rc::gen::inRange<long long>(1, 100'000'000),
                                [](long long v) { return milliseconds(v); })),
      rc::gen::set(&ClientConfig::Options::connect_timeout,
                   rc::gen::map(rc::gen::inRange<long long>(1, 100'000'000),
                                [](long long v) { return milliseconds(v); })),
      rc::gen::set(&ClientConfig::Options::max_pool_connections, rc::gen::inRange(1, 100'000)),
      rc::gen::set(&ClientConfig::Options::retries_max_attempts, rc::gen::inRange(0, 1000)));
}

RC_GTEST_PROP(ClientConfigProperty, TransportOptionsPreserveEveryValue, ()) {
  const auto options = *valid_options();
  const ClientConfig config(options);
  const TransportOptions transport = config.to_transport_options();
  RC_ASSERT(transport.read_timeout == options.read_timeout);
  RC_ASSERT(transport.connect_timeout == options.connect_timeout);
  RC_ASSERT(transport.max_pool_connections == options.max_pool_connections);
  RC_ASSERT(config.to_attempt_limits().retries_per_target == options.retries_max_attempts);
}

RC_GTEST_PROP(ClientConfigProperty, NonPositiveTimeoutOrPoolThrowsNamingTheField, ()) {
  const auto bad = *rc::gen::inRange<long long>(-1'000'000'000, 1);  // <= 0
  const int field = *rc::gen::inRange(0, 3);
  ClientConfig::Options options;
  std::string name;
  if (field == 0) {
    options.read_timeout = milliseconds(bad);
    name = "read_timeout";
  }
  if (field == 1) {
    options.connect_timeout = milliseconds(bad);
    name = "connect_timeout";
  }
  if (field == 2) {
    options.max_pool_connections = static_cast<int>(bad);
    name = "max_pool_connections";
  }
  try {
    ClientConfig config(options);
    RC_FAIL("no exception for " + name + " = " + std::to_string(bad));
  } catch (const std::invalid_argument& error) {
    RC_ASSERT(mentions(error, name));
    RC_ASSERT(mentions(error, std::to_string(bad)));
  }
}

RC_GTEST_PROP(ClientConfigProperty, NegativeRetriesThrow, ()) {
  const int bad = *rc::gen::inRange(std::numeric_limits<int>::min(), 0);
  try {
    ClientConfig config({.retries_max_attempts = bad});
    RC_FAIL("no exception for retries " + std::to_string(bad));
  } catch (const std::invalid_argument& error) {
    RC_ASSERT(mentions(error, "retries_max_attempts"));
    RC_ASSERT(mentions(error, std::to_string(bad)));
  }
}

RC_GTEST_PROP(ClientConfigProperty, JsonRoundTripKeepsEveryValue, ()) {
  const ClientConfig config(*valid_options());
  RC_ASSERT(ClientConfig::from_json(config.to_json()) == config);
}

// Any text, in any source, either yields a valid configuration or a ConfigurationError: never a
// crash, another exception type, or an invalid value.
RC_GTEST_PROP(ClientConfigProperty, MalformedTextRaisesConfigurationErrorOnly, ()) {
  const auto junk = *rc::gen::oneOf(
      rc::gen::arbitrary<std::string>(),
      rc::gen::element<std::string>("", "-", "-1", "0", "1e999", "NaN", "inf", "1.5.5s", "10 s",
                                    "99999999999999999999", "0.0001", "3h", "2147483648", " 5"));
  const auto key = *rc::gen::element<std::string>("read_timeout", "connect_timeout",
                                                  "max_pool_connections", "retries_max_attempts");
  const auto shape = *rc::gen::inRange(0, 4);
  const std::string json = shape == 0   ? "{\"" + key + "\": \"" + junk + "\"}"
                           : shape == 1 ? "{\"" + key + "\": " + junk + "}"
                           : shape == 2 ? junk
                                        : "{\"" + key + "\": [" + junk + "]}";
  const auto check = [](const auto& read) {
    try {
      const ClientConfig config = read();
      RC_ASSERT(config.read_timeout().count() > 0);
      RC_ASSERT(config.connect_timeout().count() > 0);
      RC_ASSERT(config.max_pool_connections() > 0);
      RC_ASSERT(config.retries_max_attempts() >= 0);
    } catch (const ConfigurationError&) {
      // expected for junk
    }
  };
  check([&] { return ClientConfig::from_json(json); });
  std::string variable = "LLMM_" + key;
  for (auto& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  check([&] { return ClientConfig::from_environment(Environment::from_map({{variable, junk}})); });
  check([&] {
    return ClientConfig::from_environment(Environment::from_map({{"AWS_MAX_ATTEMPTS", junk}}));
  });
  std::string flag = "--" + key;
  for (auto& c : flag) c = c == '_' ? '-' : c;
  check([&] { return ClientConfig::from_flags({flag, junk}); });
}

}  // namespace
}  // namespace llmm
