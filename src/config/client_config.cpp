#include <llmm/client_config.hpp>
#include <llmm/exceptions.hpp>

#include "auth/profile_settings.hpp"
#include "config/config_text.hpp"
#include "core/redacted_url.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace llmm {

std::string_view to_string(HttpVersion version) noexcept {
  switch (version) {
    case HttpVersion::Auto: return "auto";
    case HttpVersion::Http1_1: return "1.1";
    case HttpVersion::Http2: return "2";
  }
  return "auto";
}

namespace {

using std::chrono::milliseconds;

std::string show(milliseconds value) {
  if (value.count() % 1000 == 0) return std::to_string(value.count() / 1000) + "s";
  return std::to_string(value.count()) + "ms";
}

[[noreturn]] void out_of_range(std::string_view field, const std::string& value,
                               std::string_view rule) {
  throw std::invalid_argument("ClientConfig." + std::string(field) + " " + std::string(rule) +
                              ", got " + value);
}

// Settings read from one text source, before they are applied to a base configuration.
struct PartialSettings {
  std::optional<milliseconds> read_timeout;
  std::optional<milliseconds> connect_timeout;
  std::optional<int> max_pool_connections;
  std::optional<int> retries_max_attempts;
  std::optional<HttpVersion> http_version;
  std::optional<std::string> ca_bundle;
  std::optional<std::size_t> max_response_bytes;
  std::optional<std::string> proxy;
  std::optional<std::string> no_proxy;
  std::string origin;  // for errors raised while applying: "JSON", "environment", "flags"
};

// Range rules are the constructor's; text sources report a broken rule as a ConfigurationError
// so that callers reading configuration handle one exception type.
ClientConfig apply(const ClientConfig& base, const PartialSettings& settings) {
  ClientConfig::Options options = base.options();
  if (settings.read_timeout) options.read_timeout = *settings.read_timeout;
  if (settings.connect_timeout) options.connect_timeout = *settings.connect_timeout;
  if (settings.max_pool_connections) options.max_pool_connections = *settings.max_pool_connections;
  if (settings.retries_max_attempts) options.retries_max_attempts = *settings.retries_max_attempts;
  if (settings.http_version) options.http_version = *settings.http_version;
  if (settings.ca_bundle) options.ca_bundle = *settings.ca_bundle;
  if (settings.max_response_bytes) options.max_response_bytes = *settings.max_response_bytes;
  if (settings.proxy) options.proxy = *settings.proxy;
  if (settings.no_proxy) options.no_proxy = *settings.no_proxy;
  try {
    return ClientConfig(options);
  } catch (const std::invalid_argument& error) {
    throw ConfigurationError(std::string(error.what()) + " (from " + settings.origin + ")");
  }
}

int positive_count(std::string_view text, const config::ValueSource& source) {
  const int value = config::parse_count(text, source);
  if (value == 0) {
    throw ConfigurationError(std::string(source.field) + " from " + std::string(source.origin) +
                             ": \"0\" must be at least 1");
  }
  return value;
}

HttpVersion parse_http_version(std::string_view text, const config::ValueSource& source) {
  if (text == "auto") return HttpVersion::Auto;
  if (text == "1.1") return HttpVersion::Http1_1;
  if (text == "2") return HttpVersion::Http2;
  throw ConfigurationError(std::string(source.field) + " from " + std::string(source.origin) +
                           ": " + config::quote_for_error(text) +
                           " is not one of \"auto\", \"1.1\", \"2\"");
}

std::size_t byte_count(std::string_view text, const config::ValueSource& source) {
  return static_cast<std::size_t>(positive_count(text, source));
}

// --- JSON ---------------------------------------------------------------------------------

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

milliseconds json_duration(const nlohmann::json& value, const config::ValueSource& source) {
  if (value.is_string()) return config::parse_duration(value.get<std::string>(), source);
  if (value.is_number()) {
    if (value.is_number_integer() && value.get<long long>() < 0) {
      throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                               " is negative; a duration must be positive");
    }
    return config::duration_from_seconds(value.get<double>(), json_text(value), source);
  }
  throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                           " has the wrong type (" + value.type_name() +
                           "); expected seconds as a number or a string such as \"1.5s\"");
}

int json_count(const nlohmann::json& value, const config::ValueSource& source) {
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                               " is out of range (too large)");
    }
    return static_cast<int>(value.get<std::uint64_t>());
  }
  if (value.is_number_integer()) {
    throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                             " is negative; expected a whole number >= 0");
  }
  throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                           " has the wrong type (" + value.type_name() +
                           "); expected a whole number");
}

std::string json_string(const nlohmann::json& value, const config::ValueSource& source) {
  if (value.is_string()) return value.get<std::string>();
  throw ConfigurationError(std::string(source.field) + " from JSON: " + json_text(value) +
                           " has the wrong type (" + value.type_name() + "); expected a string");
}

}  // namespace

