#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/llm_manager.hpp>
#include <llmm/streaming_response.hpp>

#include "auth/credential_chain.hpp"
#include "clients/client_context.hpp"
#include "converse/converse_exchange.hpp"
#include "converse/request_defaults.hpp"
#include "converse/stream_exchange.hpp"
#include "core/await_result.hpp"
#include "engine/call_engine.hpp"
#include "engine/target_order.hpp"
#include "manager/streaming_response_sinks.hpp"
#include "manager/target_table.hpp"
#include "observe/call_telemetry.hpp"
#include "observe/metrics_access.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

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

// Routes in the default order: direct, regional profile, global profile.
std::vector<engine::AccessRoute> default_routes(const catalog::RegionalAccess& access) {
  std::vector<engine::AccessRoute> routes;
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
std::set<engine::RejectedFeature> unsupported_media(const catalog::ModelInfo* info) {
  std::set<engine::RejectedFeature> unsupported;
  if (!info) return unsupported;
  auto accepts = [&](std::string_view modality) {
    return std::find(info->input_modalities.begin(), info->input_modalities.end(), modality) !=
           info->input_modalities.end();
  };
  if (!accepts("IMAGE")) unsupported.insert(engine::RejectedFeature::Image);
  if (!accepts("VIDEO")) unsupported.insert(engine::RejectedFeature::Video);
  if (!accepts("AUDIO")) unsupported.insert(engine::RejectedFeature::Audio);
  if (!info->documents) unsupported.insert(engine::RejectedFeature::Document);
  if (!info->tool_use) unsupported.insert(engine::RejectedFeature::Tools);
  return unsupported;
}

// Splits a breaker key ("model-id@region", engine::Target::breaker_key) at its last '@'.
std::pair<std::string, std::string> split_target_key(const std::string& key) {
  const auto at = key.rfind('@');
  if (at == std::string::npos) return {key, ""};
  return {key.substr(0, at), key.substr(at + 1)};
}

// What the manager's metrics collector reports at each rendering.
observe::ManagerGauges manager_gauges(engine::ManagerMemory& memory, const AuthManager& auth,
                                      const Clock& clock) {
  observe::ManagerGauges gauges;
  for (const std::string& key : memory.breakers.open_targets(clock.now())) {
    auto [model_id, region] = split_target_key(key);
    gauges.open_breakers.push_back({std::move(model_id), std::move(region)});
  }
  for (auto& [key, limit] : memory.rates.request_limits()) {
    auto [model_id, region] = split_target_key(key);
    gauges.request_limits.push_back({std::move(model_id), std::move(region), limit});
  }
  gauges.breaker_opens = memory.counters.breaker_opens.load();
  const CredentialsInfo credentials = auth.credentials_info();
  gauges.credential_provider = credentials.provider;
  gauges.credential_refreshes = credentials.refreshes;
  gauges.failed_credential_refreshes = credentials.failed_refreshes;
  return gauges;
}

// A call's completion: the exchange's response, its prompt-cache tokens counted into the
// manager's stats, handed to `done`. The memory outlives every call (as the tables do).
template <typename Exchange>
auto respond(std::shared_ptr<Exchange> exchange, engine::ManagerMemory* memory,
             LLMManager::Callback done) {
  return [exchange = std::move(exchange), memory,
          done = std::move(done)](engine::CallOutcome outcome) {
    BedrockResponse response = exchange->response(std::move(outcome));
    if (response.output) memory->count_cache(response.output->usage);
    done(std::move(response));
  };
}

}  // namespace

struct LLMManager::Impl {
  // CallOptions::regions as indexes into `regions`; throws std::invalid_argument for a name the
  // manager was not built with.
  [[nodiscard]] std::vector<std::size_t> region_indexes(
      const std::vector<std::string>& names) const {
    std::vector<std::size_t> indexes;
    for (const auto& name : names) {
      const auto where = std::find(regions.begin(), regions.end(), name);
      if (where == regions.end()) {
        throw std::invalid_argument("CallOptions.regions: \"" + name +
                                    "\" is not one of the manager's regions");
      }
      indexes.push_back(static_cast<std::size_t>(where - regions.begin()));
    }
    return indexes;
  }

  // The call's request with the manager's default inference values under its own.
  [[nodiscard]] ConverseRequest with_defaults(const ConverseRequest& request) const {
    ConverseRequest merged = request;
    merged.inference_config = converse::with_defaults(request.inference_config, default_inference);
    return merged;
  }

  // The model-specific fields in force for a call (CallOptions over the manager's).
  [[nodiscard]] std::optional<ModelSpecificConfig> model_specific_for(
      const CallOptions& options) const {
    std::optional<ModelSpecificConfig> config =
        options.model_specific ? options.model_specific : model_specific;
    if (options.enable_extended_context) {
      if (!config) config.emplace();
      config->enable_extended_context = true;
    }
    if (config) config->validate();
    return config;
  }

