#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/model_catalog_access.hpp"
#include "catalog/name_resolver.hpp"
#include "clients/client_context.hpp"
#include "manager/retry_engine.hpp"
#include "manager/streaming_response_sinks.hpp"
#include "retry/target_order.hpp"

#include <algorithm>
#include <cctype>
#include <future>

namespace llmm {
namespace {

void require_names(const std::vector<std::string>& names, const char* what) {
  if (names.empty()) throw ConfigurationError(std::string(what) + " must not be empty");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const bool blank = std::all_of(names[i].begin(), names[i].end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; });
    if (blank) {
      throw ConfigurationError(std::string(what) + "[" + std::to_string(i) + "] is blank");
    }
  }
}

std::string joined(const std::vector<std::string>& names, bool quoted = true) {
  const std::string quote = quoted ? "'" : "";
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + quote + name + quote;
  return text;
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The regions a catalog offers a resolved model in, sorted.
std::vector<std::string> offered_regions(const catalog::Catalog& data,
                                         const catalog::ResolvedModel& model) {
  std::vector<std::string> regions;
  auto add = [&regions](const std::vector<std::string>& more) {
    for (const auto& region : more) {
      if (!contains(regions, region)) regions.push_back(region);
    }
  };
  if (model.pinned) {
    add(model.pinned->regions);
  } else if (model.info) {
    add(model.info->on_demand_regions);
    add(model.info->profile_only_regions);
    for (const auto& profile : data.profiles) {
      if (profile.model_id == model.model_id) add(profile.regions);
    }
  }
  std::sort(regions.begin(), regions.end());
  return regions;
}

// Routes in the default order: direct, regional profile, global profile.
std::vector<manager::AccessRoute> default_routes(const catalog::RegionalAccess& access) {
  std::vector<manager::AccessRoute> routes;
  if (access.direct_id) routes.push_back({AccessMethod::Direct, *access.direct_id});
  if (access.regional_profile_id) {
    routes.push_back({AccessMethod::RegionalProfile, *access.regional_profile_id});
  }
  if (access.global_profile_id) {
    routes.push_back({AccessMethod::GlobalProfile, *access.global_profile_id});
  }
  return routes;
}

// What the model table says a model does not take: media kinds, documents, tools.
std::set<retry::RejectedFeature> unsupported_media(const catalog::ModelInfo* info) {
  std::set<retry::RejectedFeature> unsupported;
  if (!info) return unsupported;
  auto accepts = [&](std::string_view modality) {
    return std::find(info->input_modalities.begin(), info->input_modalities.end(), modality) !=
           info->input_modalities.end();
  };
  if (!accepts("IMAGE")) unsupported.insert(retry::RejectedFeature::Image);
  if (!accepts("VIDEO")) unsupported.insert(retry::RejectedFeature::Video);
  if (!accepts("AUDIO")) unsupported.insert(retry::RejectedFeature::Audio);
  if (!info->documents) unsupported.insert(retry::RejectedFeature::Document);
  if (!info->tool_use) unsupported.insert(retry::RejectedFeature::Tools);
  return unsupported;
}

}  // namespace

struct LLMManager::Impl {
  std::vector<std::string> models;
  std::vector<std::string> regions;
  RetryConfig retry_config;
  Seams seams;
  // The loaded catalog data the resolved models point into (kept alive across a refresh).
  std::shared_ptr<const catalog::CatalogDocument> document;
  std::vector<catalog::ResolvedModel> resolved;
  // [model]: known from the bundled data only (the discovered regions do not offer it).
  std::vector<bool> absent_from_discovery;
  std::vector<std::string> catalog_warnings;
  std::vector<clients::RequestSigner> signers;  // per region
  // [model][region]: how the model is reached there, if at all.
  std::vector<std::vector<std::optional<catalog::RegionalAccess>>> access;
  manager::EngineSettings engine;
  std::unique_ptr<BedrockModelCatalog> catalog;
  // Last, so it goes first: its transport finishes pending calls (with Cancelled) while the
  // tables above, which their planners read, still exist.
  std::unique_ptr<AuthManager> auth_manager;

