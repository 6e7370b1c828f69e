#pragma once
// The headers every request carries besides the signature, as the AWS SDKs send them:
// * user-agent: "llmm/VERSION", plus " app/ID" when AWS_SDK_UA_APP_ID (or the profile's
//   sdk_ua_app_id; the variable wins) names the application;
// * x-amzn-trace-id: the Lambda recursion-detection header, taken from _X_AMZN_TRACE_ID when
//   AWS_LAMBDA_FUNCTION_NAME is also set (as botocore and the JS SDK do), read per request,
//   because the Lambda runtime changes it per invocation. Never signed.
// Immutable once built; shared by every signer of one AuthManager. Thread-safe.

#include <llmm/auth_config.hpp>
#include <llmm/environment.hpp>
#include <llmm/version.hpp>

#include <optional>
#include <string>

namespace llmm::auth {

class SdkHeaders {
 public:
  static constexpr const char* kProduct = "llmm/" LLMM_VERSION_STRING;

  // Reads the app id once. ConfigurationError when it is over 50 characters or holds characters
  // outside the user agent's token set (the SDKs' limit and alphabet).
  explicit SdkHeaders(const AuthConfig& config);

  [[nodiscard]] const std::string& user_agent() const noexcept { return user_agent_; }
  // The x-amzn-trace-id value for a request built now, percent-encoded as botocore does.
  [[nodiscard]] std::optional<std::string> trace_id() const;

 private:
  std::string user_agent_;
  Environment environment_;
  bool in_lambda_ = false;  // AWS_LAMBDA_FUNCTION_NAME, fixed for the process: read once
};

}  // namespace llmm::auth
