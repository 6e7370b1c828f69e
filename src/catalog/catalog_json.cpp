#include "catalog/catalog_json.hpp"

#include "protocol/json_value_nlohmann.hpp"
#include "protocol/json_wire.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <exception>
#include <initializer_list>
#include <set>

namespace llmm::catalog {
namespace {

namespace wire = protocol::wire;
using wire::json;
using wire::ordered_json;

// Limits on what a catalog document may be. The schema nests four levels deep (document,
// models, model, modality list); anything deeper is not ours. The real catalog is ~100 KiB.
constexpr std::size_t kMaxDocumentBytes = 64U * 1024U * 1024U;
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxEntries = 100000;  // models or profiles

// Every member an object may hold; anything else is a document of some other schema.
void only_members(const json& object, std::initializer_list<std::string_view> allowed,
                  const std::string& path) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (std::string_view key : allowed) known = known || it.key() == key;
    if (!known) wire::fail(wire::member_path(path, it.key()), "is not a member of this schema");
  }
}

std::string non_empty_string(const json& object, std::string_view key, const std::string& path) {
  std::string value = wire::required_string(object, key, path);
  if (value.empty()) wire::fail(wire::member_path(path, key), "is empty");
  return value;
}

// The request parts that take cache points, each once and in prompt order (tools, system,
// messages): consumers read the list as a set, and one spelling keeps documents comparable.
std::vector<std::string> prompt_caching_parts(const json& object, const std::string& path) {
  static constexpr std::array<std::string_view, 3> kParts = {"tools", "system", "messages"};
  std::vector<std::string> parts = wire::string_list(object, "prompt_caching", path);
  std::size_t next = 0;  // the first part the next entry may name
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string at = wire::index_path(wire::member_path(path, "prompt_caching"), i);
    const auto* found = std::find(kParts.begin(), kParts.end(), parts[i]);
    if (found == kParts.end()) {
      wire::fail(at, "is '" + parts[i] + "', not one of tools, system, messages");
    }
    const auto position = static_cast<std::size_t>(found - kParts.begin());
    if (position < next) {
      wire::fail(at, "is '" + parts[i] + "': repeated or out of the order tools, system, messages");
    }
    next = position + 1;
  }
  return parts;
}

ModelInfo read_model(const json& value, const std::string& path) {
  wire::as_object(value, path);
  only_members(value,
               {"model_id", "model_name", "provider_name", "input_modalities", "output_modalities",
                "streaming", "converse", "customizations", "lifecycle_status", "start_of_life",
                "on_demand_regions", "profile_only_regions", "tool_use", "documents",
                "request_fields", "beta_flags", "prompt_caching"},
               path);
  ModelInfo model;
  model.model_id = non_empty_string(value, "model_id", path);
  // Names may be empty (ListFoundationModels does not require them); ids may not.
  model.model_name = wire::required_string(value, "model_name", path);
  model.provider_name = wire::required_string(value, "provider_name", path);
  model.input_modalities = wire::string_list(value, "input_modalities", path);
  model.output_modalities = wire::string_list(value, "output_modalities", path);
  model.streaming = wire::optional_bool(value, "streaming", path).value_or(model.streaming);
  model.converse = wire::optional_bool(value, "converse", path).value_or(model.converse);
  model.customizations = wire::string_list(value, "customizations", path);
  model.lifecycle_status =
      wire::optional_string(value, "lifecycle_status", path).value_or(model.lifecycle_status);
  model.start_of_life = wire::optional_string(value, "start_of_life", path).value_or("");
  model.on_demand_regions = wire::string_list(value, "on_demand_regions", path);
  model.profile_only_regions = wire::string_list(value, "profile_only_regions", path);
  model.tool_use = wire::optional_bool(value, "tool_use", path).value_or(model.tool_use);
  model.documents = wire::optional_bool(value, "documents", path).value_or(model.documents);
  model.request_fields = wire::string_list(value, "request_fields", path);
  model.beta_flags = wire::string_list(value, "beta_flags", path);
  model.prompt_caching = prompt_caching_parts(value, path);
  return model;
}

InferenceProfileInfo read_profile(const json& value, const std::string& path) {
  wire::as_object(value, path);
  only_members(value, {"profile_id", "name", "model_id", "regions", "created_at"}, path);
  InferenceProfileInfo profile;
  profile.profile_id = non_empty_string(value, "profile_id", path);
  profile.name = wire::optional_string(value, "name", path).value_or("");
  profile.model_id = non_empty_string(value, "model_id", path);
  wire::required(value, "regions", path);
  profile.regions = wire::string_list(value, "regions", path);
  profile.created_at = wire::optional_string(value, "created_at", path).value_or("");
  return profile;
}

const json& entry_list(const json& root, std::string_view key) {
  const json& list = wire::as_array(wire::required(root, key, ""), std::string(key));
  if (list.size() > kMaxEntries) {
    wire::fail(std::string(key), "has more than " + std::to_string(kMaxEntries) + " entries");
  }
  return list;
}