  // Resolves the configured names over the loaded catalog (one index for all of them) and fills
  // the access table. Discovered data covers only the regions discovered, so the bundled data
  // fills two gaps: a region whose discovery failed takes the bundled facts for it, and a name
  // the discovered models lack is still known (and offered in none of the discovered regions).
  void build_targets() {
    const catalog::Catalog& data = document->catalog;
    const bool discovered = catalog->source() != CatalogSource::Bundled;
    const catalog::NameResolver resolver(data);
    std::optional<catalog::NameResolver> bundled_resolver;
    auto resolve_in_bundled = [&](const std::string& name) -> std::optional<catalog::Resolution> {
      if (!bundled_resolver) bundled_resolver.emplace(catalog::fallback_catalog_document().catalog);
      try {
        auto resolution = bundled_resolver->resolve(name);
        if (resolution.explanation.kind != catalog::MatchKind::RawId) return resolution;
      } catch (const ConfigurationError&) {
      }
      return std::nullopt;
    };

    absent_from_discovery.assign(models.size(), false);
    std::vector<std::optional<catalog::ResolvedModel>> in_bundled(models.size());
    for (std::size_t m = 0; m < models.size(); ++m) {
      std::optional<catalog::Resolution> found;
      try {
        found = resolver.resolve(models[m]);
      } catch (const ConfigurationError&) {
        if (!discovered) throw;
        auto bundled = resolve_in_bundled(models[m]);
        if (!bundled) throw;  // unknown everywhere: the discovered catalog's suggestions
        found = std::move(bundled);
        absent_from_discovery[m] = true;
      }
      if (discovered && !absent_from_discovery[m] &&
          found->explanation.kind == catalog::MatchKind::RawId) {
        // An id the discovered regions do not offer but the bundled data knows.
        if (auto bundled = resolve_in_bundled(models[m])) {
          found = std::move(bundled);
          absent_from_discovery[m] = true;
        }
      }
      resolved.push_back(found->model);
      if (absent_from_discovery[m]) in_bundled[m] = found->model;
    }
    for (const auto& warning : catalog->warnings()) catalog_warnings.push_back(warning);

    const std::vector<std::string> covered = catalog->regions();
    access.assign(models.size(), {});
    for (const auto& region : regions) {
      const bool from_bundled = discovered && !contains(covered, region);
      if (from_bundled) {
        catalog_warnings.push_back("the catalog has no data for " + region +
                                   " (its discovery failed); using the bundled catalog's facts "
                                   "for that region");
        for (std::size_t m = 0; m < models.size(); ++m) {
          if (in_bundled[m]) continue;
          if (auto bundled = resolve_in_bundled(models[m])) in_bundled[m] = bundled->model;
        }
      }
      for (std::size_t m = 0; m < models.size(); ++m) {
        std::optional<catalog::RegionalAccess> cell;
        if (from_bundled && in_bundled[m]) {
          cell = catalog::access_in(catalog::fallback_catalog_document().catalog, *in_bundled[m],
                                    region);
        } else if (!from_bundled && !absent_from_discovery[m]) {
          cell = catalog::access_in(data, resolved[m], region);
        }
        access[m].push_back(std::move(cell));
      }
    }
  }

  // ConfigurationError naming where each model is offered, when no pair is usable.
  void require_a_usable_target() const {
    for (const auto& row : access) {
      if (std::any_of(row.begin(), row.end(), [](const auto& cell) { return cell.has_value(); })) {
        return;
      }
    }
    std::string where;
    for (std::size_t m = 0; m < models.size(); ++m) {
      where += (where.empty() ? "" : "; ") + where_offered(m);
    }
    throw ConfigurationError("none of the models " + joined(models) +
                             " is offered in any of the regions " + joined(regions) + ": " +
                             where + " (catalog: " + std::string(to_string(catalog->source())) +
                             " data of " + document->generated_at + ")");
  }

