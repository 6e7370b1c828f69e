#include <llmm/exceptions.hpp>
#include <llmm/model_catalog.hpp>

#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_cache.hpp"
#include "catalog/catalog_discovery.hpp"
#include "catalog/catalog_query.hpp"
#include "catalog/model_catalog_access.hpp"
#include "core/string_list.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

namespace llmm {

std::string_view to_string(CacheMode mode) noexcept {
  switch (mode) {
    case CacheMode::File: return "file";
    case CacheMode::Memory: return "memory";
    case CacheMode::None: return "none";
  }
  return "unknown";
}

std::string_view to_string(CatalogSource source) noexcept {
  switch (source) {
    case CatalogSource::None: return "none";
    case CatalogSource::Cache: return "cache";
    case CatalogSource::Discovery: return "discovery";
    case CatalogSource::Bundled: return "bundled";
  }
  return "unknown";
}

const std::vector<std::string>& default_catalog_regions() {
  static const std::vector<std::string> regions = {
      "us-east-1",      "us-east-2",      "us-west-1",    "us-west-2",      "ap-northeast-1",
      "ap-northeast-2", "ap-northeast-3", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
      "ap-southeast-3", "ap-southeast-4", "eu-central-1", "eu-north-1",     "eu-south-1",
      "eu-south-2",     "eu-west-1",      "eu-west-2",    "eu-west-3",      "ca-central-1",
      "sa-east-1"};
  return regions;
}

namespace catalog {

const CatalogDocument& fallback_catalog_document() { return bundled_catalog(); }

}  // namespace catalog

namespace {

std::string join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

std::vector<std::string> regions_of(const catalog::Catalog& data) {
  std::vector<std::string> regions;
  for (const auto& model : data.models) {
    add_all_unique(regions, model.on_demand_regions);
    add_all_unique(regions, model.profile_only_regions);
  }
  for (const auto& profile : data.profiles) add_all_unique(regions, profile.regions);
  std::sort(regions.begin(), regions.end());
  return regions;
}

}  // namespace

struct BedrockModelCatalog::Impl {
  Impl(AuthManager& auth_manager, CatalogConfig catalog_config, std::shared_ptr<Clock> wall_clock)
      : auth(auth_manager),
        config(std::move(catalog_config)),
        clock(wall_clock ? std::move(wall_clock) : Clock::system()),
        cache(config.cache_mode, config.cache_directory, config.ttl, clock) {}

  AuthManager& auth;
  const CatalogConfig config;
  const std::shared_ptr<Clock> clock;
  const catalog::CatalogCache cache;

  std::mutex load_mutex;  // one load at a time

  // What the last load produced, under state_mutex.
  mutable std::mutex state_mutex;
  std::shared_ptr<const catalog::CatalogDocument> document;
  CatalogSource source = CatalogSource::None;
  std::vector<std::string> warnings;
  std::vector<CatalogRegionError> region_errors;
  std::vector<std::string> regions;
  std::optional<std::filesystem::path> cache_path;
  // The queries' index of `document`, made on the first query after a load.
  std::shared_ptr<const catalog::QueryIndex> query_index;

  struct Outcome {
    std::shared_ptr<const catalog::CatalogDocument> document;
    CatalogSource source = CatalogSource::None;
    std::vector<std::string> warnings;
    std::vector<CatalogRegionError> region_errors;
    std::vector<std::string> regions;
    std::optional<std::filesystem::path> cache_path;
  };

  [[nodiscard]] std::vector<std::string> requested_regions() const {
    const auto& asked = config.regions.empty() ? default_catalog_regions() : config.regions;
    std::vector<std::string> unique;
    for (const auto& region : asked) {
      if (std::find(unique.begin(), unique.end(), region) == unique.end()) unique.push_back(region);
    }
    return unique;
  }

  // Where each region's control-plane calls go: a cache entry from elsewhere (an emulator, a
  // proxy) is not used. A region without a client is left out (discovery reports it).
  [[nodiscard]] std::map<std::string, std::string> endpoints_of(
      const std::vector<std::string>& wanted) const {
    std::map<std::string, std::string> endpoints;
    for (const auto& region : wanted) {
      try {
        endpoints.emplace(region, auth.control_client(region)->endpoint_url());
      } catch (const std::exception&) {
        // An invalid region name: discovery reports it.
      }
    }
    return endpoints;
  }

