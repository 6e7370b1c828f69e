#include <llmm/runtime_client.hpp>

#include "clients/client_context.hpp"
#include "converse/converse_exchange.hpp"
#include "core/await_result.hpp"

namespace llmm {

RuntimeClient::RuntimeClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

void RuntimeClient::converse_async(const std::string& model_id, const ConverseRequest& request,
                                   Callback callback, const BackoffPolicy& backoff) const {
  const auto& state = impl_->state;
  // A client sends what it is given: no feature fallback, no validation, nothing learned.
  auto exchange = std::make_shared<converse::ConverseExchange>(
      request,
      converse::ConverseSettings{.feature_fallback = false, .validation = {}, .memory = {}});
  engine::run_call(
      state.engine_settings(backoff),
      [target = state.target(model_id)] { return std::vector<engine::Target>{target}; }, exchange,
      [exchange, callback = std::move(callback)](engine::CallOutcome outcome) {
        callback(exchange->response(std::move(outcome)));
      });
}

BedrockResponse RuntimeClient::converse(const std::string& model_id, const ConverseRequest& request,
                                        const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) {
    BedrockResponse response;
    response.error = *refused;
    return response;
  }
  return core::await_result<BedrockResponse>(
      [&](Callback done) { converse_async(model_id, request, std::move(done), backoff); });
}

bool RuntimeClient::on_event_loop_thread() const {
  return impl_->state.refuse_blocking_on_loop_thread().has_value();
}

const std::string& RuntimeClient::region() const { return impl_->state.region; }

std::string RuntimeClient::endpoint_url() const { return impl_->state.endpoint.url_for(""); }

}  // namespace llmm