  std::vector<std::string> models;
  std::vector<std::string> regions;
  RetryConfig retry_config;
  InferenceConfig default_inference;
  std::optional<ModelSpecificConfig> model_specific;
  CacheConfig cache;  // LLMManagerOptions::cache, validated
  Seams seams;
  // Resolutions and [model][region] access, from the catalog (current_table()).
  mutable std::mutex table_mutex;
  std::shared_ptr<const manager::TargetTable> table;
  std::mutex refresh_mutex;                  // one refresh_model_data() at a time
  std::vector<auth::RequestSigner> signers;  // per region
  engine::EngineSettings engine;
  bool feature_fallback = true;
  std::unique_ptr<BedrockModelCatalog> catalog;
  // Null when neither logging nor metrics is on. Before auth_manager: the calls it finishes at
  // its end still log and count.
  std::shared_ptr<observe::CallTelemetry> telemetry;
  // Late, so it goes first: its transport finishes pending calls (with Cancelled) while the
  // tables above, which their planners read, still exist.
  std::unique_ptr<AuthManager> auth_manager;
  // Last: unregistered before the AuthManager and memory it reads go.
  std::optional<observe::CollectorRegistration> metrics_registration;

  // This call's controls, its attempt observer and completion callback behind the logger and
  // the metrics when they are on; as given when not.
  template <typename Done>
  void observe(engine::CallControls& controls, engine::AttemptObserver& on_attempt,
               Done& done) const {
    if (!telemetry) return;
    controls.call_id = telemetry->next_call_id();
    on_attempt = telemetry->observe_attempts(controls.call_id, std::move(on_attempt));
    done = telemetry->observe_call(controls.call_id, std::move(done));
  }

  // The table calls are planned from; refresh_model_data() replaces it whole, and a call keeps
  // the one it was planned with.
  [[nodiscard]] std::shared_ptr<const manager::TargetTable> current_table() const {
    std::lock_guard lock(table_mutex);
    return table;
  }

  // Model m in region r as a call would try it: nullopt when the table has no access there.
  [[nodiscard]] std::optional<engine::Target> target_for(
      const manager::TargetTable& from, std::size_t m, std::size_t r,
      std::optional<AccessMethod> preference) const {
    const auto& access = from.access[m][r];
    if (!access) return std::nullopt;
    const catalog::ResolvedModel& model = from.resolved[m];
    engine::Target spec{models[m],
                        model.model_id,
                        regions[r],
                        default_routes(*access),
                        unsupported_media(model.info),
                        signers[r]};
    spec.accepts_extended_context =
        model.info && std::find(model.info->beta_flags.begin(), model.info->beta_flags.end(),
                                kExtendedContextBeta) != model.info->beta_flags.end();
    if (model.info) {
      const auto& parts = model.info->prompt_caching;
      const auto caches = [&parts](std::string_view part) {
        return std::find(parts.begin(), parts.end(), part) != parts.end();
      };
      spec.caches_tools = caches("tools");
      spec.caches_system = caches("system");
      spec.caches_messages = caches("messages");
    }
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
    return spec;
  }

  // Runs on the loop thread (the random source is used there only).
  [[nodiscard]] std::vector<engine::Target> plan(const CallOptions& options) const {
    const auto call_number = engine.memory->call_counter.fetch_add(1);
    const auto region_order = options.regions.empty()
                                  ? engine::order_regions(regions.size(), retry_config.region_order,
                                                          call_number, *seams.random)
                                  : region_indexes(options.regions);
    auto preference = options.access_method_preference ? options.access_method_preference
                                                       : retry_config.access_method_preference;
    if (!options.access_method_preference && retry_config.global_cris_fraction &&
        engine::global_profile_turn(call_number, *retry_config.global_cris_fraction)) {
      preference = AccessMethod::GlobalProfile;
    }
    const auto from = current_table();
    std::vector<engine::Target> targets;
    for (auto [m, r] :
         engine::order_targets(models.size(), region_order, retry_config.retry_strategy)) {
      if (auto target = target_for(*from, m, r, preference)) targets.push_back(std::move(*target));
    }
    return targets;
  }
};

// The positional form and the options form run the same code: the options constructor.
LLMManager::LLMManager(std::vector<std::string> models, std::vector<std::string> regions,
                       AuthConfig auth_config, RetryConfig retry_config, ClientConfig client_config,
                       CatalogConfig catalog_config, Seams seams)
    : LLMManager(LLMManagerOptions{.models = std::move(models),
                                   .regions = std::move(regions),
                                   .auth = std::move(auth_config),
                                   .retry = std::move(retry_config),
                                   .client = std::move(client_config),
                                   .catalog = std::move(catalog_config),
                                   .seams = std::move(seams)}) {}

