#include "auth/request_signer.hpp"

#include "auth/request_authorizer.hpp"
#include "protocol/uri_encoding.hpp"

namespace llmm::auth {
namespace {

std::string encoded_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string text;
  for (const auto& [key, value] : query) {
    text += text.empty() ? '?' : '&';
    text += protocol::uri_encode(key) + "=" + protocol::uri_encode(value);
  }
  return text;
}

}  // namespace

std::chrono::system_clock::time_point RequestSigner::signing_time() const {
  const auto local = clock->wall_now();
  return clock_offset ? clock_offset->corrected(local) : local;
}

http::HttpRequest RequestSigner::build(
    const std::string& method, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& query, const std::string& body,
    const std::string& invocation_id, int attempt, int max_attempts) const {
  http::HttpRequest request;
  request.method = method;
  request.url = endpoint.url_for(path + encoded_query(query));  // url_for adds base_path
  request.headers.emplace_back("host", endpoint.host_header());
  if (!body.empty() || method == "POST") {
    request.headers.emplace_back("content-type", "application/json");
  }
  request.headers.emplace_back("amz-sdk-invocation-id", invocation_id);
  request.headers.emplace_back("amz-sdk-request", "attempt=" + std::to_string(attempt) +
                                                      "; max=" + std::to_string(max_attempts));
  request.headers.emplace_back(
      "user-agent", sdk_headers ? sdk_headers->user_agent() : std::string(SdkHeaders::kProduct));
  if (sdk_headers) {
    if (auto trace = sdk_headers->trace_id())
      request.headers.emplace_back("x-amzn-trace-id", std::move(*trace));
  }
  request.body = body;
  authorize(request, endpoint.base_path + path, query, *credentials->current().credentials, region,
            signing_time());
  return request;
}

}  // namespace llmm::auth
