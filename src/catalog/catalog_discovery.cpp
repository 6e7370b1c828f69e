#include "catalog/catalog_discovery.hpp"

#include <llmm/control_plane_client.hpp>

#include "clients/client_context.hpp"
#include "core/await_result.hpp"
#include "core/string_list.hpp"

#include <algorithm>
#include <ctime>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>

namespace llmm::catalog {
namespace {

// What one region's two calls gave; filled on the loop thread, read when both are done.
struct RegionSlot {
  std::string region;
  std::optional<std::vector<FoundationModelSummary>> models;
  std::optional<std::vector<InferenceProfileSummary>> profiles;
  std::vector<CatalogRegionError> errors;
  int pending = 2;
};

// The calls to one endpoint: at most `limit` in flight (the ClientConfig's pool size), the rest
// waiting here rather than in curl's queue of transfers pending a connection.
struct EndpointQueue {
  int in_flight = 0;
  std::deque<std::function<void()>> waiting;
};

struct DiscoveryRun {
  std::mutex mutex;
  std::vector<RegionSlot> slots;
  int regions_pending = 0;
  DiscoveryOptions options;
  std::function<void(DiscoveryResult)> done;
  std::map<std::string, EndpointQueue> queues;
  int limit = 1;
  bool finished = false;  // under the lock: done has run or is about to; later answers are ignored
  // The discovery timeout's timer, under the lock (the transport outlives the run's calls).
  http::Transport* transport = nullptr;
  http::TimerId timeout_timer = 0;

  // Under the lock: a call to `endpoint` ended; the next one to start (outside the lock), if any.
  std::function<void()> next_call(const std::string& endpoint) {
    EndpointQueue& queue = queues[endpoint];
    --queue.in_flight;
    if (queue.waiting.empty()) return {};
    auto next = std::move(queue.waiting.front());
    queue.waiting.pop_front();
    ++queue.in_flight;
    return next;
  }

  // Called once per finished call; the last one merges and reports.
  void call_finished(std::size_t index, std::unique_lock<std::mutex>& lock) {
    RegionSlot& slot = slots[index];
    if (--slot.pending > 0) return;
    if (--regions_pending > 0) return;
    finished = true;
    if (transport != nullptr) transport->cancel_timer(timeout_timer);
    lock.unlock();
    finish();
  }

  // Ends the run now: every region still waiting for an answer fails with Timeout. A no-op when
  // the run has finished.
  void expire(std::chrono::milliseconds after) {
    std::unique_lock lock(mutex);
    if (finished) return;
    finished = true;
    for (auto& [endpoint, queue] : queues) queue.waiting.clear();
    const std::string why = "no answer within the catalog discovery timeout of " +
                            std::to_string(after.count()) + " ms";
    for (RegionSlot& slot : slots) {
      if (slot.pending == 0) continue;
      auto late = [&](std::string_view operation, bool answered) {
        if (answered) return;
        slot.errors.push_back(
            CatalogRegionError{slot.region, std::string(operation),
                               Error{ErrorCode::Timeout, why, 0, "", "", "", slot.region}});
      };
      late("ListFoundationModels",
           slot.models.has_value() || operation_failed(slot, "ListFoundationModels"));
      late("ListInferenceProfiles",
           slot.profiles.has_value() || operation_failed(slot, "ListInferenceProfiles"));
      slot.pending = 0;
    }
    regions_pending = 0;
    lock.unlock();
    finish();
  }

  static bool operation_failed(const RegionSlot& slot, std::string_view operation) {
    return std::any_of(
        slot.errors.begin(), slot.errors.end(),
        [&](const CatalogRegionError& error) { return error.operation == operation; });
  }

