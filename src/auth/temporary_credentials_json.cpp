#include "auth/temporary_credentials_json.hpp"

#include "auth/timestamp.hpp"

#include <llmm/exceptions.hpp>

#include <nlohmann/json.hpp>

namespace llmm::auth {

ResolvedCredentials parse_temporary_credentials(std::string_view body, const std::string& where,
                                                std::chrono::system_clock::time_point now) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  // The body is never quoted: it holds the secret.
  if (doc.is_discarded() || !doc.is_object())
    throw AuthenticationError(where + ": the answer is not a JSON object");
  const auto text = [&](const char* name) -> std::string {
    const auto it = doc.find(name);
    if (it == doc.end() || !it->is_string() || it->get<std::string>().empty()) {
      throw AuthenticationError(where + ": the answer has no " + name);
    }
    return it->get<std::string>();
  };
  if (const auto code = doc.find("Code");
      code != doc.end() && code->is_string() && *code != "Success") {
    throw AuthenticationError(where + ": the answer's Code is not Success");
  }
  AwsCredentials keys{text("AccessKeyId"), text("SecretAccessKey"), text("Token")};
  const auto expiration = parse_iso8601(text("Expiration"));
  if (!expiration)
    throw AuthenticationError(where + ": the answer's Expiration is not an ISO 8601 time");
  if (*expiration <= now) {
    throw AuthenticationError(where + ": the credentials it gave expired at " +
                              format_iso8601(*expiration));
  }
  ResolvedCredentials resolved;
  resolved.value = std::move(keys);
  resolved.expiration = *expiration;
  return resolved;
}

}  // namespace llmm::auth
