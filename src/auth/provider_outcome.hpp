#pragma once
// What one provider of the default chain gives: credentials, or the reason it passed (not
// configured here, IMDS not reachable, ...) for the chain's "tried" list. A provider that is
// configured but fails throws instead (AuthenticationError / ConfigurationError), as the SDKs do.

#include "auth/credentials.hpp"

#include <optional>
#include <string>

namespace llmm::auth {

struct ProviderOutcome {
  std::optional<ResolvedCredentials> credentials;
  std::string passed;  // when !credentials: "<provider>: <why>", never a secret

  static ProviderOutcome found(ResolvedCredentials credentials) {
    return {std::move(credentials), {}};
  }
  static ProviderOutcome pass(std::string why) { return {std::nullopt, std::move(why)}; }
};

}  // namespace llmm::auth
