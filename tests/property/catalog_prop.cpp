// Properties of the catalog: name resolution over the bundled data and over generated catalogs
// (every alias resolves back to its model; an alias two models share is an ambiguity error;
// case and separators never matter), and catalog_from_json on arbitrary bytes (never a crash).
#include "catalog/bundled_catalog.hpp"
#include "catalog/catalog_json.hpp"
#include "catalog/name_resolver.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace llmm::catalog {
namespace {

const Catalog& bundled() { return bundled_catalog().catalog; }

// Every name a model answers to: its name, its id and the aliases the resolver lists for it.
std::vector<std::string> names_of(const NameResolver& resolver, const ModelInfo& model) {
  std::vector<std::string> names = resolver.aliases_of(model);
  names.push_back(model.model_name);
  names.push_back(model.model_id);
  return names;
}

TEST(CatalogProperty, EveryAliasOfEveryBundledModelResolvesBackToIt) {
  const NameResolver resolver(bundled());
  std::size_t checked = 0;
  for (const ModelInfo& model : bundled().models) {
    const auto names = names_of(resolver, model);
    for (const std::string& name : names) {
      EXPECT_EQ(resolver.resolve(name).model.info, &model) << name;
      ++checked;
    }
  }
  EXPECT_GT(checked, bundled().models.size() * 4) << "most models have several aliases";
}

// Random case and separators: "Claude 3.5 Sonnet" -> "cLAUDE_3-5..sONNET".
std::string scramble(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool separator = c == ' ' || c == '-' || c == '_' || c == '.';  // '+' is meaningful
    if (separator) {
      const int count = *rc::gen::inRange(0, 3);
      for (int i = 0; i < count; ++i) out += *rc::gen::element(' ', '-', '_', '.');
      continue;
    }
    if (*rc::gen::inRange(0, 5) == 0 && std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += *rc::gen::element(' ', '-', '_');
    }
    out += *rc::gen::arbitrary<bool>()
               ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
               : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

RC_GTEST_PROP(CatalogProperty, ResolutionIgnoresCaseAndSeparators, ()) {
  static const NameResolver resolver(bundled());
  const ModelInfo& model = *rc::gen::elementOf(bundled().models);
  const std::vector<std::string> aliases = resolver.aliases_of(model);
  std::vector<std::string> names = aliases;
  names.push_back(model.model_name);
  const std::string name = *rc::gen::elementOf(names);
  const std::string scrambled = scramble(name);
  RC_PRE(!scrambled.starts_with("arn:"));
  RC_TAG(scrambled);
  RC_ASSERT(resolver.resolve(scrambled).model.model_id == model.model_id);
}

RC_GTEST_PROP(CatalogProperty, UnknownWordsFailTheSameWayInAnyCase, ()) {
  static const NameResolver resolver(bundled());
  const std::string word = *rc::gen::container<std::string>(
      rc::gen::element('q', 'x', 'z', 'j', 'k', 'w', 'v', '9', '7', ' '));
  RC_PRE(normalized_name(word).size() >= 3);
  auto outcome = [&](const std::string& text) -> std::string {
    try {
      return resolver.resolve(text).model.model_id;
    } catch (const ConfigurationError&) {
      return "<error>";
    }
  };
  RC_ASSERT(outcome(word) == outcome(scramble(word)));
}

// Generated catalogs whose names collide often: a name shared by two models, or an alias one
// model generates that is another model's name, must never resolve silently to the wrong one.
RC_GTEST_PROP(CatalogProperty, ASharedAliasIsAnAmbiguityErrorNeverAnotherModel, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(1, 7);
  Catalog catalog;
  for (std::size_t i = 0; i < count; ++i) {
    ModelInfo model;
    const std::string family = *rc::gen::element<std::string>("rocket", "comet", "rocket-2");
    const std::string version = *rc::gen::element<std::string>("", "-20240101", "-20250505");
    const std::string suffix = *rc::gen::element<std::string>("-v1:0", "-v2:0", "");
    model.model_id = "acme." + family + version + suffix + "-" + std::to_string(i);
    model.model_name = *rc::gen::element<std::string>("Rocket", "rocket 2", "Comet", "Rocket 2",
                                                      "Comet Instruct", "Acme Rocket");
    model.provider_name = *rc::gen::element<std::string>("Acme", "ACME Labs");
    model.on_demand_regions = {"us-east-1"};
    catalog.models.push_back(std::move(model));
  }
  const NameResolver resolver(catalog);
  const auto owners = resolver.key_owner_counts();
  for (const ModelInfo& model : catalog.models) {
    std::vector<std::string> names = generated_aliases(model);
    names.push_back(model.model_name);
    for (const std::string& name : names) {
      const std::size_t sharing = owners.at(normalized_name(name));
      try {
        const Resolution resolution = resolver.resolve(name);
        RC_ASSERT(sharing == 1U);
        if (resolution.model.info != &model) {
          // Only another model's own name or id outranks this model's alias.
          const ModelInfo& other = *resolution.model.info;
          RC_ASSERT(normalized_name(other.model_name) == normalized_name(name) ||
                    normalized_name(other.model_id) == normalized_name(name));
          RC_ASSERT(normalized_name(model.model_name) != normalized_name(name));
        }
      } catch (const ConfigurationError& error) {
        const std::string text = error.what();
        RC_ASSERT(sharing >= 2U);
        RC_ASSERT(text.find("ambiguous") != std::string::npos);
        RC_ASSERT(text.find(" and ") != std::string::npos);
      }
    }
  }
}

RC_GTEST_PROP(CatalogProperty, CatalogFromJsonNeverCrashesOnArbitraryBytes, ()) {
  const std::string bytes = *rc::gen::container<std::string>(rc::gen::arbitrary<char>());
  const Result<CatalogDocument> parsed = catalog_from_json(bytes);
  RC_ASSERT(!parsed.has_value());
  RC_ASSERT(!parsed.error().message.empty());
}

RC_GTEST_PROP(CatalogProperty, CatalogFromJsonNeverCrashesOnDamagedDocuments, ()) {
  static const std::string valid = catalog_to_json(CatalogDocument{bundled(), "t", "s"});
  std::string text = valid;
  const int edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const auto at = *rc::gen::inRange<std::size_t>(0, text.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0: text.resize(at); break;                         // truncated
      case 1: text[at] = *rc::gen::arbitrary<char>(); break;  // a byte flipped
      case 2:
        text.insert(at, *rc::gen::element<std::string>("[", "{", "\"", "1e999", "null", ","));
        break;
      default: text.erase(at, *rc::gen::inRange<std::size_t>(1, 40)); break;
    }
  }
  const Result<CatalogDocument> parsed = catalog_from_json(text);
  if (parsed.has_value()) {
    // Whatever was accepted is a whole document of our schema: it round-trips.
    const Result<CatalogDocument> again = catalog_from_json(catalog_to_json(*parsed));
    RC_ASSERT(again.has_value());
    RC_ASSERT(again->catalog.models.size() == parsed->catalog.models.size());
  } else {
    RC_ASSERT(parsed.error().message.starts_with("catalog document: "));
  }
}

}  // namespace
}  // namespace llmm::catalog