LLMManager::LLMManager(LLMManagerOptions options) : impl_(std::make_unique<Impl>()) {
  auto& models = options.models;
  auto& regions = options.regions;
  auto& auth_config = options.auth;
  auto& retry_config = options.retry;
  auto& catalog_config = options.catalog;
  auto& seams = options.seams;
  require_names(models, "models");
  // No regions: the one the environment names (AWS_REGION, AWS_DEFAULT_REGION, the profile's
  // region), as the SDKs do; ConfigurationError saying where it looked when there is none.
  if (regions.empty()) regions.push_back(auth::default_region(auth_config));
  require_names(regions, "regions");
  retry_config.validate();
  if (!seams.clock) seams.clock = Clock::system();
  if (!seams.random) seams.random = RandomSource::standard();
  impl_->models = std::move(models);
  impl_->regions = std::move(regions);
  impl_->retry_config = std::move(retry_config);
  const RetryConfig& retry = impl_->retry_config;
  impl_->seams = seams;
  if (options.model_specific) options.model_specific->validate();
  options.cache.validate();
  impl_->cache = options.cache;
  impl_->default_inference = std::move(options.default_inference_config);
  impl_->model_specific = std::move(options.model_specific);
  impl_->auth_manager =
      std::make_unique<AuthManager>(std::move(auth_config), std::move(options.client), seams);
  // Fail now, not on the first call, for a region or endpoint that cannot be used.
  for (const auto& region : impl_->regions) {
    impl_->signers.push_back(clients::ContextAccess::runtime_signer(*impl_->auth_manager, region));
  }
  // The catalog discovers through this manager's AuthManager, so the ClientConfig's timeouts,
  // retries and pool apply to its control-plane calls too.
  if (catalog_config.regions.empty()) catalog_config.regions = impl_->regions;
  impl_->catalog = std::make_unique<BedrockModelCatalog>(*impl_->auth_manager,
                                                         std::move(catalog_config), seams.clock);
  impl_->table = std::make_shared<const manager::TargetTable>(manager::build_target_table(
      *impl_->catalog, catalog::catalog_document(*impl_->catalog), impl_->models, impl_->regions));
  const auto& shared = clients::ContextAccess::shared(*impl_->auth_manager);
  auto& settings = impl_->engine;
  settings.backoff = retry.backoff();
  settings.honour_retry_after = retry.honour_retry_after;
  settings.retries_per_target = shared.limits.retries_per_target;
  settings.max_retries = retry.max_retries;
  settings.total_deadline = retry.total_deadline;
  settings.retryable_errors = retry.retryable_errors;
  settings.failover = true;
  settings.seams = seams;
  settings.transport = shared.transport.get();
  settings.memory =
      std::make_shared<engine::ManagerMemory>(retry.circuit_breaker, retry.rate_control);
  impl_->feature_fallback = retry.enable_feature_fallback;
  if (observe::CallTelemetry::wanted(options.logging, options.metrics)) {
    impl_->telemetry = std::make_shared<observe::CallTelemetry>(std::move(options.logging),
                                                                options.metrics, seams.clock);
    settings.wire_log = impl_->telemetry->wire_log();
  }
  if (options.metrics) {
    impl_->metrics_registration.emplace(
        options.metrics,
        [memory = settings.memory.get(), auth = impl_->auth_manager.get(),
         clock = seams.clock.get()] { return manager_gauges(*memory, *auth, *clock); });
  }
}

LLMManager::~LLMManager() = default;

void LLMManager::converse_async(const ConverseRequest& request, Callback callback,
                                const CallOptions& options) const {
  if (options.validation) options.validation->validate();
  (void)impl_->region_indexes(options.regions);  // refused here, not on the loop thread
  auto exchange = std::make_shared<converse::ConverseExchange>(
      impl_->with_defaults(request),
      converse::ConverseSettings{impl_->feature_fallback, options.validation, impl_->engine.memory,
                                 impl_->model_specific_for(options), impl_->cache});
  engine::CallControls controls{options.timeout, options.cancel};
  engine::AttemptObserver on_attempt = options.on_attempt;
  impl_->observe(controls, on_attempt, callback);
  engine::run_call(
      impl_->engine, [impl = impl_.get(), options] { return impl->plan(options); }, exchange,
      respond(exchange, impl_->engine.memory.get(), std::move(callback)), std::move(on_attempt),
      std::move(controls));
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
  return core::await_result<BedrockResponse>(
      [&](Callback done) { converse_async(request, std::move(done), options); });
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
  (void)impl_->region_indexes(options.call.regions);
  auto exchange = std::make_shared<converse::StreamExchange>(
      impl_->with_defaults(request),
      converse::ConverseSettings{impl_->feature_fallback, std::nullopt, impl_->engine.memory,
                                 impl_->model_specific_for(options.call), impl_->cache},
      converse::StreamSettings{std::move(on_event), options.first_token_timeout, options.recover,
                               impl_->seams.clock});
  engine::CallControls controls{options.call.timeout, options.call.cancel};
  engine::AttemptObserver on_attempt = options.call.on_attempt;
  impl_->observe(controls, on_attempt, on_done);
  engine::run_call(
      impl_->engine, [impl = impl_.get(), call = options.call] { return impl->plan(call); },
      exchange, respond(exchange, impl_->engine.memory.get(), std::move(on_done)),
      std::move(on_attempt), std::move(controls));
}