  // Cache, then discovery, then the bundled data; throws CatalogUnavailableError.
  Outcome load(bool skip_cache) const {
    Outcome out;
    const std::vector<std::string> wanted = requested_regions();
    const std::map<std::string, std::string> endpoints = endpoints_of(wanted);

    std::string cache_note = "disabled (cache mode none)";
    // A young entry for other regions, which the discovery below joins into what it stores.
    std::optional<catalog::CacheEntry> earlier;
    if (skip_cache && config.cache_mode != CacheMode::None) {
      cache_note = "skipped (refresh)";
      earlier = cache.load({}).entry;  // not used as the catalog, only kept beside the new data
    }
    if (!skip_cache && config.cache_mode != CacheMode::None) {
      catalog::CacheLoad hit = cache.load(wanted, endpoints);
      out.warnings = std::move(hit.warnings);
      earlier = std::move(hit.other_regions);
      if (hit.entry) {
        out.regions = hit.entry->regions;
        out.document =
            std::make_shared<const catalog::CatalogDocument>(std::move(hit.entry->document));
        out.source = CatalogSource::Cache;
        out.cache_path = hit.path;
        return out;
      }
      cache_note = out.warnings.empty() ? "no entry" : out.warnings.back();
    }

    if (!config.live_discovery)
      return bundled_or_throw(std::move(out), cache_note, "disabled (live_discovery is false)");

    const catalog::Catalog* reference = nullptr;
    try {
      reference = &catalog::fallback_catalog_document().catalog;
    } catch (const std::exception& error) {
      out.warnings.push_back(std::string("no capability data for discovered models: ") +
                             error.what());
    }
    catalog::DiscoveryOptions options;
    options.backoff = config.discovery_backoff;
    options.timeout = config.discovery_timeout;
    options.reference = reference;
    options.clock = clock;
    catalog::DiscoveryResult discovered = catalog::discover_catalog(auth, wanted, options);
    for (auto& warning : discovered.warnings) out.warnings.push_back(std::move(warning));
    out.region_errors = std::move(discovered.region_errors);
    for (const auto& failed : out.region_errors) {
      out.warnings.push_back("catalog discovery failed in " + failed.region +
                             (failed.operation.empty() ? "" : " (" + failed.operation + ")") +
                             ": " + failed.error.describe());
    }
    std::string discovery_note;
    if (!discovered.ok()) {
      discovery_note = discovered.error->message;
    } else if (discovered.catalog.models.empty()) {
      discovery_note = "no models found in " + join(discovered.regions, ", ");
    } else {
      auto discovered_document = std::make_shared<catalog::CatalogDocument>();
      discovered_document->catalog = std::move(discovered.catalog);
      discovered_document->generated_at = discovered.generated_at;
      discovered_document->source = "discovery " + join(discovered.regions, ",");
      if (config.cache_mode != CacheMode::None) {
        catalog::CacheEntry entry{*discovered_document, discovered.regions, {}, clock->wall_now()};
        for (const auto& region : discovered.regions) {
          if (auto it = endpoints.find(region); it != endpoints.end()) entry.endpoints.insert(*it);
        }
        // Programs with different region sets then share one entry instead of replacing each
        // other's.
        if (earlier) {
          entry = catalog::with_earlier_entry(std::move(entry), *earlier,
                                              endpoints_of(earlier->regions));
        }
        catalog::CacheStore stored = cache.store(entry);
        for (auto& warning : stored.warnings) out.warnings.push_back(std::move(warning));
        out.cache_path = stored.path;
      }
      out.regions = std::move(discovered.regions);
      out.document = std::move(discovered_document);
      out.source = CatalogSource::Discovery;
      return out;
    }

    out.warnings.push_back("catalog discovery failed (" + discovery_note + ")");
    return bundled_or_throw(std::move(out), cache_note, discovery_note);
  }

  // The last resort: the bundled data, or CatalogUnavailableError saying what each source gave.
  Outcome bundled_or_throw(Outcome out, const std::string& cache_note,
                           const std::string& discovery_note) const {
    const std::string unavailable =
        "the model catalog is unavailable from every source. Cache: " + cache_note +
        ". Discovery: " + discovery_note + ". Bundled: ";
    if (!config.fallback_to_bundled) {
      throw CatalogUnavailableError(unavailable + "disabled (fallback_to_bundled is false).");
    }
    try {
      const catalog::CatalogDocument& bundled = catalog::fallback_catalog_document();
      // The bundled document is process-wide and immutable: shared without an owner.
      out.document = std::shared_ptr<const catalog::CatalogDocument>(
          std::shared_ptr<const catalog::CatalogDocument>(), &bundled);
      out.regions = regions_of(bundled.catalog);
      out.warnings.push_back(
          "using the bundled catalog of " +
          (bundled.generated_at.empty() ? "unknown date" : bundled.generated_at) +
          ", which may be stale");
      out.source = CatalogSource::Bundled;
      return out;
    } catch (const std::exception& error) {
      throw CatalogUnavailableError(unavailable + error.what() + ".");
    }
  }

