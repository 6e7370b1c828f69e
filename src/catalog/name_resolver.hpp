#pragma once
// Names to models over any Catalog (the bundled data, a cached or a discovered catalog).
// A name resolves to exactly one model or not at all; nothing ever resolves silently to a
// different model (reference §13 item 9). In order:
//   1. ARNs: arn:<partition>:bedrock:<region>:<account>:foundation-model/<id>,
//      .../inference-profile/<id> (the catalog's model or profile when it knows the id) and
//      .../application-inference-profile/<id> (and any other resource: sent as given).
//   2. A model id or a system-defined profile id the catalog has (case ignored); a profile id pins
//      that profile.
//   3. Names, compared after normalization (lower-case letters and digits only, '+' as "plus",
//      so case, spaces, dots, dashes and underscores never matter): a model's own name and id
//      outrank the aliases generated for every model (the reference-style "Claude 3 Haiku
//      20240307", id forms such as "claude-3-haiku-20240307-v1", "Anthropic Claude 3 Haiku",
//      "Claude Haiku 3", "Llama 3.1 8B" for "... Instruct") and a short table of legacy names. Two
//      models at the same rank are an ambiguity error naming both.
//   4. An id-shaped name the catalog does not know ("<provider>.<model>" or a geography-prefixed
//      profile id, whose first segment the catalog uses): sent as given, direct only.
// Anything else is a ConfigurationError naming the input with up to five suggestions.

#include "catalog/catalog_types.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmm::catalog {

struct ResolvedModel {
  std::string name;                              // as configured
  std::string model_id;                          // the foundation model id (or the raw id)
  const ModelInfo* info = nullptr;               // null for an id the catalog does not know
  const InferenceProfileInfo* pinned = nullptr;  // set when the name is a profile id
};

// How a resolved model can be called in one region.
struct RegionalAccess {
  std::optional<std::string> direct_id;
  std::optional<std::string> regional_profile_id;
  std::optional<std::string> global_profile_id;
};

enum class MatchKind {
  Exact,       // the model's name, verbatim
  Normalized,  // the model's name, ignoring case and separators
  Alias,       // a generated alias of the model
  Legacy,      // a legacy name from the table of renamed models
  Id,          // the model id (case ignored)
  Profile,     // a system-defined inference profile id of the catalog
  Arn,         // an ARN of a foundation model, inference profile or application profile
  RawId,       // an id-shaped name the catalog does not know, sent as given
};
std::string_view to_string(MatchKind kind) noexcept;  // "exact", "normalized", "alias", ...

// Why a name resolved as it did, for `llmm models resolve`.
struct ResolutionExplanation {
  MatchKind kind = MatchKind::Exact;
  std::string matched;  // the catalog name, alias, id or ARN the input matched
  std::string reason;   // one sentence: "ignoring case and separators, it equals the name ..."
};

struct Resolution {
  ResolvedModel model;
  ResolutionExplanation explanation;
};

// The index of one catalog's names. Build it once per catalog and keep it with the catalog (it
// points into it); resolve() is const and thread-safe.
class NameResolver {
 public:
  explicit NameResolver(const Catalog& catalog);

  // Throws ConfigurationError for an unknown name (naming it, with up to five suggestions), for
  // a name that matches two models equally (naming both) and for a malformed Bedrock ARN.
  [[nodiscard]] Resolution resolve(std::string_view name) const;

  // The generated aliases and legacy names that resolve to `model` (each one to it alone), in
  // generation order; the model's own name and id are not repeated.
  [[nodiscard]] std::vector<std::string> aliases_of(const ModelInfo& model) const;

  // Model names near `name` (edit distance over normalized names and aliases, then names that
  // contain it), best first, at most `limit`.
  [[nodiscard]] std::vector<std::string> suggestions(std::string_view name,
                                                     std::size_t limit = 5) const;

  // The models `name` matches equally at its best rank, ignoring case and separators: two or
  // more when resolve() refuses it as ambiguous (in index order), else at most one.
  [[nodiscard]] std::vector<const ModelInfo*> equal_matches(std::string_view name) const;

  // Every normalized key of the index and how many distinct models share its best rank (for the
  // ambiguity property: a key with two or more must fail to resolve).
  [[nodiscard]] std::map<std::string, std::size_t> key_owner_counts() const;

 private:
  struct Entry {
    std::size_t model = 0;  // index into catalog_.models
    int rank = 0;           // 0: the model's own name or id; 1: a generated alias or legacy name
    MatchKind kind = MatchKind::Alias;
    std::string text;  // the name, id or alias as generated
  };
  // The best-ranked entries of a normalized key (one per model), or empty.
  [[nodiscard]] std::vector<const Entry*> best_entries(const std::string& key) const;
  [[nodiscard]] bool id_shaped(std::string_view name) const;

  const Catalog& catalog_;
  std::map<std::string, std::vector<Entry>, std::less<>> index_;  // normalized key -> entries
  std::vector<std::string> id_prefixes_;  // "anthropic", "us", "global", ...
};

// A "global." profile (AccessMethod::GlobalProfile); the others are regional.
bool is_global_profile(const InferenceProfileInfo& profile);

// The aliases generated for one model (before checking which of them are unique in a catalog).
std::vector<std::string> generated_aliases(const ModelInfo& model);

// The reference system's catalog key of a model id (reference §6.4): drop the provider prefix,
// the ":..." suffix and a trailing "-vN", capitalise the words:
// "anthropic.claude-3-haiku-20240307-v1:0" -> "Claude 3 Haiku 20240307".
std::string reference_style_name(std::string_view model_id);

// One-shot forms over any catalog (they build a NameResolver each call).
Resolution explain_resolution(const Catalog& catalog, std::string_view name);
ResolvedModel resolve_model(const Catalog& catalog, std::string_view name);

// nullopt when the model is not offered in `region` by any access method.
std::optional<RegionalAccess> access_in(const Catalog& catalog, const ResolvedModel& model,
                                        std::string_view region);

// Lower case letters and digits only: "Claude 3.5 Sonnet" -> "claude35sonnet"; a '+' reads as
// "plus" ("Command R+" -> "commandrplus", not "Command R").
std::string normalized_name(std::string_view name);

}  // namespace llmm::catalog