ClientConfig::ClientConfig(const Options& options)
    : read_timeout_(options.read_timeout),
      connect_timeout_(options.connect_timeout),
      max_pool_connections_(options.max_pool_connections),
      retries_max_attempts_(options.retries_max_attempts),
      http_version_(options.http_version),
      ca_bundle_(options.ca_bundle),
      max_response_bytes_(options.max_response_bytes),
      proxy_(options.proxy),
      no_proxy_(options.no_proxy) {
  if (read_timeout_.count() <= 0) {
    out_of_range("read_timeout", std::to_string(read_timeout_.count()) + "ms", "must be > 0");
  }
  if (connect_timeout_.count() <= 0) {
    out_of_range("connect_timeout", std::to_string(connect_timeout_.count()) + "ms", "must be > 0");
  }
  if (max_pool_connections_ <= 0) {
    out_of_range("max_pool_connections", std::to_string(max_pool_connections_), "must be > 0");
  }
  if (retries_max_attempts_ < 0) {
    out_of_range("retries_max_attempts", std::to_string(retries_max_attempts_), "must be >= 0");
  }
  if (max_response_bytes_ == 0) out_of_range("max_response_bytes", "0", "must be > 0");
  if (ca_bundle_.find('\0') != std::string::npos)
    out_of_range("ca_bundle", "a path with a NUL byte", "must be a path");
}

ClientConfig::Options ClientConfig::options() const noexcept {
  return Options{read_timeout_,         connect_timeout_, max_pool_connections_,
                 retries_max_attempts_, http_version_,    ca_bundle_,
                 max_response_bytes_,   proxy_,           no_proxy_};
}

TransportOptions ClientConfig::to_transport_options() const noexcept {
  // Proxies stay empty here: the AuthManager resolves them with the environment.
  return TransportOptions{read_timeout_, connect_timeout_, max_pool_connections_,
                          http_version_, ca_bundle_,       max_response_bytes_};
}

AttemptLimits ClientConfig::to_attempt_limits() const noexcept {
  return AttemptLimits{retries_max_attempts_};
}

ClientConfig ClientConfig::from_json(std::string_view json_text_in, const ClientConfig& base) {
  const auto document = nlohmann::json::parse(json_text_in, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    throw ConfigurationError("client configuration JSON " + config::quote_for_error(json_text_in) +
                             " is not valid JSON");
  }
  if (!document.is_object()) {
    throw ConfigurationError("client configuration JSON must be an object, got " +
                             std::string(document.type_name()));
  }
  PartialSettings settings;
  settings.origin = "JSON";
  for (const auto& [key, value] : document.items()) {
    const config::ValueSource source{key, "JSON"};
    if (key == "read_timeout")
      settings.read_timeout = json_duration(value, source);
    else if (key == "connect_timeout")
      settings.connect_timeout = json_duration(value, source);
    else if (key == "max_pool_connections")
      settings.max_pool_connections = json_count(value, source);
    else if (key == "retries_max_attempts")
      settings.retries_max_attempts = json_count(value, source);
    else if (key == "http_version")
      settings.http_version = parse_http_version(json_string(value, source), source);
    else if (key == "ca_bundle")
      settings.ca_bundle = json_string(value, source);
    else if (key == "proxy")
      settings.proxy = json_string(value, source);
    else if (key == "no_proxy")
      settings.no_proxy = json_string(value, source);
    else if (key == "max_response_bytes") {
      settings.max_response_bytes = byte_count(std::to_string(json_count(value, source)), source);
    } else {
      throw ConfigurationError(
          "client configuration JSON has an unknown key " + config::quote_for_error(key) +
          " (known: read_timeout, connect_timeout, max_pool_connections, "
          "retries_max_attempts, http_version, ca_bundle, max_response_bytes, proxy, "
          "no_proxy)");
    }
  }
  return apply(base, settings);
}

