#pragma once
// What LLMManager::validate_configuration() finds, without calling the service: for every
// configured (model, region), the ids a call would try there in order, or why it would try none;
// the credentials in use; and whether the manager can make a call at all. The seed's
// validate_configuration() dictionary, typed.

#include <llmm/access_method.hpp>
#include <llmm/credentials_info.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace llmm {

// The types in this header are value types: not synchronized.
struct PlannedRoute {
  AccessMethod method = AccessMethod::Direct;
  std::string id;  // sent as modelId: the model id or the profile id
  friend bool operator==(const PlannedRoute&, const PlannedRoute&) = default;
};

// One configured model in one configured region.
struct PairReport {
  std::string model_name;  // as configured
  std::string model_id;    // the foundation model it resolved to
  std::string region;
  // In the order a call would try them (RetryConfig::access_method_preference first; the direct
  // id left out once the manager learned the model needs a profile there). Empty: not tried.
  std::vector<PlannedRoute> routes;
  // Why nothing is tried here ("not offered in eu-north-1; offered in us-east-1, us-west-2"), or
  // what holds it back for now ("its circuit breaker is open: later calls skip it while another
  // target is closed"); empty otherwise.
  std::string note;
};

struct ConfigurationReport {
  // At least one pair has a route, and the credentials are not expired with their refresh failing.
  bool valid = false;
  std::vector<PairReport> pairs;      // models × regions, model by model, in the configured order
  std::vector<std::string> errors;    // what makes it invalid
  std::vector<std::string> warnings;  // the catalog's, a failed credentials refresh, open breakers
  CredentialsInfo credentials;        // where they came from (never a secret)
  std::size_t usable_pairs = 0;       // pairs with at least one route
};

}  // namespace llmm
