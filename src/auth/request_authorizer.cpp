#include "auth/request_authorizer.hpp"

#include "auth/sigv4_signer.hpp"

namespace llmm::auth {

void authorize(http::HttpRequest& request, std::string_view path,
               const std::vector<std::pair<std::string, std::string>>& query,
               const ResolvedCredentials& credentials, std::string_view region,
               std::chrono::system_clock::time_point now) {
  if (const auto* bearer = std::get_if<BearerToken>(&credentials.value)) {
    request.headers.emplace_back("authorization", "Bearer " + bearer->token);
    return;
  }
  const auto& keys = std::get<AwsCredentials>(credentials.value);
  SigningInput input{request.method, std::string(path), query, request.headers, request.body};
  auto signed_request = sign_request(input, keys, SigningScope{std::string(region)}, now);
  for (auto& header : signed_request.headers_to_add) request.headers.push_back(std::move(header));
}

}  // namespace llmm::auth