ClientConfig ClientConfig::from_environment(const Environment& environment,
                                            const ClientConfig& base) {
  PartialSettings settings;
  settings.origin = "environment";
  if (auto text = environment.get_non_empty("LLMM_READ_TIMEOUT")) {
    settings.read_timeout =
        config::parse_duration(*text, {"read_timeout", "environment variable LLMM_READ_TIMEOUT"});
  }
  if (auto text = environment.get_non_empty("LLMM_CONNECT_TIMEOUT")) {
    settings.connect_timeout = config::parse_duration(
        *text, {"connect_timeout", "environment variable LLMM_CONNECT_TIMEOUT"});
  }
  if (auto text = environment.get_non_empty("LLMM_MAX_POOL_CONNECTIONS")) {
    settings.max_pool_connections = positive_count(
        *text, {"max_pool_connections", "environment variable LLMM_MAX_POOL_CONNECTIONS"});
  }
  // AWS_MAX_ATTEMPTS counts the first attempt too: 3 total attempts are 2 retries.
  if (auto text = environment.get_non_empty("AWS_MAX_ATTEMPTS")) {
    settings.retries_max_attempts =
        positive_count(*text, {"retries_max_attempts", "environment variable AWS_MAX_ATTEMPTS"}) -
        1;
  }
  if (auto text = environment.get_non_empty("LLMM_RETRIES_MAX_ATTEMPTS")) {
    settings.retries_max_attempts = config::parse_count(
        *text, {"retries_max_attempts", "environment variable LLMM_RETRIES_MAX_ATTEMPTS"});
  }
  if (!settings.retries_max_attempts) {
    // The active profile's max_attempts ranks below both variables, as in the SDKs.
    AuthConfig probe;
    probe.environment = environment;
    const auth::ProfileSettings profile = auth::profile_settings(probe);
    if (profile.max_attempts) {
      const std::string origin = "max_attempts of " + profile.origin;
      settings.retries_max_attempts =
          positive_count(*profile.max_attempts, {"retries_max_attempts", origin}) - 1;
    }
  }
  if (auto text = environment.get_non_empty("LLMM_HTTP_VERSION")) {
    settings.http_version =
        parse_http_version(*text, {"http_version", "environment variable LLMM_HTTP_VERSION"});
  }
  if (auto text = environment.get_non_empty("LLMM_MAX_RESPONSE_BYTES")) {
    settings.max_response_bytes =
        byte_count(*text, {"max_response_bytes", "environment variable LLMM_MAX_RESPONSE_BYTES"});
  }
  return apply(base, settings);
}

ClientConfig ClientConfig::from_flags(const std::vector<std::string>& arguments,
                                      const ClientConfig& base) {
  PartialSettings settings;
  settings.origin = "flags";
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string_view argument = arguments[i];
    std::string_view name = argument;
    std::optional<std::string_view> value;
    if (const auto eq = argument.find('='); eq != std::string_view::npos) {
      name = argument.substr(0, eq);
      value = argument.substr(eq + 1);
    }
    static constexpr std::array<std::string_view, 9> kFlags = {
        "--read-timeout",         "--connect-timeout", "--max-pool-connections",
        "--retries-max-attempts", "--http-version",    "--ca-bundle",
        "--max-response-bytes",   "--proxy",           "--no-proxy"};
    bool known = false;
    for (auto flag : kFlags) known = known || name == flag;
    if (!known) {
      throw ConfigurationError(
          "unknown client configuration flag " + config::quote_for_error(argument) +
          " (known: --read-timeout, "
          "--connect-timeout, --max-pool-connections, --retries-max-attempts, "
          "--http-version, --ca-bundle, --max-response-bytes, --proxy, --no-proxy)");
    }
    if (!value) {
      if (i + 1 >= arguments.size()) {
        throw ConfigurationError("flag " + std::string(name) + " needs a value");
      }
      value = arguments[++i];
    }
    const std::string origin = "flag " + std::string(name);
    if (name == "--read-timeout") {
      settings.read_timeout = config::parse_duration(*value, {"read_timeout", origin});
    } else if (name == "--connect-timeout") {
      settings.connect_timeout = config::parse_duration(*value, {"connect_timeout", origin});
    } else if (name == "--max-pool-connections") {
      settings.max_pool_connections = positive_count(*value, {"max_pool_connections", origin});
    } else if (name == "--http-version") {
      settings.http_version = parse_http_version(*value, {"http_version", origin});
    } else if (name == "--ca-bundle") {
      settings.ca_bundle = std::string(*value);
    } else if (name == "--proxy") {
      settings.proxy = std::string(*value);
    } else if (name == "--no-proxy") {
      settings.no_proxy = std::string(*value);
    } else if (name == "--max-response-bytes") {
      settings.max_response_bytes = byte_count(*value, {"max_response_bytes", origin});
    } else {
      settings.retries_max_attempts = config::parse_count(*value, {"retries_max_attempts", origin});
    }
  }
  return apply(base, settings);
}

ClientConfig ClientConfig::from_json(std::string_view json_text_in) {
  return from_json(json_text_in, ClientConfig{});
}
ClientConfig ClientConfig::from_environment(const Environment& environment) {
  return from_environment(environment, ClientConfig{});
}
ClientConfig ClientConfig::from_flags(const std::vector<std::string>& arguments) {
  return from_flags(arguments, ClientConfig{});
}

std::string ClientConfig::to_json() const {
  nlohmann::json document = {
      {"read_timeout", show(read_timeout_)},
      {"connect_timeout", show(connect_timeout_)},
      {"max_pool_connections", max_pool_connections_},
      {"retries_max_attempts", retries_max_attempts_},
      {"http_version", std::string(to_string(http_version_))},
      {"ca_bundle", ca_bundle_},
      {"max_response_bytes", max_response_bytes_},
      {"proxy", core::redact_userinfo(proxy_)},
      {"no_proxy", no_proxy_},
  };
  return document.dump();
}

}  // namespace llmm
