#include <llmm/control_plane_client.hpp>

#include "clients/client_context.hpp"
#include "protocol/control_plane_json.hpp"

#include <future>

namespace llmm {

ControlPlaneClient::ControlPlaneClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

void ControlPlaneClient::list_foundation_models_async(const ListFoundationModelsFilter& filter,
                                                      ModelsCallback callback,
                                                      const BackoffPolicy& backoff) const {
  // Query parameters sorted by name and unset ones omitted, as the JS SDK sends them.
  std::vector<std::pair<std::string, std::string>> query;
  if (!filter.by_customization_type.empty()) query.emplace_back("byCustomizationType", filter.by_customization_type);
  if (!filter.by_inference_type.empty()) query.emplace_back("byInferenceType", filter.by_inference_type);
  if (!filter.by_output_modality.empty()) query.emplace_back("byOutputModality", filter.by_output_modality);
  if (!filter.by_provider.empty()) query.emplace_back("byProvider", filter.by_provider);
  impl_->state.send("GET", "/foundation-models", std::move(query), "", "", backoff,
                    [callback = std::move(callback)](Result<http::HttpResponse> response,
                                                     std::vector<Attempt> /*attempts*/) {
                      if (!response) {
                        callback(response.error());
                        return;
                      }
                      callback(protocol::decode_foundation_models(response->body));
                    });
}

Result<std::vector<FoundationModelSummary>> ControlPlaneClient::list_foundation_models(
    const ListFoundationModelsFilter& filter, const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) return *refused;
  std::promise<Result<std::vector<FoundationModelSummary>>> promise;
  auto future = promise.get_future();
  list_foundation_models_async(
      filter,
      [&promise](Result<std::vector<FoundationModelSummary>> result) {
        promise.set_value(std::move(result));
      },
      backoff);
  return future.get();
}

const std::string& ControlPlaneClient::region() const { return impl_->state.region; }

std::string ControlPlaneClient::endpoint_url() const { return impl_->state.endpoint.url_for(""); }

}  // namespace llmm
