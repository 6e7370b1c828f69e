#include "auth/request_authorizer.hpp"
#include "clients/client_context.hpp"
#include "core/uuid.hpp"
#include "protocol/uri_encoding.hpp"

namespace llmm::clients {
namespace {

constexpr const char* kUserAgent = "llmm/0.1.0";

std::string encoded_query(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string text;
  for (const auto& [key, value] : query) {
    text += text.empty() ? '?' : '&';
    text += protocol::uri_encode(key) + "=" + protocol::uri_encode(value);
  }
  return text;
}

}  // namespace

std::optional<Error> RegionalClientState::refuse_blocking_on_loop_thread() const {
  if (!shared->transport->on_loop_thread()) return std::nullopt;
  return Error{ErrorCode::Internal,
               "a synchronous call was made from a completion callback (the event-loop thread); "
               "use the asynchronous form there"};
}

RequestSigner RegionalClientState::signer() const {
  return RequestSigner{endpoint, region, shared->credentials, shared->seams.clock};
}

LoopSender RegionalClientState::loop_sender() const {
  return LoopSender{shared->transport.get(), signer(), shared->retries_max_attempts, shared->seams,
                    region};
}

void RegionalClientState::send(std::string method, std::string path,
                               std::vector<std::pair<std::string, std::string>> query,
                               std::string body, const std::string& model_id,
                               const BackoffPolicy& backoff, retry::AttemptLoopDone done) const {
  loop_sender().send(std::move(method), std::move(path), std::move(query), std::move(body),
                     model_id, backoff, std::move(done));
}

void LoopSender::send(std::string method, std::string path,
                      std::vector<std::pair<std::string, std::string>> query, std::string body,
                      const std::string& model_id, const BackoffPolicy& backoff,
                      retry::AttemptLoopDone done) const {
  retry::AttemptLoopOptions options{max_retries, backoff, seams.clock, seams.random, model_id,
                                    region};
  // The factory holds no reference to the shared state: nothing on the loop thread may keep the
  // transport alive (see run_attempt_loop).
  auto make_request = [request_signer = signer, method = std::move(method),
                       path = std::move(path), query = std::move(query), body = std::move(body),
                       invocation_id = core::random_uuid_v4()](int number, int max_attempts) {
    return request_signer.build(method, path, query, body, invocation_id, number, max_attempts);
  };
  retry::run_attempt_loop(*transport, std::move(options), std::move(make_request),
                          std::move(done));
}

http::HttpRequest RequestSigner::build(const std::string& method, const std::string& path,
                                       const std::vector<std::pair<std::string, std::string>>& query,
                                       const std::string& body, const std::string& invocation_id,
                                       int attempt, int max_attempts) const {
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
  request.headers.emplace_back("user-agent", kUserAgent);
  request.body = body;
  auth::authorize(request, endpoint.base_path + path, query, *credentials, region,
                  clock->wall_now());
  return request;
}

}  // namespace llmm::clients