  // Where model m is offered, for the error above. A catalog discovered for the manager's regions
  // knows only those, so the bundled data says where else to look.
  [[nodiscard]] std::string where_offered(std::size_t m) const {
    const std::string quoted = "'" + models[m] + "'";
    if (!absent_from_discovery[m]) {
      if (auto regions = offered_regions(document->catalog, resolved[m]); !regions.empty()) {
        return quoted + " is offered in " + joined(regions, false);
      }
    }
    if (catalog->source() != CatalogSource::Bundled) {
      const catalog::Catalog& bundled = catalog::fallback_catalog_document().catalog;
      try {
        const auto in_bundled = catalog::NameResolver(bundled).resolve(models[m]).model;
        if (auto regions = offered_regions(bundled, in_bundled); !regions.empty()) {
          return quoted + " is offered in none of them; the bundled catalog lists it in " +
                 joined(regions, false);
        }
      } catch (const ConfigurationError&) {
        // A discovered model the bundled data does not know: nothing more to say.
      }
    }
    return quoted + " is offered in no region the catalog knows";
  }

  // Runs on the loop thread (the random source is used there only).
  [[nodiscard]] std::vector<manager::TargetSpec> plan(const CallOptions& options) const {
    const auto call_number = engine.memory->call_counter.fetch_add(1);
    const auto region_order =
        retry::order_regions(regions.size(), retry_config.region_order, call_number, *seams.random);
    const auto preference = options.access_method_preference
                                ? options.access_method_preference
                                : retry_config.access_method_preference;
    std::vector<manager::TargetSpec> targets;
    for (auto [m, r] : retry::order_targets(models.size(), region_order, retry_config.retry_strategy)) {
      if (!access[m][r]) continue;
      manager::TargetSpec spec{models[m], resolved[m].model_id, regions[r],
                               default_routes(*access[m][r]), unsupported_media(resolved[m].info),
                               signers[r]};
      auto& routes = spec.routes;
      const bool has_profile = std::any_of(routes.begin(), routes.end(), [](const auto& route) {
        return route.method != AccessMethod::Direct;
      });
      if (has_profile && engine.memory->needs_profile(spec.model_id, spec.region)) {
        std::erase_if(routes, [](const auto& route) { return route.method == AccessMethod::Direct; });
      }
      if (preference) {
        std::stable_partition(routes.begin(), routes.end(),
                              [&](const auto& route) { return route.method == *preference; });
      }
      targets.push_back(std::move(spec));
    }
    return targets;
  }
};

LLMManager::LLMManager(std::vector<std::string> models, std::vector<std::string> regions,
                       AuthConfig auth_config, RetryConfig retry_config,
                       ClientConfig client_config, CatalogConfig catalog_config, Seams seams)
    : impl_(std::make_unique<Impl>()) {
  require_names(models, "models");
  require_names(regions, "regions");
  retry_config.validate();
  if (!seams.clock) seams.clock = Clock::system();
  if (!seams.random) seams.random = RandomSource::standard();
  impl_->models = std::move(models);
  impl_->regions = std::move(regions);
  impl_->retry_config = retry_config;
  impl_->seams = seams;
  impl_->auth_manager = std::make_unique<AuthManager>(std::move(auth_config), client_config, seams);
  // Fail now, not on the first call, for a region or endpoint that cannot be used.
  std::shared_ptr<RuntimeClient> client;
  for (const auto& region : impl_->regions) {
    client = impl_->auth_manager->runtime_client(region);
    impl_->signers.push_back(client->impl()->state.signer());
  }
  // The catalog discovers through this manager's AuthManager, so the ClientConfig's timeouts,
  // retries and pool apply to its control-plane calls too.
  if (catalog_config.regions.empty()) catalog_config.regions = impl_->regions;
  impl_->catalog = std::make_unique<BedrockModelCatalog>(*impl_->auth_manager,
                                                         std::move(catalog_config), seams.clock);
  impl_->document = catalog::catalog_document(*impl_->catalog);
  impl_->build_targets();
  impl_->require_a_usable_target();
  impl_->engine.retry = retry_config;
  impl_->engine.retries_max_attempts = client_config.retries_max_attempts();
  impl_->engine.seams = seams;
  impl_->engine.transport = client->impl()->state.shared->transport.get();
  impl_->engine.memory = std::make_shared<manager::ManagerMemory>(retry_config.circuit_breaker);
}

