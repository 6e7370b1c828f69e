#include "auth/web_identity_provider.hpp"

#include <llmm/exceptions.hpp>

#include <fstream>
#include <sstream>

namespace llmm::auth {

ResolvedCredentials credentials_from_web_identity(const WebIdentitySource& source,
                                                  const StsTarget& sts,
                                                  std::chrono::system_clock::time_point now) {
  const std::string what =
      "web identity token file '" + source.token_file + "' (from " + source.origin + ")";
  std::ifstream in(source.token_file, std::ios::binary);
  if (!in) throw AuthenticationError(what + " cannot be read (missing or not permitted)");
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty()) throw AuthenticationError(what + " is empty");

  const AssumedRole role = assume_role_with_web_identity(
      sts, AssumeRoleInput{source.role_arn, source.session_name, {}, {}}, token, now);
  ResolvedCredentials resolved;
  resolved.value = role.keys;
  resolved.expiration = role.expiration;
  resolved.source = "web identity: role " + source.role_arn + " via STS " +
                    sts.endpoint.host_header() + " (" + source.origin + ")";
  resolved.provider = "web-identity";
  resolved.profile = source.profile;
  return resolved;
}

}  // namespace llmm::auth
