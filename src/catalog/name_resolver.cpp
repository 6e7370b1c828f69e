#include "catalog/name_resolver.hpp"

#include <llmm/exceptions.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <tuple>
#include <utility>

namespace llmm::catalog {
namespace {

// Names of models that were renamed or retired (reference §6.5 "legacy names"): a name here
// resolves to its id when the catalog has that model, and otherwise gives an error that says
// which model the name means and that the catalog does not offer it (never a look-alike).
struct LegacyName {
  std::string_view name;
  std::string_view model_id;
};
constexpr std::array kLegacyNames{
    LegacyName{"Claude Instant", "anthropic.claude-instant-v1"},
    LegacyName{"Claude v2", "anthropic.claude-v2"},
    LegacyName{"Claude v2.1", "anthropic.claude-v2:1"},
    LegacyName{"Claude 3 Opus", "anthropic.claude-3-opus-20240229-v1:0"},
    LegacyName{"Claude 3.5 Sonnet New", "anthropic.claude-3-5-sonnet-20241022-v2:0"},
    LegacyName{"Mistral Large 2", "mistral.mistral-large-2407-v1:0"},
    LegacyName{"Titan Text G1 - Lite", "amazon.titan-text-lite-v1"},
    LegacyName{"Titan Text G1 - Express", "amazon.titan-text-express-v1"},
    LegacyName{"Titan Text G1 - Premier", "amazon.titan-text-premier-v1:0"},
    LegacyName{"Titan Text Embeddings V2", "amazon.titan-embed-text-v2:0"},
    LegacyName{"Titan Image Generator G1", "amazon.titan-image-generator-v1"},
    LegacyName{"Llama 2 Chat 13B", "meta.llama2-13b-chat-v1"},
    LegacyName{"Llama 2 Chat 70B", "meta.llama2-70b-chat-v1"},
    LegacyName{"Jurassic-2 Mid", "ai21.j2-mid-v1"},
    LegacyName{"Jurassic-2 Ultra", "ai21.j2-ultra-v1"},
    LegacyName{"Command", "cohere.command-text-v14"},
    LegacyName{"Command Light", "cohere.command-light-text-v14"},
    LegacyName{"SDXL 1.0", "stability.stable-diffusion-xl-v1"},
};

// First segments of ids that are ids even when the catalog does not know them: Bedrock's model
// providers and the geography prefixes of system-defined inference profiles.
constexpr std::array<std::string_view, 28> kKnownIdPrefixes{
    "ai21", "amazon",    "anthropic",  "cohere",   "deepseek",   "google", "luma",
    "meta", "minimax",   "mistral",    "moonshot", "moonshotai", "nvidia", "openai",
    "qwen", "stability", "twelvelabs", "writer",   "zai",        "us",     "eu",
    "apac", "jp",        "au",         "ca",       "us-gov",     "global", "sa"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower(a) == lower(b);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool is_global(const InferenceProfileInfo& profile) {
  return profile.profile_id.starts_with("global.");
}

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string describe(const ModelInfo& model) {
  return quoted(model.model_name) + " (" + model.model_id + ")";
}

// "arn:<partition>:bedrock:<region>:<account>:<type>/<id>"; the id may hold ':'.
struct BedrockArn {
  std::string region;
  std::string type;
  std::string id;
};

std::optional<BedrockArn> parse_arn(std::string_view arn) {
  std::array<std::string_view, 5> fields{};
  std::size_t start = 0;
  for (std::string_view& field : fields) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    field = arn.substr(start, colon - start);
    start = colon + 1;
  }
  const std::string_view resource = arn.substr(start);
  const std::size_t slash = resource.find('/');
  if (fields[0] != "arn" || !fields[1].starts_with("aws") || fields[2] != "bedrock" ||
      slash == std::string_view::npos || slash == 0 || slash + 1 == resource.size()) {
    return std::nullopt;
  }
  return BedrockArn{std::string(fields[3]), std::string(resource.substr(0, slash)),
                    std::string(resource.substr(slash + 1))};
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool all_letters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isalpha(c) != 0; });
}

// "3", "4.5": a version number.
bool is_version(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return all_digits(text);
  return all_digits(text.substr(0, dot)) && all_digits(text.substr(dot + 1));
}