  void publish(Outcome out) {
    std::lock_guard lock(state_mutex);
    document = std::move(out.document);
    source = out.source;
    warnings = std::move(out.warnings);
    region_errors = std::move(out.region_errors);
    regions = std::move(out.regions);
    cache_path = std::move(out.cache_path);
  }

  [[nodiscard]] bool loaded() const {
    std::lock_guard lock(state_mutex);
    return document != nullptr;
  }
};

BedrockModelCatalog::BedrockModelCatalog(AuthManager& auth, CatalogConfig config,
                                         std::shared_ptr<Clock> clock) {
  if (config.ttl.count() < 0) {
    throw std::invalid_argument("CatalogConfig.ttl must not be negative (got " +
                                std::to_string(config.ttl.count()) + " s)");
  }
  if (config.discovery_timeout.count() < 0) {
    throw std::invalid_argument("CatalogConfig.discovery_timeout must not be negative (got " +
                                std::to_string(config.discovery_timeout.count()) + " ms)");
  }
  impl_ = std::make_unique<Impl>(auth, std::move(config), std::move(clock));
}

BedrockModelCatalog::~BedrockModelCatalog() = default;

void BedrockModelCatalog::ensure_available() {
  std::lock_guard load_lock(impl_->load_mutex);
  if (impl_->loaded()) return;
  impl_->publish(impl_->load(impl_->config.force_refresh));
}

void BedrockModelCatalog::refresh() {
  std::lock_guard load_lock(impl_->load_mutex);
  impl_->publish(impl_->load(/*skip_cache=*/true));
}

void BedrockModelCatalog::clear_cache() {
  std::lock_guard load_lock(impl_->load_mutex);
  impl_->cache.clear();
  impl_->publish(Impl::Outcome{});
}

bool BedrockModelCatalog::is_loaded() const { return impl_->loaded(); }

CatalogSource BedrockModelCatalog::source() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->source;
}

std::string BedrockModelCatalog::generated_at() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->document ? impl_->document->generated_at : std::string();
}

std::vector<std::string> BedrockModelCatalog::warnings() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->warnings;
}

std::vector<CatalogRegionError> BedrockModelCatalog::region_errors() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->region_errors;
}

std::vector<std::string> BedrockModelCatalog::regions() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->regions;
}

std::size_t BedrockModelCatalog::model_count() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->document ? impl_->document->catalog.models.size() : 0;
}

std::size_t BedrockModelCatalog::profile_count() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->document ? impl_->document->catalog.profiles.size() : 0;
}

std::optional<std::filesystem::path> BedrockModelCatalog::cache_file_path() const {
  std::lock_guard lock(impl_->state_mutex);
  return impl_->cache_path;
}

const CatalogConfig& BedrockModelCatalog::config() const noexcept { return impl_->config; }

namespace catalog {

std::shared_ptr<const CatalogDocument> CatalogAccess::document(const BedrockModelCatalog& catalog) {
  std::lock_guard lock(catalog.impl_->state_mutex);
  return catalog.impl_->document;
}

std::shared_ptr<const QueryIndex> CatalogAccess::query_index(const BedrockModelCatalog& catalog) {
  std::shared_ptr<const CatalogDocument> document;
  {
    std::lock_guard lock(catalog.impl_->state_mutex);
    const auto& index = catalog.impl_->query_index;
    if (index && index->document == catalog.impl_->document) return index;
    document = catalog.impl_->document;
  }
  if (!document) return nullptr;
  auto built = std::make_shared<const QueryIndex>(document);  // outside the lock: a few ms
  std::lock_guard lock(catalog.impl_->state_mutex);
  if (catalog.impl_->document == document) catalog.impl_->query_index = built;
  return built;
}

std::shared_ptr<const CatalogDocument> catalog_document(BedrockModelCatalog& catalog) {
  catalog.ensure_available();
  return CatalogAccess::document(catalog);
}

}  // namespace catalog
}  // namespace llmm
