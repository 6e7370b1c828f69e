#include "models_command.hpp"

#include "exit_codes.hpp"

#include "catalog/catalog_json.hpp"
#include "catalog/model_catalog_access.hpp"
#include "catalog/name_resolver.hpp"

#include <llmm/auth_manager.hpp>
#include <llmm/exceptions.hpp>
#include <llmm/model_catalog.hpp>

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>
#include <vector>

namespace llmm::cli {
namespace {

using catalog::Catalog;
using catalog::CatalogDocument;
using catalog::InferenceProfileInfo;
using catalog::ModelInfo;

std::string join(const std::vector<std::string>& values, std::string_view separator = ",") {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : std::string(separator)) + value;
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::set<std::string> regions_of(const Catalog& catalog) {
  std::set<std::string> regions;
  for (const ModelInfo& model : catalog.models) {
    regions.insert(model.on_demand_regions.begin(), model.on_demand_regions.end());
    regions.insert(model.profile_only_regions.begin(), model.profile_only_regions.end());
  }
  return regions;
}

void check_region(const Catalog& catalog, const std::string& region) {
  const std::set<std::string> regions = regions_of(catalog);
  if (region.empty() || regions.contains(region)) return;
  throw ConfigurationError("the catalog offers no model in region '" + region +
                           "'; its regions are " +
                           join(std::vector<std::string>(regions.begin(), regions.end()), ", "));
}

// Left-aligned columns, two spaces apart.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << '\n';
  }
}

std::string counted(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string or_dash(const std::optional<std::string>& value) { return value ? *value : "-"; }

// The same endpoints (so the same cache entries) with stand-in keys: a catalog that makes no
// control-plane call needs no credentials, but BedrockModelCatalog needs an AuthManager.
AuthConfig without_credentials(AuthConfig config) {
  config.type = AuthType::Credentials;
  config.access_key_id = "LLMM-NO-CREDENTIALS";
  config.secret_access_key = "never-sent";
  config.session_token.clear();
  return config;
}

// One line on where the data came from, then what was noticed on the way, one per line.
void report_origin(const BedrockModelCatalog& catalog, const std::vector<std::string>& notes) {
  std::cerr << "llmm: catalog from " << to_string(catalog.source());
  if (const std::string generated = catalog.generated_at(); !generated.empty()) {
    std::cerr << ", generated " << generated;
  }
  std::cerr << ", " << counted(catalog.regions().size(), "region");
  if (const auto file = catalog.cache_file_path()) std::cerr << ", cache file " << file->string();
  std::cerr << '\n';
  for (const std::string& note : notes) std::cerr << "llmm: catalog warning: " << note << '\n';
  for (const std::string& warning : catalog.warnings()) {
    std::cerr << "llmm: catalog warning: " << warning << '\n';
  }
}

}  // namespace

ModelsCommand::ModelsCommand(CLI::App& app) {
  models_ = app.add_subcommand("models", "List the model catalog, or explain how a name resolves");
  models_->add_option("--region", region_,
                      "Only models offered in this region, with their access (discovers only it)");
  models_->add_option("--provider", provider_, "Only this provider's models (case ignored)");
  models_->add_flag("--json", json_, "Print the (filtered) catalog as llmm-catalog JSON");
  connection_flags_.add_to(*models_);
  catalog_flags_.add_to(*models_);
  resolve_ = models_->add_subcommand("resolve", "Show how a model name resolves and why");
  resolve_->add_option("name", name_, "A model name, alias, model id, profile id or ARN")->required();
  resolve_->add_option("--region", resolve_region_, "Only this region's access (discovers only it)");
  // `models resolve NAME --offline`: the catalog and connection flags may follow the name.
  resolve_->fallthrough();
}

int ModelsCommand::run() const {
  const bool resolving = resolve_->parsed();
  const auto document = load(resolving ? resolve_region_ : region_);
  return resolving ? resolve(*document) : list(*document);
}

std::shared_ptr<const CatalogDocument> ModelsCommand::load(const std::string& region) const {
  ConnectionFlags::Connection connection = connection_flags_.resolve();
  CatalogConfig config = catalog_flags_.resolve(connection.emulator ? CacheMode::None : CacheMode::File);
  if (!region.empty()) config.regions = {region};

  std::vector<std::string> notes;
  std::unique_ptr<AuthManager> auth;
  if (config.live_discovery) {
    try {
      auth = std::make_unique<AuthManager>(connection.auth_config, connection.client_config);
    } catch (const AuthenticationError& error) {
      // Listing models needs no credentials: what is known without calling Bedrock (exit 0).
      notes.push_back(std::string("no catalog discovery: ") + error.what());
      config.live_discovery = false;
    }
  }
  if (!auth) {
    auth = std::make_unique<AuthManager>(without_credentials(connection.auth_config),
                                         connection.client_config);
  }
  BedrockModelCatalog catalog(*auth, std::move(config));
  std::shared_ptr<const CatalogDocument> document = catalog::catalog_document(catalog);
  report_origin(catalog, notes);
  return document;  // shared: it outlives the catalog, the AuthManager and the emulator
}

