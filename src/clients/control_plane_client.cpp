#include <llmm/control_plane_client.hpp>

#include "clients/client_context.hpp"
#include "protocol/control_plane_json.hpp"

#include <future>
#include <set>

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

namespace {

constexpr int kMaxProfilePages = 10'000;

// Fetches one page after another; holds no reference to the transport (see LoopSender).
struct ProfilePager : std::enable_shared_from_this<ProfilePager> {
  clients::LoopSender sender;
  ListInferenceProfilesFilter filter;
  BackoffPolicy backoff;
  ControlPlaneClient::ProfilesCallback callback;
  std::vector<InferenceProfileSummary> collected;
  std::set<std::string> tokens_seen;
  int pages = 0;

  void fetch(const std::string& token) {
    ++pages;
    // Query parameters sorted by name, unset ones omitted.
    std::vector<std::pair<std::string, std::string>> query;
    if (filter.max_results) query.emplace_back("maxResults", std::to_string(*filter.max_results));
    if (!token.empty()) query.emplace_back("nextToken", token);
    if (!filter.type_equals.empty()) query.emplace_back("type", filter.type_equals);
    sender.send("GET", "/inference-profiles", std::move(query), "", "", backoff,
                [self = shared_from_this()](Result<http::HttpResponse> response,
                                            std::vector<Attempt> /*attempts*/) {
                  self->on_page(std::move(response));
                });
  }

  void on_page(Result<http::HttpResponse> response) {
    if (!response) {
      finish(response.error());
      return;
    }
    auto page = protocol::decode_inference_profiles(response->body);
    if (!page) {
      finish(page.error());
      return;
    }
    for (auto& summary : page->summaries) collected.push_back(std::move(summary));
    if (page->next_token.empty()) {
      finish(std::move(collected));
      return;
    }
    if (!tokens_seen.insert(page->next_token).second || pages >= kMaxProfilePages) {
      Error error{ErrorCode::Internal,
                  "ListInferenceProfiles pagination does not end (a repeated nextToken or more "
                  "than " + std::to_string(kMaxProfilePages) + " pages)"};
      error.region = sender.region;
      finish(std::move(error));
      return;
    }
    fetch(page->next_token);
  }

  void finish(Result<std::vector<InferenceProfileSummary>> result) {
    auto done = std::move(callback);
    callback = nullptr;
    if (done) done(std::move(result));
  }
};

}  // namespace

void ControlPlaneClient::list_inference_profiles_async(const ListInferenceProfilesFilter& filter,
                                                       ProfilesCallback callback,
                                                       const BackoffPolicy& backoff) const {
  auto pager = std::make_shared<ProfilePager>();
  pager->sender = impl_->state.loop_sender();
  pager->filter = filter;
  pager->backoff = backoff;
  pager->callback = std::move(callback);
  pager->fetch("");
}

Result<std::vector<InferenceProfileSummary>> ControlPlaneClient::list_inference_profiles(
    const ListInferenceProfilesFilter& filter, const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) return *refused;
  std::promise<Result<std::vector<InferenceProfileSummary>>> promise;
  auto future = promise.get_future();
  list_inference_profiles_async(
      filter,
      [&promise](Result<std::vector<InferenceProfileSummary>> result) {
        promise.set_value(std::move(result));
      },
      backoff);
  return future.get();
}

const std::string& ControlPlaneClient::region() const { return impl_->state.region; }

std::string ControlPlaneClient::endpoint_url() const { return impl_->state.endpoint.url_for(""); }

}  // namespace llmm