// "claude-3-haiku-20240307-v1" -> "claude-3-haiku-20240307" (a trailing -vN or -vN.M only).
std::string without_version(const std::string& text) {
  const std::size_t at = text.rfind("-v");
  if (at == std::string::npos || !is_version(std::string_view(text).substr(at + 2))) return text;
  return text.substr(0, at);
}

// The 8-digit release date of an id ("-20240307" followed by '-', ':' or the end), if any.
std::optional<std::string> release_date(std::string_view id) {
  for (std::size_t at = id.find('-'); at != std::string_view::npos; at = id.find('-', at + 1)) {
    const std::size_t end = at + 9;
    if (end > id.size() || !all_digits(id.substr(at + 1, 8))) continue;
    if (end == id.size() || id[end] == '-' || id[end] == ':')
      return std::string(id.substr(at + 1, 8));
  }
  return std::nullopt;
}

// "claude-3-haiku-20240307-v1" -> "claude-3-haiku-v1".
std::string without_date(const std::string& text) {
  const auto date = release_date(text);
  if (!date) return text;
  std::string out = text;
  out.erase(out.find("-" + *date), 9);
  return out;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) words.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return words;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace

std::string_view to_string(MatchKind kind) noexcept {
  switch (kind) {
    case MatchKind::Exact: return "exact";
    case MatchKind::Normalized: return "normalized";
    case MatchKind::Alias: return "alias";
    case MatchKind::Legacy: return "legacy";
    case MatchKind::Id: return "id";
    case MatchKind::Profile: return "profile";
    case MatchKind::Arn: return "arn";
    case MatchKind::RawId: return "raw id";
  }
  return "unknown";
}

std::string normalized_name(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0) out += static_cast<char>(std::tolower(c));
    if (c == '+') out += "plus";  // "Command R+" is "Command R Plus", not "Command R"
  }
  return out;
}

std::string reference_style_name(std::string_view model_id) {
  std::string rest(model_id);
  if (const std::size_t dot = rest.find('.'); dot != std::string::npos) rest.erase(0, dot + 1);
  if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) rest.erase(colon);
  rest = without_version(rest);
  std::string name;
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t dash = rest.find('-', start);
    if (dash == std::string::npos) dash = rest.size();
    std::string word = lower(rest.substr(start, dash - start));
    if (!word.empty()) {
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      name += (name.empty() ? "" : " ") + word;
    }
    start = dash + 1;
  }
  return name;
}

std::vector<std::string> generated_aliases(const ModelInfo& model) {
  std::vector<std::string> aliases;
  auto add = [&](std::string alias) {
    if (!alias.empty() && std::find(aliases.begin(), aliases.end(), alias) == aliases.end()) {
      aliases.push_back(std::move(alias));
    }
  };
  const std::string& id = model.model_id;
  const std::string& name = model.model_name;

  // The reference system's key, and the name with the release date ("Claude 3 Haiku 20240307").
  add(reference_style_name(id));
  const auto date = release_date(id);
  if (date && name.find(*date) == std::string::npos) add(name + " " + *date);

  // Id forms without the provider: "claude-3-haiku-20240307-v1:0", "...-v1", "...-20240307",
  // "claude-3-haiku-v1"; a context variant ("...-v1:0:8k") keeps its context ("nova-premier-8k").
  if (const std::size_t dot = id.find('.'); dot != std::string::npos) {
    const std::string rest = id.substr(dot + 1);
    const std::size_t colon = rest.find(':');
    const std::string base = rest.substr(0, colon);
    add(rest);
    const std::size_t last_colon = rest.rfind(':');
    if (colon != std::string::npos && last_colon != colon) {  // two or more ':': a context variant
      add(without_version(base) + "-" + rest.substr(last_colon + 1));
    } else {
      add(base);
      add(without_version(base));
      add(without_date(base));
    }
  }

  // "Anthropic Claude 3 Haiku".
  if (!lower(name).starts_with(lower(model.provider_name))) add(model.provider_name + " " + name);

  // Claude's two word orders: "Claude 3 Haiku" <-> "Claude Haiku 3".
  std::vector<std::string> words = words_of(name);
  if (words.size() >= 3 && words[0] == "Claude" &&
      ((is_version(words[1]) && all_letters(words[2])) ||
       (all_letters(words[1]) && is_version(words[2])))) {
    std::swap(words[1], words[2]);
    add(joined(words));
    std::swap(words[1], words[2]);
  }

  // Without "Instruct": "Llama 3.1 8B Instruct" -> "Llama 3.1 8B".
  if (std::erase(words, std::string("Instruct")) > 0) add(joined(words));

  // The model's own name is rank 0, never an alias of itself.
  std::erase_if(aliases, [&](const std::string& alias) {
    return normalized_name(alias) == normalized_name(name) ||
           normalized_name(alias) == normalized_name(id);
  });
  return aliases;
}