LLMManager::~LLMManager() = default;

void LLMManager::converse_async(const ConverseRequest& request, Callback callback,
                                const CallOptions& options) const {
  if (options.validation) options.validation->validate();
  manager::run_call(
      impl_->engine, [impl = impl_.get(), options] { return impl->plan(options); }, request,
      options, std::move(callback));
}

BedrockResponse LLMManager::converse(const ConverseRequest& request,
                                     const CallOptions& options) const {
  if (impl_->engine.transport->on_loop_thread()) {
    BedrockResponse refused;
    refused.error = Error{ErrorCode::Internal,
                          "LLMManager::converse was called from a completion callback (the "
                          "event-loop thread); use converse_async there"};
    return refused;
  }
  std::promise<BedrockResponse> promise;
  auto future = promise.get_future();
  converse_async(
      request, [&promise](BedrockResponse response) { promise.set_value(std::move(response)); },
      options);
  return future.get();
}

BedrockResponse LLMManager::converse_or_throw(const ConverseRequest& request,
                                              const CallOptions& options) const {
  auto response = converse(request, options);
  if (!response.ok()) throw RetryExhaustedError(std::move(response));
  return response;
}

void LLMManager::converse_stream_async(const ConverseRequest& request,
                                       std::function<void(const StreamEvent&)> on_event,
                                       Callback on_done, const StreamOptions& options) const {
  if (options.call.validation) {
    throw std::invalid_argument(
        "StreamOptions.call.validation: response validation is not offered for streams (the "
        "consumer has seen the text already); validate the final response instead");
  }
  manager::StreamSettings stream{std::move(on_event), options.first_token_timeout, options.recover};
  manager::run_call(
      impl_->engine, [impl = impl_.get(), call = options.call] { return impl->plan(call); },
      request, options.call, std::move(on_done), std::move(stream));
}

StreamingResponse LLMManager::converse_stream(const ConverseRequest& request,
                                              const StreamOptions& options) const {
  auto [response, state] = manager::make_streaming_response();
  converse_stream_async(request, manager::stream_event_sink(state), manager::stream_done_sink(state),
                        options);
  return response;
}

StreamingResponse LLMManager::converse_stream(const ConverseRequest& request) const {
  return converse_stream(request, StreamOptions{});
}

std::optional<ModelAccessInfo> LLMManager::model_access(const std::string& model_name,
                                                        const std::string& region) const {
  const auto model = std::find(impl_->models.begin(), impl_->models.end(), model_name);
  const auto where = std::find(impl_->regions.begin(), impl_->regions.end(), region);
  if (model == impl_->models.end() || where == impl_->regions.end()) return std::nullopt;
  const auto m = static_cast<std::size_t>(model - impl_->models.begin());
  const auto& access = impl_->access[m][static_cast<std::size_t>(where - impl_->regions.begin())];
  if (!access) return std::nullopt;
  return ModelAccessInfo{model_name, impl_->resolved[m].model_id, region, access->direct_id,
                         access->regional_profile_id, access->global_profile_id};
}

ManagerStats LLMManager::stats() const noexcept { return impl_->engine.memory->stats(); }
const std::vector<std::string>& LLMManager::models() const noexcept { return impl_->models; }
const std::vector<std::string>& LLMManager::regions() const noexcept { return impl_->regions; }
const ClientConfig& LLMManager::client_config() const noexcept {
  return impl_->auth_manager->client_config();
}
const RetryConfig& LLMManager::retry_config() const noexcept { return impl_->retry_config; }
AuthManager& LLMManager::auth_manager() const noexcept { return *impl_->auth_manager; }
const BedrockModelCatalog& LLMManager::catalog() const noexcept { return *impl_->catalog; }
const std::vector<std::string>& LLMManager::catalog_warnings() const noexcept {
  return impl_->catalog_warnings;
}

}  // namespace llmm
