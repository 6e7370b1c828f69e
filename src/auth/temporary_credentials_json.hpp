#pragma once
// The JSON document IMDS and the container endpoint answer with: AccessKeyId, SecretAccessKey,
// Token, Expiration (ISO 8601). Errors name `where` and the member, never a value.

#include "auth/credentials.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace llmm::auth {

// Throws AuthenticationError("<where>: ...") for a body that is not such a document, or whose
// credentials have already expired at `now`.
ResolvedCredentials parse_temporary_credentials(std::string_view body, const std::string& where,
                                                std::chrono::system_clock::time_point now);

}  // namespace llmm::auth