StreamingResponse LLMManager::converse_stream(const ConverseRequest& request,
                                              const StreamOptions& options) const {
  auto [response, state] = manager::make_streaming_response();
  converse_stream_async(request, manager::stream_event_sink(state),
                        manager::stream_done_sink(state), options);
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
  const auto table = impl_->current_table();
  const auto& access = table->access[m][static_cast<std::size_t>(where - impl_->regions.begin())];
  if (!access) return std::nullopt;
  return ModelAccessInfo{model_name,        table->resolved[m].model_id, region,
                         access->direct_id, access->regional_profile_id, access->global_profile_id};
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
std::vector<std::string> LLMManager::catalog_warnings() const {
  return impl_->current_table()->warnings;
}

void LLMManager::refresh_model_data() {
  if (impl_->engine.transport->on_loop_thread()) {
    throw std::logic_error(
        "LLMManager::refresh_model_data was called from a completion callback (the event-loop "
        "thread), which discovery needs");
  }
  std::lock_guard refreshing(impl_->refresh_mutex);
  impl_->catalog->refresh();
  auto fresh = std::make_shared<const manager::TargetTable>(manager::build_target_table(
      *impl_->catalog, catalog::catalog_document(*impl_->catalog), impl_->models, impl_->regions));
  std::lock_guard lock(impl_->table_mutex);
  impl_->table = std::move(fresh);
}

namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Why a resolved model has no access in `region`.
std::string not_offered_note(const catalog::ModelInfo* info, const std::string& region) {
  std::string note = "not offered in " + region;
  if (!info) return note;
  std::vector<std::string> offered = info->on_demand_regions;
  offered.insert(offered.end(), info->profile_only_regions.begin(),
                 info->profile_only_regions.end());
  std::sort(offered.begin(), offered.end());
  offered.erase(std::unique(offered.begin(), offered.end()), offered.end());
  return note + (offered.empty() ? "; offered in no region the catalog knows"
                                 : "; offered in " + joined(offered));
}

}  // namespace

ConfigurationReport LLMManager::validate_configuration() const {
  ConfigurationReport report;
  const auto table = impl_->current_table();
  const RetryConfig& retry = impl_->retry_config;
  const auto now = impl_->seams.clock->now();
  for (std::size_t m = 0; m < impl_->models.size(); ++m) {
    for (std::size_t r = 0; r < impl_->regions.size(); ++r) {
      PairReport pair{impl_->models[m], table->resolved[m].model_id, impl_->regions[r], {}, {}};
      if (auto target = impl_->target_for(*table, m, r, retry.access_method_preference)) {
        for (const auto& route : target->routes) pair.routes.push_back({route.method, route.id});
        if (impl_->engine.memory->breakers.is_open(target->breaker_key(), now)) {
          pair.note =
              "its circuit breaker is open: later calls skip it while another target is closed";
          report.warnings.push_back(pair.model_name + " in " + pair.region + ": " + pair.note);
        }
        ++report.usable_pairs;
      } else {
        pair.note = not_offered_note(table->resolved[m].info, pair.region);
      }
      report.pairs.push_back(std::move(pair));
    }
  }
  report.warnings.insert(report.warnings.begin(), table->warnings.begin(), table->warnings.end());
  report.credentials = impl_->auth_manager->credentials_info();
  const auto& credentials = report.credentials;
  if (!credentials.last_refresh_error.empty()) {
    const bool expired =
        credentials.expiration && *credentials.expiration <= impl_->seams.clock->wall_now();
    if (expired) {
      report.errors.push_back("the credentials have expired and the last refresh failed: " +
                              credentials.last_refresh_error);
    } else {
      report.warnings.push_back(
          "the last credentials refresh failed (the current ones still "
          "work): " +
          credentials.last_refresh_error);
    }
  }
  if (report.usable_pairs == 0) {
    report.errors.push_back("no configured model is offered in any configured region");
  }
  report.valid = report.errors.empty();
  return report;
}

}  // namespace llmm