NameResolver::NameResolver(const Catalog& catalog) : catalog_(catalog) {
  for (std::size_t i = 0; i < catalog.models.size(); ++i) {
    const ModelInfo& model = catalog.models[i];
    index_[normalized_name(model.model_name)].push_back(
        {i, 0, MatchKind::Normalized, model.model_name});
    index_[normalized_name(model.model_id)].push_back({i, 0, MatchKind::Id, model.model_id});
    for (std::string& alias : generated_aliases(model)) {
      std::string key = normalized_name(alias);
      index_[std::move(key)].push_back({i, 1, MatchKind::Alias, std::move(alias)});
    }
    for (const LegacyName& legacy : kLegacyNames) {
      if (legacy.model_id == model.model_id) {
        index_[normalized_name(legacy.name)].push_back(
            {i, 1, MatchKind::Legacy, std::string(legacy.name)});
      }
    }
  }
  index_.erase("");

  std::set<std::string> prefixes(kKnownIdPrefixes.begin(), kKnownIdPrefixes.end());
  for (const ModelInfo& model : catalog.models)
    prefixes.insert(lower(model.model_id.substr(0, model.model_id.find('.'))));
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    prefixes.insert(lower(profile.profile_id.substr(0, profile.profile_id.find('.'))));
  }
  id_prefixes_.assign(prefixes.begin(), prefixes.end());
}

std::vector<const NameResolver::Entry*> NameResolver::best_entries(const std::string& key) const {
  std::vector<const Entry*> best;
  const auto it = index_.find(key);
  if (it == index_.end()) return best;
  int best_rank = 2;
  for (const Entry& entry : it->second) best_rank = std::min(best_rank, entry.rank);
  for (const Entry& entry : it->second) {
    if (entry.rank != best_rank) continue;
    const bool seen = std::any_of(best.begin(), best.end(),
                                  [&](const Entry* other) { return other->model == entry.model; });
    if (!seen) best.push_back(&entry);
  }
  return best;
}

bool NameResolver::id_shaped(std::string_view name) const {
  const std::size_t dot = name.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return false;
  const bool clean = std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == ':' || c == '-' || c == '_';
  });
  const std::string first = lower(name.substr(0, dot));
  return clean && std::binary_search(id_prefixes_.begin(), id_prefixes_.end(), first);
}