  void finish() {
    DiscoveryResult result;
    std::vector<RegionListing> listings;
    for (RegionSlot& slot : slots) {
      if (slot.errors.empty() && slot.models && slot.profiles) {
        listings.push_back(
            RegionListing{slot.region, std::move(*slot.models), std::move(*slot.profiles)});
        result.regions.push_back(slot.region);
      } else {
        for (auto& error : slot.errors) result.region_errors.push_back(std::move(error));
      }
    }
    result.catalog = merge_region_listings(listings, options.reference, result.warnings);
    const auto clock = options.clock ? options.clock : Clock::system();
    result.generated_at = format_rfc3339(clock->wall_now());
    if (listings.empty()) {
      std::string message = "catalog discovery failed in all " + std::to_string(slots.size()) +
                            " region" + (slots.size() == 1 ? "" : "s");
      ErrorCode code = ErrorCode::Internal;
      if (!result.region_errors.empty()) {
        const CatalogRegionError& last = result.region_errors.back();
        code = last.error.code;
        message +=
            "; last error: " + last.region + " " + last.operation + ": " + last.error.describe();
      }
      result.error = Error{code, std::move(message)};
    }
    auto callback = std::move(done);
    callback(std::move(result));
  }
};

}  // namespace

std::string format_rfc3339(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(buffer, length);
}

std::string model_id_from_arn(std::string_view arn) {
  // arn:aws:bedrock:{region}:{account}:foundation-model/{id}; the id itself may hold ':'.
  constexpr std::string_view kMarker = ":foundation-model/";
  if (!arn.starts_with("arn:")) return {};
  const auto at = arn.find(kMarker);
  if (at == std::string_view::npos) return {};
  return std::string(arn.substr(at + kMarker.size()));
}

Catalog merge_region_listings(const std::vector<RegionListing>& listings, const Catalog* reference,
                              std::vector<std::string>& warnings) {
  Catalog catalog;
  std::map<std::string, std::size_t, std::less<>> model_index;
  std::map<std::string, std::size_t, std::less<>> profile_index;

  for (const RegionListing& listing : listings) {
    for (const FoundationModelSummary& summary : listing.models) {
      auto [it, added] = model_index.try_emplace(summary.model_id, catalog.models.size());
      if (added) {
        ModelInfo model;
        model.model_id = summary.model_id;
        model.model_name = summary.model_name;
        model.provider_name = summary.provider_name;
        model.lifecycle_status =
            summary.lifecycle_status.empty() ? "ACTIVE" : summary.lifecycle_status;
        model.start_of_life = summary.start_of_life;
        model.streaming = false;
        catalog.models.push_back(std::move(model));
      }
      ModelInfo& model = catalog.models[it->second];
      add_all_unique(model.input_modalities, summary.input_modalities);
      add_all_unique(model.output_modalities, summary.output_modalities);
      add_all_unique(model.customizations, summary.customizations_supported);
      model.streaming = model.streaming || summary.response_streaming_supported;
      if (model.model_name.empty()) model.model_name = summary.model_name;
      if (model.provider_name.empty()) model.provider_name = summary.provider_name;

      const auto& types = summary.inference_types_supported;
      if (types.empty() || contains(types, "ON_DEMAND")) {
        add_unique(model.on_demand_regions, listing.region);
      } else if (contains(types, "INFERENCE_PROFILE")) {
        add_unique(model.profile_only_regions, listing.region);
      }
    }

    for (const InferenceProfileSummary& summary : listing.profiles) {
      std::string model_id;
      for (const std::string& arn : summary.model_arns) {
        model_id = model_id_from_arn(arn);
        if (!model_id.empty()) break;
      }
      if (model_id.empty()) {
        warnings.push_back("inference profile " + summary.inference_profile_id + " in " +
                           listing.region + " names no foundation model; left out");
        continue;
      }
      auto [it, added] =
          profile_index.try_emplace(summary.inference_profile_id, catalog.profiles.size());
      if (added) {
        InferenceProfileInfo profile;
        profile.profile_id = summary.inference_profile_id;
        profile.name = summary.inference_profile_name;
        profile.model_id = model_id;
        profile.created_at = summary.created_at;
        catalog.profiles.push_back(std::move(profile));
      }
      InferenceProfileInfo& profile = catalog.profiles[it->second];
      if (profile.model_id != model_id) {
        warnings.push_back("inference profile " + profile.profile_id + " routes to " +
                           profile.model_id + " in one region and to " + model_id + " in " +
                           listing.region + "; the first is kept");
      }
      add_unique(profile.regions, listing.region);
    }
  }

  // A profile listed in a region reaches its model there even if the region did not list it.
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    auto it = model_index.find(profile.model_id);
    if (it == model_index.end()) {
      warnings.push_back("inference profile " + profile.profile_id + " routes to " +
                         profile.model_id + ", which no discovered region listed");
      continue;
    }
    ModelInfo& model = catalog.models[it->second];
    for (const std::string& region : profile.regions) {
      if (!offered_in(model, region)) model.profile_only_regions.push_back(region);
    }
  }

