#pragma once
// Live catalog discovery: ListFoundationModels and ListInferenceProfiles (every page) in each
// region, all regions at once on the AuthManager's event loop (asynchronous calls, no thread per
// region), merged into one Catalog.
//
// Merge rules, per region where the calls succeeded:
//  * a model listed with ON_DEMAND in inferenceTypesSupported (or with none listed, as the
//    Python library reads it) is on-demand there; listed with INFERENCE_PROFILE but not
//    ON_DEMAND it is profile-only there; PROVISIONED alone offers nothing. A model offered in no
//    region is left out. Modalities are united, streaming ORed, across regions.
//  * a profile is keyed by its id; its model is the foundation model named by its models[]
//    ARNs; its regions are the regions it was listed in. A known model that a profile listed in
//    region R reaches, but that R did not list, becomes profile-only in R.
//  * what the API does not say (tool use, documents, accepted request fields, beta flags,
//    Converse support) is copied from `reference` for models it knows; otherwise Converse
//    support follows the TEXT output modality and the rest takes ModelInfo's defaults.
// A region is failed when either call failed there; its errors are reported and the others
// used. Every region failing gives `error`.

#include "catalog/catalog_types.hpp"

#include <llmm/auth_manager.hpp>
#include <llmm/backoff_policy.hpp>
#include <llmm/clock.hpp>
#include <llmm/error.hpp>
#include <llmm/foundation_model_summary.hpp>
#include <llmm/inference_profile_summary.hpp>
#include <llmm/model_catalog.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmm::catalog {

struct DiscoveryOptions {
  BackoffPolicy backoff;                        // waits between one call's retries
  std::string profile_type = "SYSTEM_DEFINED";  // ListInferenceProfiles typeEquals ("" = all)
  std::optional<int> page_size;        // ListInferenceProfiles maxResults (unset: service's)
  const Catalog* reference = nullptr;  // capabilities the API does not report
  std::shared_ptr<Clock> clock;        // generated_at; the system clock when null
  // Regions that have not answered in this time (a timer on the transport's loop, on the
  // injected clock) are reported as failed (Timeout) and the run ends with the others; 0 = no
  // limit beyond the ClientConfig's. Calls still in flight then run to their own timeouts in the
  // background, their answers ignored.
  std::chrono::milliseconds timeout{0};
};

struct DiscoveryResult {
  Catalog catalog;
  std::string generated_at;          // RFC 3339, when discovery finished
  std::vector<std::string> regions;  // discovered successfully, in request order
  std::vector<CatalogRegionError> region_errors;
  std::vector<std::string> warnings;
  std::optional<Error> error;  // set when no region succeeded

  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// What one region answered (both calls succeeded).
struct RegionListing {
  std::string region;
  std::vector<FoundationModelSummary> models;
  std::vector<InferenceProfileSummary> profiles;
};

// The pure merge (no I/O): listings in region order. Warnings are appended to `warnings`.
Catalog merge_region_listings(const std::vector<RegionListing>& listings, const Catalog* reference,
                              std::vector<std::string>& warnings);

// The model id in "arn:aws:bedrock:{region}::foundation-model/{id}"; empty if it is not one.
std::string model_id_from_arn(std::string_view arn);

// Starts discovery and returns at once; `done` runs once, on the event-loop thread (or on the
// calling thread when nothing could be started). Duplicate regions are queried once. At most
// ClientConfig::max_pool_connections calls are in flight per endpoint (regions sharing an endpoint
// override queue here, not inside curl). `auth` must outlive the run.
void discover_catalog_async(AuthManager& auth, const std::vector<std::string>& regions,
                            DiscoveryOptions options, std::function<void(DiscoveryResult)> done);

// Blocking form. Precondition: not called on the event-loop thread (a completion callback),
// which it would wait for.
DiscoveryResult discover_catalog(AuthManager& auth, const std::vector<std::string>& regions,
                                 DiscoveryOptions options = {});

// "2026-11-25T13:02:00Z".
std::string format_rfc3339(std::chrono::system_clock::time_point time);

}  // namespace llmm::catalog