Resolution NameResolver::resolve(std::string_view name) const {
  Resolution out;
  out.model = ResolvedModel{std::string(name), std::string(name), nullptr, nullptr};
  auto raw = [&](std::string reason, MatchKind kind) {
    out.explanation = {kind, std::string(name), std::move(reason)};
    return out;
  };

  if (normalized_name(name).empty()) {
    throw ConfigurationError("model name " + quoted(name) +
                             " is empty; give a model name, model id, profile id or ARN");
  }

  // 1. ARNs.
  if (name.starts_with("arn:")) {
    const auto arn = parse_arn(name);
    if (!arn) {
      throw ConfigurationError(
          quoted(name) +
          " is not a Bedrock ARN (arn:aws:bedrock:REGION:ACCOUNT:TYPE/ID, TYPE one of "
          "foundation-model, inference-profile, application-inference-profile)");
    }
    if (arn->type == "foundation-model") {
      if (const ModelInfo* model = catalog_.find_model(arn->id)) {
        out.model.model_id = model->model_id;
        out.model.info = model;
        out.explanation = {
            MatchKind::Arn, std::string(name),
            "the foundation-model ARN (region " + arn->region + ") of " + describe(*model)};
        return out;
      }
      return raw("a foundation-model ARN the catalog does not know: sent as given, direct only",
                 MatchKind::Arn);
    }
    if (arn->type == "inference-profile") {
      if (const InferenceProfileInfo* profile = catalog_.find_profile(arn->id)) {
        out.model.model_id = profile->model_id;
        out.model.info = catalog_.find_model(profile->model_id);
        out.model.pinned = profile;
        out.explanation = {
            MatchKind::Arn, std::string(name),
            "the ARN of the system-defined inference profile " + profile->profile_id + ", pinned"};
        return out;
      }
      return raw("an inference-profile ARN the catalog does not know: sent as given, direct only",
                 MatchKind::Arn);
    }
    if (arn->type == "application-inference-profile") {
      return raw(
          "an application inference profile ARN (its routing is the account's): sent as "
          "given, direct only",
          MatchKind::Arn);
    }
    return raw("a Bedrock " + arn->type + " ARN: sent as given, direct only", MatchKind::Arn);
  }

  // 2. Model ids and profile ids the catalog has.
  for (const ModelInfo& model : catalog_.models) {
    if (iequals(model.model_id, name)) {
      out.model.model_id = model.model_id;
      out.model.info = &model;
      out.explanation = {MatchKind::Id, model.model_id, "the model id of " + describe(model)};
      return out;
    }
  }
  for (const InferenceProfileInfo& profile : catalog_.profiles) {
    if (iequals(profile.profile_id, name)) {
      out.model.model_id = profile.model_id;
      out.model.info = catalog_.find_model(profile.model_id);
      out.model.pinned = &profile;
      const std::string geography = profile.profile_id.substr(0, profile.profile_id.find('.'));
      out.explanation = {MatchKind::Profile, profile.profile_id,
                         "the " + geography + (is_global(profile) ? "" : " (regional)") +
                             " inference profile of " + profile.model_id + ", pinned"};
      return out;
    }
  }

  // 3. Names, aliases and legacy names, ignoring case and separators.
  const std::string key = normalized_name(name);
  const std::vector<const Entry*> best = best_entries(key);
  if (best.size() > 1) {
    throw ConfigurationError("model name " + quoted(name) + " is ambiguous: it matches " +
                             describe(catalog_.models[best[0]->model]) + " and " +
                             describe(catalog_.models[best[1]->model]) +
                             "; use the model id or a more specific name");
  }
  if (best.size() == 1) {
    const Entry& entry = *best.front();
    const ModelInfo& model = catalog_.models[entry.model];
    out.model.model_id = model.model_id;
    out.model.info = &model;
    MatchKind kind = entry.kind;
    std::string reason;
    switch (entry.kind) {
      case MatchKind::Normalized:
        if (name == model.model_name) {
          kind = MatchKind::Exact;
          reason = "the name of " + describe(model);
        } else {
          reason = "ignoring case and separators, the name of " + describe(model);
        }
        break;
      case MatchKind::Id:
        reason = "ignoring case and separators, the model id of " + describe(model);
        break;
      case MatchKind::Legacy: reason = "a legacy name of " + describe(model); break;
      default:
        reason = std::string(name == entry.text ? "" : "ignoring case and separators, ") +
                 "the generated alias " + quoted(entry.text) + " of " + describe(model);
        break;
    }
    out.explanation = {kind, entry.text, std::move(reason)};
    return out;
  }

  // 4. An id the catalog does not know.
  if (id_shaped(name)) {
    return raw(
        "an id the catalog does not know: sent as given, direct only (the service "
        "decides)",
        MatchKind::RawId);
  }

  // Unknown: say what the name means when it is a legacy name, else suggest.
  std::string message = "unknown model " + quoted(name);
  for (const LegacyName& legacy : kLegacyNames) {
    if (normalized_name(legacy.name) == key) {
      message += ": it names " + std::string(legacy.model_id) +
                 ", which this catalog does not offer in any region";
    }
  }
  const std::vector<std::string> near = suggestions(name);
  if (!near.empty()) {
    message += "; did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) message += (i == 0 ? "" : ", ") + quoted(near[i]);
    message += "?";
  } else {
    std::string known;
    for (std::size_t i = 0; i < catalog_.models.size() && i < 10; ++i) {
      known += (i == 0 ? "" : ", ") + quoted(catalog_.models[i].model_name);
    }
    message += "; known models include " + known;
  }
  throw ConfigurationError(message + " (a model id, profile id or ARN is also accepted)");
}