  // What the API does not report comes from the reference table, else from the modalities.
  for (ModelInfo& model : catalog.models) {
    const ModelInfo* known = reference ? reference->find_model(model.model_id) : nullptr;
    if (known != nullptr) {
      model.converse = known->converse;
      model.tool_use = known->tool_use;
      model.documents = known->documents;
      model.request_fields = known->request_fields;
      model.beta_flags = known->beta_flags;
      model.prompt_caching = known->prompt_caching;
    } else {
      model.converse = contains(model.output_modalities, "TEXT");
    }
  }

  // Models offered nowhere (e.g. provisioned throughput only) cannot be called: left out.
  std::erase_if(catalog.models, [](const ModelInfo& model) {
    return model.on_demand_regions.empty() && model.profile_only_regions.empty();
  });
  return catalog;
}

namespace {

// discover_catalog_async's work; returns the run (for a timeout to end), or null when it ended
// before anything was started.
std::shared_ptr<DiscoveryRun> start_discovery(AuthManager& auth,
                                              const std::vector<std::string>& regions,
                                              DiscoveryOptions options,
                                              std::function<void(DiscoveryResult)> done) {
  std::vector<std::string> unique;
  for (auto& region : regions) add_unique(unique, region);
  if (unique.empty()) {
    DiscoveryResult result;
    result.error = Error{ErrorCode::InvalidArgument, "catalog discovery needs at least one region"};
    done(std::move(result));
    return nullptr;
  }

  auto run = std::make_shared<DiscoveryRun>();
  run->options = std::move(options);
  run->done = std::move(done);
  run->regions_pending = static_cast<int>(unique.size());
  for (auto& region : unique) run->slots.push_back(RegionSlot{std::move(region), {}, {}, {}, 2});

  // Clients first (an invalid region name fails here, on this thread), then every call. The
  // lock is held while starting calls so no completion can finish the run before all started.
  std::vector<std::shared_ptr<ControlPlaneClient>> clients(run->slots.size());
  std::unique_lock lock(run->mutex);
  for (std::size_t i = 0; i < run->slots.size(); ++i) {
    try {
      clients[i] = auth.control_client(run->slots[i].region);
    } catch (const std::exception& error) {
      run->slots[i].errors.push_back(CatalogRegionError{
          run->slots[i].region, "",
          Error{ErrorCode::InvalidArgument, error.what(), 0, "", "", "", run->slots[i].region}});
      run->slots[i].pending = 1;
      run->call_finished(i, lock);
      if (!lock.owns_lock()) return nullptr;  // that was the last region: the run is over
    }
  }
  const BackoffPolicy backoff = run->options.backoff;
  ListInferenceProfilesFilter filter;
  filter.max_results = run->options.page_size;
  filter.type_equals = run->options.profile_type;
  run->limit = std::max(1, auth.transport_options().max_pool_connections);

  // Each call as a starter. A starter holds its client weakly: nothing on the loop thread may
  // own a client (and through it the transport); the AuthManager keeps it (a precondition).
  std::vector<std::pair<std::string, std::function<void()>>> calls;  // endpoint, starter
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (!clients[i]) continue;
    const std::string endpoint = clients[i]->endpoint_url();
    const std::weak_ptr<ControlPlaneClient> weak = clients[i];
    calls.emplace_back(endpoint, [run, i, weak, backoff, endpoint] {
      auto on_models = [run, i, endpoint](Result<std::vector<FoundationModelSummary>> result) {
        std::function<void()> next;
        {
          std::unique_lock guard(run->mutex);
          if (run->finished) return;  // the run timed out: this answer came too late
          RegionSlot& slot = run->slots[i];
          if (result) {
            slot.models = std::move(*result);
          } else {
            slot.errors.push_back(
                CatalogRegionError{slot.region, "ListFoundationModels", result.error()});
          }
          next = run->next_call(endpoint);
          run->call_finished(i, guard);
        }
        if (next) next();
      };
      if (auto client = weak.lock()) {
        client->list_foundation_models_async({}, std::move(on_models), backoff);
      } else {
        on_models(Error{ErrorCode::Cancelled, "the AuthManager went away during discovery"});
      }
    });
    calls.emplace_back(endpoint, [run, i, weak, backoff, filter, endpoint] {
      auto on_profiles = [run, i, endpoint](Result<std::vector<InferenceProfileSummary>> result) {
        std::function<void()> next;
        {
          std::unique_lock guard(run->mutex);
          if (run->finished) return;  // the run timed out: this answer came too late
          RegionSlot& slot = run->slots[i];
          if (result) {
            slot.profiles = std::move(*result);
          } else {
            slot.errors.push_back(
                CatalogRegionError{slot.region, "ListInferenceProfiles", result.error()});
          }
          next = run->next_call(endpoint);
          run->call_finished(i, guard);
        }
        if (next) next();
      };
      if (auto client = weak.lock()) {
        client->list_inference_profiles_async(filter, std::move(on_profiles), backoff);
      } else {
        on_profiles(Error{ErrorCode::Cancelled, "the AuthManager went away during discovery"});
      }
    });
  }
  // Queue everything before starting anything, so completions find the queues complete.
  std::vector<std::function<void()>> first;
  for (auto& [endpoint, starter] : calls) {
    EndpointQueue& queue = run->queues[endpoint];
    if (queue.in_flight < run->limit) {
      ++queue.in_flight;
      first.push_back(std::move(starter));
    } else {
      queue.waiting.push_back(std::move(starter));
    }
  }
  lock.unlock();
  for (auto& starter : first) starter();
  if (const auto timeout = run->options.timeout; timeout.count() > 0) {
    // A timer on the loop (the injected clock's time), holding the run weakly; the run cancels
    // it when it ends first. Set after the calls have started, so a loop that finds itself
    // idle meanwhile has nothing but the calls to wait for.
    std::lock_guard guard(run->mutex);
    if (!run->finished) {
      run->transport = clients::ContextAccess::shared(auth).transport.get();
      run->timeout_timer =
          run->transport->schedule(timeout, [weak = std::weak_ptr<DiscoveryRun>(run), timeout] {
            if (auto alive = weak.lock()) alive->expire(timeout);
          });
    }
  }
  return run;
}

}  // namespace

void discover_catalog_async(AuthManager& auth, const std::vector<std::string>& regions,
                            DiscoveryOptions options, std::function<void(DiscoveryResult)> done) {
  (void)start_discovery(auth, regions, std::move(options), std::move(done));
}

DiscoveryResult discover_catalog(AuthManager& auth, const std::vector<std::string>& regions,
                                 DiscoveryOptions options) {
  return core::await_result<DiscoveryResult>([&](std::function<void(DiscoveryResult)> done) {
    discover_catalog_async(auth, regions, std::move(options), std::move(done));
  });
}

}  // namespace llmm::catalog