int ModelsCommand::list(const CatalogDocument& document) const {
  const Catalog& all = document.catalog;
  check_region(all, region_);

  CatalogDocument shown{Catalog{}, document.generated_at, document.source};
  std::set<std::string> providers;
  for (const ModelInfo& model : all.models) {
    providers.insert(model.provider_name);
    if (!provider_.empty() && lower(model.provider_name) != lower(provider_)) continue;
    if (!region_.empty() && !catalog::offered_in(model, region_)) continue;
    shown.catalog.models.push_back(model);
  }
  if (!provider_.empty() &&
      std::none_of(providers.begin(), providers.end(),
                   [&](const std::string& p) { return lower(p) == lower(provider_); })) {
    throw ConfigurationError("the catalog has no provider '" + provider_ + "'; its providers are " +
                             join(std::vector<std::string>(providers.begin(), providers.end()), ", "));
  }
  for (const InferenceProfileInfo& profile : all.profiles) {
    if (shown.catalog.find_model(profile.model_id) == nullptr) continue;
    if (!region_.empty() && !catalog::profile_callable_in(profile, region_)) continue;
    shown.catalog.profiles.push_back(profile);
  }
  if (json_) {
    std::cout << catalog::catalog_to_json(shown);
    return kExitSuccess;
  }

  std::vector<std::vector<std::string>> rows;
  if (region_.empty()) {
    rows.push_back({"MODEL ID", "NAME", "PROVIDER", "INPUT", "OUTPUT", "STREAM", "ON DEMAND",
                    "PROFILE ONLY", "PROFILES"});
  } else {
    rows.push_back({"MODEL ID", "NAME", "PROVIDER", "INPUT", "OUTPUT", "STREAM", "DIRECT",
                    "REGIONAL PROFILE", "GLOBAL PROFILE"});
  }
  for (const ModelInfo& model : shown.catalog.models) {
    std::vector<std::string> row{model.model_id, model.model_name, model.provider_name,
                                 join(model.input_modalities), join(model.output_modalities),
                                 model.streaming ? "yes" : "no"};
    if (region_.empty()) {
      std::size_t profiles = 0;
      for (const InferenceProfileInfo& profile : shown.catalog.profiles) {
        profiles += profile.model_id == model.model_id ? 1 : 0;
      }
      row.push_back(std::to_string(model.on_demand_regions.size()));
      row.push_back(std::to_string(model.profile_only_regions.size()));
      row.push_back(std::to_string(profiles));
    } else {
      const catalog::ResolvedModel resolved{model.model_id, model.model_id, &model, nullptr};
      const auto access = catalog::access_in(shown.catalog, resolved, region_);
      row.push_back(access && access->direct_id ? "yes" : "no");
      row.push_back(access ? or_dash(access->regional_profile_id) : "-");
      row.push_back(access ? or_dash(access->global_profile_id) : "-");
    }
    rows.push_back(std::move(row));
  }
  print_table(rows);

  std::set<std::string> shown_providers;
  for (const ModelInfo& model : shown.catalog.models) shown_providers.insert(model.provider_name);
  std::cout << '\n'
            << counted(shown.catalog.models.size(), "model") << ", "
            << counted(shown_providers.size(), "provider") << ", "
            << counted(region_.empty() ? regions_of(shown.catalog).size() : 1, "region") << ", "
            << counted(shown.catalog.profiles.size(), "profile");
  if (shown.catalog.models.size() != all.models.size()) std::cout << " (of " << all.models.size() << " models)";
  std::cout << "; catalog: " << document.source
            << (document.generated_at.empty() ? "" : ", generated " + document.generated_at) << '\n';
  return kExitSuccess;
}

int ModelsCommand::resolve(const CatalogDocument& document) const {
  const Catalog& all = document.catalog;
  check_region(all, resolve_region_);
  const catalog::NameResolver resolver(all);
  const catalog::Resolution resolution = resolver.resolve(name_);  // throws for unknown names
  const catalog::ResolvedModel& model = resolution.model;

  std::cout << "'" << name_ << "' resolves to ";
  if (model.info != nullptr) {
    std::cout << "'" << model.info->model_name << "' (" << model.info->model_id << "), "
              << model.info->provider_name;
  } else {
    std::cout << model.model_id;
  }
  if (model.pinned != nullptr) std::cout << ", pinned to profile " << model.pinned->profile_id;
  std::cout << '\n'
            << "  match:   " << catalog::to_string(resolution.explanation.kind) << ": "
            << resolution.explanation.reason << '\n';
  if (model.info != nullptr) {
    const std::vector<std::string> aliases = resolver.aliases_of(*model.info);
    if (!aliases.empty()) std::cout << "  aliases: " << join(aliases, ", ") << '\n';
  }

  std::vector<std::string> regions;
  if (!resolve_region_.empty()) {
    regions.push_back(resolve_region_);
  } else {
    const std::set<std::string> all_regions = regions_of(all);
    regions.assign(all_regions.begin(), all_regions.end());
  }
  std::vector<std::vector<std::string>> rows{
      {"REGION", "DIRECT", "REGIONAL PROFILE", "GLOBAL PROFILE"}};
  for (const std::string& region : regions) {
    const auto access = catalog::access_in(all, model, region);
    if (!access) {
      if (!resolve_region_.empty()) rows.push_back({region, "not offered", "-", "-"});
      continue;
    }
    rows.push_back({region, or_dash(access->direct_id), or_dash(access->regional_profile_id),
                    or_dash(access->global_profile_id)});
  }
  if (model.info == nullptr && model.pinned == nullptr) {
    std::cout << "  access:  not in the catalog; sent as given, as a direct id, in any region\n";
    return kExitSuccess;
  }
  std::cout << '\n';
  print_table(rows);
  const bool offered = rows.size() > 1 && rows.back()[1] != "not offered";
  return offered ? kExitSuccess : kExitCallFailed;
}

}  // namespace llmm::cli