CatalogDocument read_document(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) {
    wire::fail("", "is larger than " + std::to_string(kMaxDocumentBytes) + " bytes");
  }
  if (!protocol::json_depth_within(text, kMaxDepth)) {
    wire::fail("", "nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  const json root = wire::parse_body(text);
  wire::as_object(root, "");

  // Schema and version first: a foreign document is named as such, not as a list of odd members.
  const std::string schema = wire::required_string(root, "schema", "");
  if (schema != kCatalogSchemaName) {
    wire::fail("schema", "is '" + schema + "', not '" + std::string(kCatalogSchemaName) + "'");
  }
  const long long version = wire::required_long(root, "version", "");
  if (version != kCatalogSchemaVersion) {
    wire::fail("version", "is " + std::to_string(version) + ", this build reads only version " +
                              std::to_string(kCatalogSchemaVersion));
  }
  only_members(root, {"schema", "version", "generated_at", "source", "models", "profiles"}, "");

  CatalogDocument document;
  document.generated_at = wire::optional_string(root, "generated_at", "").value_or("");
  document.source = wire::optional_string(root, "source", "").value_or("");

  const json& models = entry_list(root, "models");
  std::set<std::string, std::less<>> model_ids;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const std::string path = wire::index_path("models", i);
    ModelInfo model = read_model(models[i], path);
    if (!model_ids.insert(model.model_id).second) {
      wire::fail(path + ".model_id", "repeats '" + model.model_id + "'");
    }
    document.catalog.models.push_back(std::move(model));
  }

  const json& profiles = entry_list(root, "profiles");
  std::set<std::string, std::less<>> profile_ids;
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const std::string path = wire::index_path("profiles", i);
    InferenceProfileInfo profile = read_profile(profiles[i], path);
    if (!profile_ids.insert(profile.profile_id).second) {
      wire::fail(path + ".profile_id", "repeats '" + profile.profile_id + "'");
    }
    document.catalog.profiles.push_back(std::move(profile));
  }
  return document;
}

ordered_json string_array(const std::vector<std::string>& values) {
  ordered_json array = ordered_json::array();
  for (const std::string& value : values) array.push_back(value);
  return array;
}

ordered_json model_json(const ModelInfo& model) {
  ordered_json out = ordered_json::object();
  out["model_id"] = model.model_id;
  out["model_name"] = model.model_name;
  out["provider_name"] = model.provider_name;
  out["input_modalities"] = string_array(model.input_modalities);
  out["output_modalities"] = string_array(model.output_modalities);
  out["streaming"] = model.streaming;
  out["converse"] = model.converse;
  out["customizations"] = string_array(model.customizations);
  out["lifecycle_status"] = model.lifecycle_status;
  out["start_of_life"] = model.start_of_life;
  out["on_demand_regions"] = string_array(model.on_demand_regions);
  out["profile_only_regions"] = string_array(model.profile_only_regions);
  out["tool_use"] = model.tool_use;
  out["documents"] = model.documents;
  out["request_fields"] = string_array(model.request_fields);
  out["beta_flags"] = string_array(model.beta_flags);
  out["prompt_caching"] = string_array(model.prompt_caching);
  return out;
}

ordered_json profile_json(const InferenceProfileInfo& profile) {
  ordered_json out = ordered_json::object();
  out["profile_id"] = profile.profile_id;
  out["name"] = profile.name;
  out["model_id"] = profile.model_id;
  out["regions"] = string_array(profile.regions);
  out["created_at"] = profile.created_at;
  return out;
}

}  // namespace

std::string catalog_to_json(const CatalogDocument& document) {
  ordered_json root = ordered_json::object();
  root["schema"] = kCatalogSchemaName;
  root["version"] = kCatalogSchemaVersion;
  root["generated_at"] = document.generated_at;
  root["source"] = document.source;
  ordered_json models = ordered_json::array();
  for (const ModelInfo& model : document.catalog.models) models.push_back(model_json(model));
  root["models"] = std::move(models);
  ordered_json profiles = ordered_json::array();
  for (const InferenceProfileInfo& profile : document.catalog.profiles) {
    profiles.push_back(profile_json(profile));
  }
  root["profiles"] = std::move(profiles);
  // Invalid UTF-8 in a string becomes U+FFFD, so this never throws.
  return root.dump(1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

Result<CatalogDocument> catalog_from_json(std::string_view text) {
  try {
    return read_document(text);
  } catch (const wire::WireError& error) {
    return Error{ErrorCode::InvalidArgument,
                 std::string("catalog document: ") + error.what(),
                 0,
                 "",
                 "",
                 "",
                 "",
                 0};
  } catch (const std::exception& error) {
    return Error{ErrorCode::InvalidArgument,
                 std::string("catalog document: unreadable: ") + error.what(),
                 0,
                 "",
                 "",
                 "",
                 "",
                 0};
  } catch (...) {
    return Error{ErrorCode::InvalidArgument, "catalog document: unreadable", 0, "", "", "", "", 0};
  }
}

}  // namespace llmm::catalog
