#include <llmm/runtime_client.hpp>

#include "clients/client_context.hpp"
#include "protocol/converse_json.hpp"
#include "protocol/uri_encoding.hpp"

#include <future>

namespace llmm {

RuntimeClient::RuntimeClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

void RuntimeClient::converse_async(std::string model_id, const ConverseRequest& request,
                                   Callback callback, const BackoffPolicy& backoff) const {
  // The model id is one path segment: ':' and '/' are percent-encoded (wire doc §1.3).
  std::string path = "/model/" + protocol::encode_path_segment(model_id) + "/converse";
  impl_->state.send(
      "POST", std::move(path), {}, protocol::encode_converse_request(request), model_id, backoff,
      [callback = std::move(callback), model_id, region = impl_->state.region](
          Result<http::HttpResponse> response, std::vector<Attempt> attempts) {
        if (!response) {
          callback(ConverseOutcome{response.error(), std::move(attempts)});
          return;
        }
        auto output = protocol::decode_converse_response(response->body);
        if (output) {
          if (auto id = response->header("x-amzn-RequestId")) output->request_id = *id;
        } else {
          output.error().model_id = model_id;
          output.error().region = region;
          output.error().http_status = static_cast<int>(response->status);
          attempts.back().error = output.error();
        }
        callback(ConverseOutcome{std::move(output), std::move(attempts)});
      });
}

ConverseOutcome RuntimeClient::converse(std::string model_id, const ConverseRequest& request,
                                        const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) {
    return ConverseOutcome{*refused, {}};
  }
  std::promise<ConverseOutcome> promise;
  auto future = promise.get_future();
  converse_async(std::move(model_id), request,
                 [&promise](ConverseOutcome outcome) { promise.set_value(std::move(outcome)); },
                 backoff);
  return future.get();
}

bool RuntimeClient::on_event_loop_thread() const {
  return impl_->state.refuse_blocking_on_loop_thread().has_value();
}

const std::string& RuntimeClient::region() const { return impl_->state.region; }

std::string RuntimeClient::endpoint_url() const { return impl_->state.endpoint.url_for(""); }

}  // namespace llmm
