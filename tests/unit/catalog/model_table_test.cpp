// Names resolve exactly or not at all (reference §13 item 9, fixed).
#include "catalog/bundled_catalog.hpp"
#include "catalog/name_resolver.hpp"

#include <llmm/exceptions.hpp>

#include <gtest/gtest.h>

namespace llmm::catalog {
namespace {

const Catalog& table() { return bundled_catalog().catalog; }

TEST(ModelTableTest, NamesIdsAndNormalizedFormsResolveToTheSameModel) {
  for (const char* name : {"Claude 3 Haiku", "claude-3-haiku", "CLAUDE_3_HAIKU",
                           "Anthropic Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0"}) {
    const ResolvedModel model = resolve_model(table(), name);
    EXPECT_EQ(model.model_id, "anthropic.claude-3-haiku-20240307-v1:0") << name;
    EXPECT_NE(model.info, nullptr) << name;
    EXPECT_EQ(model.name, name);
  }
  EXPECT_EQ(resolve_model(table(), "claude-3-5-haiku").model_id,
            "anthropic.claude-3-5-haiku-20241022-v1:0")
      << "3.5 is not 3";
}

TEST(ModelTableTest, EveryModelResolvesFromItsOwnNameAndId) {
  for (const ModelInfo& model : table().models) {
    EXPECT_EQ(resolve_model(table(), model.model_name).model_id, model.model_id);
    EXPECT_EQ(resolve_model(table(), model.model_id).info, &model);
  }
}

TEST(ModelTableTest, AProfileIdPinsThatProfile) {
  const ResolvedModel model = resolve_model(table(), "eu.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_EQ(model.model_id, "anthropic.claude-3-haiku-20240307-v1:0");
  ASSERT_NE(model.pinned, nullptr);
  const auto in_eu = access_in(table(), model, "eu-west-1");
  ASSERT_TRUE(in_eu.has_value());
  EXPECT_FALSE(in_eu->direct_id.has_value());
  EXPECT_EQ(in_eu->regional_profile_id, "eu.anthropic.claude-3-haiku-20240307-v1:0");
  EXPECT_FALSE(access_in(table(), model, "us-east-1").has_value())
      << "an EU profile is not callable in the US";
}

TEST(ModelTableTest, UnknownIdsAndArnsPassThroughAsDirectIds) {
  for (const char* id :
       {"cohere.command-unreleased-v1:0", "arn:aws:bedrock:us-east-1::foundation-model/x"}) {
    const ResolvedModel model = resolve_model(table(), id);
    EXPECT_EQ(model.info, nullptr);
    const auto access = access_in(table(), model, "us-east-1");
    ASSERT_TRUE(access.has_value());
    EXPECT_EQ(access->direct_id, id);
  }
}

TEST(ModelTableTest, AnUnknownNameIsAnErrorWithSuggestionsNeverAnotherModel) {
  try {
    (void)resolve_model(table(), "Claude 3 Hiku");
    FAIL();
  } catch (const ConfigurationError& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("unknown model 'Claude 3 Hiku'"), std::string::npos) << text;
    EXPECT_NE(text.find("'Claude 3 Haiku'"), std::string::npos) << text;
  }
  try {
    (void)resolve_model(table(), "Totally Unrelated Thing");
    FAIL();
  } catch (const ConfigurationError& error) {
    const std::string text = error.what();
    EXPECT_EQ(text.find("did you mean"), std::string::npos) << text;
    EXPECT_NE(text.find("known models include '" + table().models.front().model_name + "'"),
              std::string::npos)
        << text;
  }
}

TEST(ModelTableTest, AccessListsEveryRouteInTheRegion) {
  const ResolvedModel sonnet = resolve_model(table(), "Claude Sonnet 4");
  const auto access = access_in(table(), sonnet, "us-east-1");
  ASSERT_TRUE(access.has_value());
  EXPECT_FALSE(access->direct_id.has_value()) << "profile-only everywhere";
  EXPECT_EQ(access->regional_profile_id, "us.anthropic.claude-sonnet-4-20250514-v1:0");
  EXPECT_EQ(access->global_profile_id, "global.anthropic.claude-sonnet-4-20250514-v1:0");
  EXPECT_FALSE(
      access_in(table(), resolve_model(table(), "Claude 3.5 Haiku"), "eu-west-1").has_value());
}

TEST(ModelTableTest, NormalizedNamesKeepOnlyLettersAndDigits) {
  EXPECT_EQ(normalized_name("Claude 3.5 Sonnet"), "claude35sonnet");
  EXPECT_EQ(normalized_name("  A-b_C  "), "abc");
}

}  // namespace
}  // namespace llmm::catalog
