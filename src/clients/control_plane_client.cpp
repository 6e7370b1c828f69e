#include <llmm/control_plane_client.hpp>

#include "clients/body_exchange.hpp"
#include "clients/client_context.hpp"
#include "core/await_result.hpp"
#include "protocol/control_plane_json.hpp"

#include <set>

namespace llmm {
namespace {

// One listing request through the engine (one target, the client's retries); `done` gets the
// 2xx body or the error, on the loop thread. Holds no reference to the client state: the engine
// settings keep the transport by raw pointer only.
void get_listing(const engine::EngineSettings& settings, const engine::Target& target,
                 std::string path, std::vector<std::pair<std::string, std::string>> query,
                 std::function<void(Result<std::string>)> done) {
  auto exchange = std::make_shared<clients::BodyExchange>("GET", std::move(path), std::move(query));
  engine::run_call(
      settings, [target] { return std::vector<engine::Target>{target}; }, exchange,
      [exchange, done = std::move(done)](engine::CallOutcome outcome) {
        done(exchange->result(outcome));
      });
}

}  // namespace

ControlPlaneClient::ControlPlaneClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

void ControlPlaneClient::list_foundation_models_async(const ListFoundationModelsFilter& filter,
                                                      ModelsCallback callback,
                                                      const BackoffPolicy& backoff) const {
  // Query parameters sorted by name and unset ones omitted, as the JS SDK sends them.
  std::vector<std::pair<std::string, std::string>> query;
  if (!filter.by_customization_type.empty())
    query.emplace_back("byCustomizationType", filter.by_customization_type);
  if (!filter.by_inference_type.empty())
    query.emplace_back("byInferenceType", filter.by_inference_type);
  if (!filter.by_output_modality.empty())
    query.emplace_back("byOutputModality", filter.by_output_modality);
  if (!filter.by_provider.empty()) query.emplace_back("byProvider", filter.by_provider);
  const auto& state = impl_->state;
  get_listing(state.engine_settings(backoff), state.target(""), "/foundation-models",
              std::move(query), [callback = std::move(callback)](Result<std::string> body) {
                if (!body) {
                  callback(body.error());
                  return;
                }
                callback(protocol::decode_foundation_models(*body));
              });
}

Result<std::vector<FoundationModelSummary>> ControlPlaneClient::list_foundation_models(
    const ListFoundationModelsFilter& filter, const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) return *refused;
  return core::await_result<Result<std::vector<FoundationModelSummary>>>(
      [&](ModelsCallback done) { list_foundation_models_async(filter, std::move(done), backoff); });
}

namespace {

constexpr int kMaxProfilePages = 10'000;

// Fetches one page after another, each page a call of its own on the engine.
struct ProfilePager : std::enable_shared_from_this<ProfilePager> {
  engine::EngineSettings settings;
  engine::Target target;
  ListInferenceProfilesFilter filter;
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
    get_listing(
        settings, target, "/inference-profiles", std::move(query),
        [self = shared_from_this()](Result<std::string> body) { self->on_page(std::move(body)); });
  }

  void on_page(Result<std::string> body) {
    if (!body) {
      finish(body.error());
      return;
    }
    auto page = protocol::decode_inference_profiles(*body);
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
                  "than " +
                      std::to_string(kMaxProfilePages) + " pages)"};
      error.region = target.region;
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
  pager->settings = impl_->state.engine_settings(backoff);
  pager->target = impl_->state.target("");
  pager->filter = filter;
  pager->callback = std::move(callback);
  pager->fetch("");
}

Result<std::vector<InferenceProfileSummary>> ControlPlaneClient::list_inference_profiles(
    const ListInferenceProfilesFilter& filter, const BackoffPolicy& backoff) const {
  if (auto refused = impl_->state.refuse_blocking_on_loop_thread()) return *refused;
  return core::await_result<Result<std::vector<InferenceProfileSummary>>>(
      [&](ProfilesCallback done) {
        list_inference_profiles_async(filter, std::move(done), backoff);
      });
}

const std::string& ControlPlaneClient::region() const { return impl_->state.region; }

std::string ControlPlaneClient::endpoint_url() const { return impl_->state.endpoint.url_for(""); }

}  // namespace llmm
