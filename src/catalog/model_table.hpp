#pragma once
// Names to targets over the built-in model table, until the catalog issue brings data/ and live
// discovery. A name resolves exactly or not at all: exact model names and ids, case and
// separators ignored ("claude-3-haiku" is "Claude 3 Haiku"), profile ids ("us.<model id>") and
// raw ids or ARNs the table does not know (sent as given, direct only). An unknown friendly name
// is a ConfigurationError with suggestions, never a silent different model.

#include "catalog/builtin_catalog.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::catalog {

struct ResolvedModel {
  std::string name;                              // as configured
  std::string model_id;                          // the foundation model id (or the raw id)
  const ModelInfo* info = nullptr;               // null for an id the table does not know
  const InferenceProfileInfo* pinned = nullptr;  // set when the name is a profile id
};

// How a resolved model can be called in one region.
struct RegionalAccess {
  std::optional<std::string> direct_id;
  std::optional<std::string> regional_profile_id;
  std::optional<std::string> global_profile_id;
};

// Throws ConfigurationError for an unknown name (naming it, with up to five suggestions) and for
// a name that matches two models equally (naming both).
ResolvedModel resolve_model(const Catalog& catalog, std::string_view name);

// nullopt when the model is not offered in `region` by any access method.
std::optional<RegionalAccess> access_in(const Catalog& catalog, const ResolvedModel& model,
                                        std::string_view region);

// Lower case letters and digits only: "Claude 3.5 Sonnet" -> "claude35sonnet".
std::string normalized_name(std::string_view name);

}  // namespace llmm::catalog
