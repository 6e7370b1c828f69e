#include "models_command.hpp"

#include "exit_codes.hpp"

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

// Declared in this order so that the catalog goes first and the connection (an embedded
// emulator) last.
struct ModelsCommand::Loaded {
  ConnectionFlags::Connection connection;
  std::unique_ptr<AuthManager> auth;
  std::unique_ptr<BedrockModelCatalog> catalog;
};

namespace {

std::string join(const std::vector<std::string>& values, std::string_view separator = ",") {
  std::string out;
  for (const std::string& value : values)
    out += (out.empty() ? "" : std::string(separator)) + value;
  return out;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Every region a model of `models` is offered in, either way.
std::set<std::string> regions_of(const std::vector<ModelSummary>& models) {
  std::set<std::string> regions;
  for (const ModelSummary& model : models) {
    regions.insert(model.on_demand_regions.begin(), model.on_demand_regions.end());
    regions.insert(model.profile_only_regions.begin(), model.profile_only_regions.end());
  }
  return regions;
}

void check_region(const std::vector<ModelSummary>& models, const std::string& region) {
  const std::set<std::string> regions = regions_of(models);
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
  resolve_->add_option("name", name_, "A model name, alias, model id, profile id or ARN")
      ->required();
  resolve_->add_option("--region", resolve_region_,
                       "Only this region's access (discovers only it)");
  // `models resolve NAME --offline`: the catalog and connection flags may follow the name.
  resolve_->fallthrough();
}

int ModelsCommand::run() const {
  const bool resolving = resolve_->parsed();
  const auto loaded = load(resolving ? resolve_region_ : region_);
  return resolving ? resolve(*loaded->catalog) : list(*loaded->catalog);
}

std::unique_ptr<ModelsCommand::Loaded> ModelsCommand::load(const std::string& region) const {
  auto loaded = std::make_unique<Loaded>();
  loaded->connection = connection_flags_.resolve();
  const ConnectionFlags::Connection& connection = loaded->connection;
  CatalogConfig config =
      catalog_flags_.resolve(connection.emulator ? CacheMode::None : CacheMode::File);
  if (!region.empty()) config.regions = {region};

  std::vector<std::string> notes;
  if (config.live_discovery) {
    try {
      loaded->auth =
          std::make_unique<AuthManager>(connection.auth_config, connection.client_config);
    } catch (const AuthenticationError& error) {
      // Listing models needs no credentials: what is known without calling Bedrock (exit 0).
      notes.push_back(std::string("no catalog discovery: ") + error.what());
      config.live_discovery = false;
    }
  }
  if (!loaded->auth) {
    loaded->auth = std::make_unique<AuthManager>(without_credentials(connection.auth_config),
                                                 connection.client_config);
  }
  loaded->catalog = std::make_unique<BedrockModelCatalog>(*loaded->auth, std::move(config));
  loaded->catalog->ensure_available();
  report_origin(*loaded->catalog, notes);
  return loaded;
}

int ModelsCommand::list(const BedrockModelCatalog& catalog) const {
  const std::vector<ModelSummary> all = catalog.list_models();
  check_region(all, region_);

  std::set<std::string> providers;
  for (const ModelSummary& model : all) providers.insert(model.provider);
  if (!provider_.empty() &&
      std::none_of(providers.begin(), providers.end(),
                   [&](const std::string& p) { return lower(p) == lower(provider_); })) {
    throw ConfigurationError(
        "the catalog has no provider '" + provider_ + "'; its providers are " +
        join(std::vector<std::string>(providers.begin(), providers.end()), ", "));
  }
  const ModelFilter filter{.region = region_, .provider = provider_};
  if (json_) {
    std::cout << catalog.to_json(filter);
    return kExitSuccess;
  }
  const std::vector<ModelSummary> shown = catalog.list_models(filter);

  std::vector<std::vector<std::string>> rows;
  if (region_.empty()) {
    rows.push_back({"MODEL ID", "NAME", "PROVIDER", "INPUT", "OUTPUT", "STREAM", "ON DEMAND",
                    "PROFILE ONLY", "PROFILES"});
  } else {
    rows.push_back({"MODEL ID", "NAME", "PROVIDER", "INPUT", "OUTPUT", "STREAM", "DIRECT",
                    "REGIONAL PROFILE", "GLOBAL PROFILE"});
  }
  std::size_t profiles_shown = 0;
  for (const ModelSummary& model : shown) {
    std::vector<std::string> row{model.model_id,
                                 model.name,
                                 model.provider,
                                 join(model.input_modalities),
                                 join(model.output_modalities),
                                 model.streaming ? "yes" : "no"};
    if (region_.empty()) {
      profiles_shown += model.profiles.size();
      row.push_back(std::to_string(model.on_demand_regions.size()));
      row.push_back(std::to_string(model.profile_only_regions.size()));
      row.push_back(std::to_string(model.profiles.size()));
    } else {
      for (const CatalogProfile& profile : model.profiles) {
        profiles_shown +=
            std::count(profile.regions.begin(), profile.regions.end(), region_) > 0 ? 1 : 0;
      }
      const RegionAccess* access = model.access_in(region_);
      row.push_back(access && access->direct_id ? "yes" : "no");
      row.push_back(access ? or_dash(access->regional_profile_id) : "-");
      row.push_back(access ? or_dash(access->global_profile_id) : "-");
    }
    rows.push_back(std::move(row));
  }
  print_table(rows);

  std::set<std::string> shown_providers;
  for (const ModelSummary& model : shown) shown_providers.insert(model.provider);
  const std::string generated = catalog.generated_at();
  std::cout << '\n'
            << counted(shown.size(), "model") << ", " << counted(shown_providers.size(), "provider")
            << ", " << counted(region_.empty() ? regions_of(shown).size() : 1, "region") << ", "
            << counted(profiles_shown, "profile");
  if (shown.size() != all.size()) std::cout << " (of " << all.size() << " models)";
  std::cout << "; catalog: " << catalog.source_description()
            << (generated.empty() ? "" : ", generated " + generated) << '\n';
  return kExitSuccess;
}

int ModelsCommand::resolve(const BedrockModelCatalog& catalog) const {
  check_region(catalog.list_models(), resolve_region_);
  const ModelResolution resolution = catalog.resolve(name_);
  if (!resolution.ok()) throw ConfigurationError(resolution.error);

  std::cout << "'" << name_ << "' resolves to ";
  if (resolution.model) {
    std::cout << "'" << resolution.model->name << "' (" << resolution.model->model_id << "), "
              << resolution.model->provider;
  } else {
    std::cout << resolution.model_id;
  }
  if (resolution.pinned_profile_id) {
    std::cout << ", pinned to profile " << *resolution.pinned_profile_id;
  }
  std::cout << '\n'
            << "  match:   " << to_string(resolution.match) << ": " << resolution.reason << '\n';
  if (resolution.model && !resolution.model->aliases.empty()) {
    std::cout << "  aliases: " << join(resolution.model->aliases, ", ") << '\n';
  }
  if (!resolution.model && !resolution.pinned_profile_id) {
    std::cout << "  access:  not in the catalog; sent as given, as a direct id, in any region\n";
    return kExitSuccess;
  }

  std::vector<std::vector<std::string>> rows{
      {"REGION", "DIRECT", "REGIONAL PROFILE", "GLOBAL PROFILE"}};
  bool offered = false;
  for (const RegionAccess& access : resolution.access) {
    if (!resolve_region_.empty() && access.region != resolve_region_) continue;
    rows.push_back({access.region, or_dash(access.direct_id), or_dash(access.regional_profile_id),
                    or_dash(access.global_profile_id)});
    offered = true;
  }
  if (!resolve_region_.empty() && !offered)
    rows.push_back({resolve_region_, "not offered", "-", "-"});
  std::cout << '\n';
  print_table(rows);
  return offered ? kExitSuccess : kExitCallFailed;
}

}  // namespace llmm::cli
