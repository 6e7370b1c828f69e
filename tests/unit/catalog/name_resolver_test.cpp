// Name resolution over any catalog (reference §6.5 and §12.1 item 15, with our semantics: a
// name resolves to exactly one model or fails with suggestions; never silently another model).
#include "catalog/name_resolver.hpp"
#include "catalog/bundled_catalog.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

#include <string>

namespace llmm::catalog {
namespace {

const Catalog& bundled() { return bundled_catalog().catalog; }

std::string failure_of(const Catalog& catalog, std::string_view name) {
  try {
    const Resolution resolution = explain_resolution(catalog, name);
    ADD_FAILURE() << name << " resolved to " << resolution.model.model_id;
  } catch (const ConfigurationError& error) {
    return error.what();
  }
  return "";
}

MatchKind kind_of(std::string_view name) {
  return explain_resolution(bundled(), name).explanation.kind;
}
std::string id_of(std::string_view name) { return resolve_model(bundled(), name).model_id; }

TEST(NameResolverTest, ReferenceScenario15WithOurSemantics) {
  constexpr std::string_view haiku = "anthropic.claude-3-haiku-20240307-v1:0";
  EXPECT_EQ(id_of("Claude 3 Haiku"), haiku);
  EXPECT_EQ(kind_of("Claude 3 Haiku"), MatchKind::Exact);
  EXPECT_EQ(id_of("claude-3-haiku"), haiku);
  EXPECT_EQ(kind_of("claude-3-haiku"), MatchKind::Normalized);
  const std::string typo = failure_of(bundled(), "Claude 3 Hiku");
  EXPECT_NE(typo.find("unknown model 'Claude 3 Hiku'; did you mean 'Claude 3 Haiku'"),
            std::string::npos)
      << typo;
  EXPECT_EQ(normalized_name("Claude 3.5 Sonnet"), "claude35sonnet");
}

TEST(NameResolverTest, GeneratedAliasesVersionsDatesAndWordOrder) {
  EXPECT_EQ(id_of("Claude 3 Haiku 20240307"), "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(kind_of("Claude 3 Haiku 20240307"), MatchKind::Alias);
  EXPECT_EQ(id_of("claude-3-haiku-20240307-v1"), "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(id_of("Anthropic Claude 3 Haiku"), "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(id_of("Claude Haiku 3"), "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(id_of("Claude 4.5 Sonnet"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(id_of("Claude Sonnet 4 5 20250929"), "anthropic.claude-sonnet-4-5-20250929-v1:0")
      << "the reference system's own key";
  EXPECT_EQ(id_of("Claude 3.5 Sonnet"), "anthropic.claude-3-5-sonnet-20240620-v1:0");
  EXPECT_EQ(id_of("Claude 3.5 Sonnet v2"), "anthropic.claude-3-5-sonnet-20241022-v2:0");
  EXPECT_EQ(id_of("claude-3-5-sonnet-20241022"), "anthropic.claude-3-5-sonnet-20241022-v2:0");
  EXPECT_EQ(id_of("Claude Sonnet 4"), "anthropic.claude-sonnet-4-20250514-v1:0")
      << "not Claude Sonnet 4.6 (the reference's fuzzy match did that)";
  EXPECT_EQ(id_of("Nova Pro"), "amazon.nova-pro-v1:0");
  EXPECT_EQ(id_of("Amazon Nova Pro"), "amazon.nova-pro-v1:0");
  EXPECT_EQ(id_of("Nova Premier"), "amazon.nova-premier-v1:0");
  EXPECT_EQ(id_of("nova-premier-8k"), "amazon.nova-premier-v1:0:8k");
  EXPECT_EQ(id_of("Llama 3.1 8B"), "meta.llama3-1-8b-instruct-v1:0");
  EXPECT_EQ(id_of("LLAMA_3_1_8B_INSTRUCT"), "meta.llama3-1-8b-instruct-v1:0");
  EXPECT_EQ(id_of("Claude3Haiku"), "anthropic.claude-3-haiku-20240307-v1:0");
}

TEST(NameResolverTest, IdsProfilesAndArns) {
  EXPECT_EQ(kind_of("anthropic.claude-3-haiku-20240307-v1:0"), MatchKind::Id);
  EXPECT_EQ(kind_of("ANTHROPIC.CLAUDE-3-HAIKU-20240307-V1:0"), MatchKind::Id);

  for (const char* profile : {"us.anthropic.claude-3-haiku-20240307-v1:0",
                              "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                              "jp.anthropic.claude-sonnet-4-5-20250929-v1:0",
                              "au.anthropic.claude-sonnet-4-6", "ca.amazon.nova-lite-v1:0"}) {
    const Resolution resolution = explain_resolution(bundled(), profile);
    EXPECT_EQ(resolution.explanation.kind, MatchKind::Profile) << profile;
    ASSERT_NE(resolution.model.pinned, nullptr) << profile;
    EXPECT_EQ(resolution.model.pinned->profile_id, profile);
    EXPECT_NE(resolution.model.info, nullptr);
  }

  const Resolution model_arn = explain_resolution(
      bundled(), "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0");
  EXPECT_EQ(model_arn.explanation.kind, MatchKind::Arn);
  EXPECT_EQ(model_arn.model.model_id, "amazon.nova-pro-v1:0");
  EXPECT_NE(model_arn.model.info, nullptr);

  const Resolution profile_arn = explain_resolution(
      bundled(),
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0");
  ASSERT_NE(profile_arn.model.pinned, nullptr);
  EXPECT_EQ(profile_arn.model.pinned->profile_id, "eu.amazon.nova-pro-v1:0");

  const std::string app =
      "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
  const Resolution application = explain_resolution(bundled(), app);
  EXPECT_EQ(application.explanation.kind, MatchKind::Arn);
  EXPECT_EQ(application.model.model_id, app);
  EXPECT_EQ(application.model.info, nullptr);
  const auto access = access_in(bundled(), application.model, "us-east-1");
  ASSERT_TRUE(access.has_value());
  EXPECT_EQ(access->direct_id, app) << "passed through as a raw direct id";

  EXPECT_NE(failure_of(bundled(), "arn:aws:s3:::bucket").find("not a Bedrock ARN"),
            std::string::npos);
}

TEST(NameResolverTest, UnknownIdsPassThroughButTyposDoNot) {
  const Resolution raw = explain_resolution(bundled(), "anthropic.claude-9-x-v1:0");
  EXPECT_EQ(raw.explanation.kind, MatchKind::RawId);
  EXPECT_EQ(raw.model.info, nullptr);
  EXPECT_EQ(explain_resolution(bundled(), "us-gov.anthropic.claude-3-haiku-20240307-v1:0")
                .explanation.kind,
            MatchKind::RawId)
      << "a geography the catalog has no profile for: sent as given";
  const std::string typo = failure_of(bundled(), "claude-3.5-sonet");
  EXPECT_NE(typo.find("did you mean 'Claude 3.5 Sonnet'"), std::string::npos) << typo;
}

TEST(NameResolverTest, LegacyNamesResolveOnlyToTheirOwnModel) {
  EXPECT_EQ(kind_of("Mistral Large 2"), MatchKind::Legacy);
  EXPECT_EQ(id_of("Mistral Large 2"), "mistral.mistral-large-2407-v1:0");
  const std::string opus = failure_of(bundled(), "Claude 3 Opus");
  EXPECT_NE(opus.find("anthropic.claude-3-opus-20240229-v1:0"), std::string::npos) << opus;
  EXPECT_NE(opus.find("does not offer"), std::string::npos) << opus;
  EXPECT_EQ(failure_of(bundled(), "Titan Text G1 - Lite").find("did you mean 'Claude"),
            std::string::npos);
}

TEST(NameResolverTest, TwoModelsMatchingEquallyIsAnErrorNamingBoth) {
  Catalog catalog;
  ModelInfo a;
  a.model_id = "acme.rocket-v1:0";
  a.model_name = "Rocket";
  a.provider_name = "Acme";
  a.on_demand_regions = {"us-east-1"};
  ModelInfo b = a;
  b.model_id = "acme.rocket-20250101-v1:0";
  b.model_name = "ROCKET";  // the same name but for case: equal after normalization
  catalog.models = {a, b};
  const std::string text = failure_of(catalog, "rocket");
  EXPECT_NE(text.find("ambiguous"), std::string::npos) << text;
  EXPECT_NE(text.find("acme.rocket-v1:0"), std::string::npos) << text;
  EXPECT_NE(text.find("acme.rocket-20250101-v1:0"), std::string::npos) << text;
  // The ids stay unambiguous.
  EXPECT_EQ(resolve_model(catalog, "acme.rocket-v1:0").model_id, "acme.rocket-v1:0");
}

TEST(NameResolverTest, AModelsOwnNameOutranksAnotherModelsAlias) {
  // "Claude 3 5 Sonnet" is also the reference-style name of the v2 model without its date; the
  // v1 model's own name wins, and the v2 model does not list it among its aliases.
  const NameResolver resolver(bundled());
  const ModelInfo* v2 = bundled().find_model("anthropic.claude-3-5-sonnet-20241022-v2:0");
  ASSERT_NE(v2, nullptr);
  for (const std::string& alias : resolver.aliases_of(*v2)) {
    EXPECT_EQ(resolver.resolve(alias).model.info, v2) << alias;
  }
  EXPECT_EQ(resolver.resolve("claude 3 5 sonnet").model.model_id,
            "anthropic.claude-3-5-sonnet-20240620-v1:0");
}

TEST(NameResolverTest, SuggestionsAreAtMostFiveAndBestFirst) {
  const NameResolver resolver(bundled());
  const auto near = resolver.suggestions("Claude Opus");
  ASSERT_FALSE(near.empty());
  EXPECT_LE(near.size(), 5U);
  for (const std::string& name : near) EXPECT_NE(name.find("Opus"), std::string::npos) << name;
  EXPECT_TRUE(resolver.suggestions("zzzzzzzzzzzzzzzzzzzzzzzzzz").empty());
  EXPECT_NE(failure_of(bundled(), "   ").find("empty"), std::string::npos);
}

TEST(NameResolverTest, ASmallCatalogResolvesOnlyWhatItHolds) {
  // Two models taken from the bundled data: names and aliases work over any catalog, and a model
  // the catalog does not hold is never found elsewhere.
  Catalog small;
  small.models = {*bundled().find_model("anthropic.claude-3-haiku-20240307-v1:0"),
                  *bundled().find_model("amazon.titan-embed-text-v1")};
  EXPECT_EQ(resolve_model(small, "Claude 3 Haiku").model_id,
            "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(resolve_model(small, "Claude 3 Haiku 20240307").model_id,
            "anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(resolve_model(small, "Titan Embeddings G1 - Text").model_id,
            "amazon.titan-embed-text-v1");
  EXPECT_NE(failure_of(small, "Nova Pro").find("unknown model 'Nova Pro'"), std::string::npos);
}

}  // namespace
}  // namespace llmm::catalog
