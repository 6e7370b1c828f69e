#include "auth/sso_provider.hpp"

#include "auth/crypto.hpp"
#include "auth/endpoint_resolver.hpp"
#include "auth/sdk_headers.hpp"
#include "auth/timestamp.hpp"
#include "protocol/uri_encoding.hpp"

#include <llmm/exceptions.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace llmm::auth {
namespace {

std::string login_hint(const SsoSource& source) {
  return source.session_name.empty()
             ? "run 'aws sso login --profile " + source.profile + "'"
             : "run 'aws sso login --sso-session " + source.session_name + "'";
}

std::string printable(std::string_view text) {
  std::string out(text.substr(0, 300));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) c = ' ';
  }
  return out;
}

}  // namespace

std::string sso_cache_path(const SsoSource& source, const Environment& environment) {
  auto home = environment.get_non_empty("HOME");
  if (!home) {
    throw ConfigurationError("SSO profile '" + source.profile +
                             "': HOME is not set, so the token cache "
                             "(~/.aws/sso/cache) cannot be found");
  }
  const std::string key = source.session_name.empty() ? source.start_url : source.session_name;
  return *home + "/.aws/sso/cache/" + sha1_hex(key) + ".json";
}

ResolvedCredentials credentials_from_sso(const SsoSource& source, const Environment& environment,
                                         std::chrono::system_clock::time_point now,
                                         FetchBounds bounds) {
  const std::string who = "SSO profile '" + source.profile + "' in '" + source.file + "'";
  const std::string cache = sso_cache_path(source, environment);
  std::ifstream in(cache, std::ios::binary);
  if (!in) {
    throw AuthenticationError(who + ": no cached SSO token at '" + cache + "'; " +
                              login_hint(source));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw AuthenticationError(who + ": the SSO token cache '" + cache + "' is not a JSON object; " +
                              login_hint(source));
  }
  const auto token = doc.find("accessToken");
  const auto expires = doc.find("expiresAt");
  if (token == doc.end() || !token->is_string() || token->get<std::string>().empty()) {
    throw AuthenticationError(who + ": the SSO token cache '" + cache + "' has no accessToken; " +
                              login_hint(source));
  }
  if (expires == doc.end() || !expires->is_string()) {
    throw AuthenticationError(who + ": the SSO token cache '" + cache + "' has no expiresAt; " +
                              login_hint(source));
  }
  const auto expires_at = parse_iso8601(expires->get<std::string>());
  if (!expires_at) {
    throw AuthenticationError(who + ": the SSO token cache '" + cache +
                              "' has an expiresAt that is not an ISO 8601 "
                              "time ('" +
                              printable(expires->get<std::string>()) + "'); " + login_hint(source));
  }
  if (*expires_at <= now) {
    throw AuthenticationError(who + ": the SSO token expired at " + format_iso8601(*expires_at) +
                              "; " + login_hint(source));
  }

  Endpoint endpoint;
  if (auto url = environment.get_non_empty("AWS_ENDPOINT_URL_SSO")) {
    endpoint = parse_endpoint_url(*url, "AWS_ENDPOINT_URL_SSO");
  } else {
    validate_region(source.sso_region);
    endpoint = parse_endpoint_url("https://portal.sso." + source.sso_region + ".amazonaws.com",
                                  "the SSO endpoint");
  }
  http::HttpRequest request;
  request.method = "GET";
  request.url = endpoint.url_for(
      "/federation/credentials?role_name=" + protocol::uri_encode(source.role_name) +
      "&account_id=" + protocol::uri_encode(source.account_id));
  request.headers.emplace_back("x-amz-sso_bearer_token", token->get<std::string>());
  request.headers.emplace_back("user-agent", SdkHeaders::kProduct);
  const std::string where = who + ": SSO GetRoleCredentials for role '" + source.role_name +
                            "' in account " + source.account_id + " at host '" +
                            endpoint.host_header() + "'";
  auto answer = fetch(std::move(request), bounds, network_of(environment));
  if (!answer) throw AuthenticationError(where + " failed: " + answer.error().describe());
  if (answer->status != 200) {
    std::string cause = "HTTP " + std::to_string(answer->status);
    const auto error = nlohmann::json::parse(answer->body, nullptr, false);
    if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      cause += ": " + printable(error["message"].get<std::string>());
    }
    if (answer->status == 401) cause += "; " + login_hint(source);
    throw AuthenticationError(where + " was refused: " + cause);
  }
  const auto body = nlohmann::json::parse(answer->body, nullptr, false);
  const nlohmann::json* role = nullptr;
  if (body.is_object() && body.contains("roleCredentials") && body["roleCredentials"].is_object()) {
    role = &body["roleCredentials"];
  }
  const auto text_of = [&](const char* name) -> std::string {
    if (role == nullptr || !role->contains(name) || !(*role)[name].is_string() ||
        (*role)[name].get<std::string>().empty()) {
      throw AuthenticationError(where + ": the answer has no roleCredentials." + std::string(name));
    }
    return (*role)[name].get<std::string>();
  };
  AwsCredentials keys{text_of("accessKeyId"), text_of("secretAccessKey"), text_of("sessionToken")};
  if (!role->contains("expiration") || !(*role)["expiration"].is_number_integer()) {
    throw AuthenticationError(
        where + ": the answer has no roleCredentials.expiration (epoch milliseconds)");
  }
  ResolvedCredentials resolved;
  resolved.value = std::move(keys);
  resolved.expiration = std::chrono::system_clock::time_point(
      std::chrono::milliseconds((*role)["expiration"].get<long long>()));
  resolved.source = "SSO profile '" + source.profile + "' in " + source.file + " (role " +
                    source.role_name + ", account " + source.account_id + ")";
  resolved.provider = "sso";
  resolved.profile = source.profile;
  return resolved;
}

}  // namespace llmm::auth