std::vector<std::string> NameResolver::suggestions(std::string_view name, std::size_t limit) const {
  const std::string wanted = normalized_name(name);
  const std::size_t threshold = std::max<std::size_t>(3, wanted.size() / 3);
  // Per model, its best score: (not within distance, distance).
  std::map<std::size_t, std::pair<bool, std::size_t>> best;
  for (const auto& [key, entries] : index_) {
    const std::size_t distance = edit_distance(wanted, key);
    const bool near = distance <= threshold;
    const bool contains = wanted.size() >= 3 && key.find(wanted) != std::string::npos;
    if (!near && !contains) continue;
    const std::pair<bool, std::size_t> score{!near, distance};
    for (const Entry& entry : entries) {
      auto [it, inserted] = best.emplace(entry.model, score);
      if (!inserted) it->second = std::min(it->second, score);
    }
  }
  std::vector<std::tuple<bool, std::size_t, std::string>> ranked;
  ranked.reserve(best.size());
  for (const auto& [model, score] : best) {
    ranked.emplace_back(score.first, score.second, catalog_.models[model].model_name);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> names;
  for (const auto& [far, distance, model_name] : ranked) {
    if (names.size() == limit) break;
    if (std::find(names.begin(), names.end(), model_name) == names.end())
      names.push_back(model_name);
  }
  return names;
}

std::vector<std::string> NameResolver::aliases_of(const ModelInfo& model) const {
  std::vector<std::string> out;
  for (const auto& [key, entries] : index_) {
    const std::vector<const Entry*> best = best_entries(key);
    if (best.size() != 1 || &catalog_.models[best.front()->model] != &model) continue;
    for (const Entry& entry : entries) {
      if (&catalog_.models[entry.model] == &model && entry.rank == 1 &&
          std::find(out.begin(), out.end(), entry.text) == out.end()) {
        out.push_back(entry.text);
      }
    }
  }
  return out;
}

std::vector<const ModelInfo*> NameResolver::equal_matches(std::string_view name) const {
  std::vector<const ModelInfo*> models;
  for (const Entry* entry : best_entries(normalized_name(name))) {
    models.push_back(&catalog_.models[entry->model]);
  }
  return models;
}

std::map<std::string, std::size_t> NameResolver::key_owner_counts() const {
  std::map<std::string, std::size_t> counts;
  for (const auto& [key, entries] : index_) counts[key] = best_entries(key).size();
  return counts;
}

bool is_global_profile(const InferenceProfileInfo& profile) { return is_global(profile); }

Resolution explain_resolution(const Catalog& catalog, std::string_view name) {
  return NameResolver(catalog).resolve(name);
}

ResolvedModel resolve_model(const Catalog& catalog, std::string_view name) {
  return explain_resolution(catalog, name).model;
}

std::optional<RegionalAccess> access_in(const Catalog& catalog, const ResolvedModel& model,
                                        std::string_view region) {
  RegionalAccess access;
  if (model.pinned) {
    if (!profile_callable_in(*model.pinned, region)) return std::nullopt;
    (is_global(*model.pinned) ? access.global_profile_id : access.regional_profile_id) =
        model.pinned->profile_id;
    return access;
  }
  if (!model.info) {
    access.direct_id = model.model_id;
    return access;
  }
  if (on_demand_in(*model.info, region)) access.direct_id = model.model_id;
  for (const InferenceProfileInfo& profile : catalog.profiles) {
    if (profile.model_id != model.model_id || !profile_callable_in(profile, region)) continue;
    auto& slot = is_global(profile) ? access.global_profile_id : access.regional_profile_id;
    if (!slot) slot = profile.profile_id;
  }
  if (!access.direct_id && !access.regional_profile_id && !access.global_profile_id) {
    return std::nullopt;
  }
  return access;
}

}  // namespace llmm::catalog
