// Our catalog schema: a round trip keeps every field; anything that is not this schema and
// version is an error naming the JSON path, never a crash and never a partial catalog.
#include "catalog/catalog_json.hpp"
#include "catalog/bundled_catalog.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace llmm::catalog {
namespace {

bool same_model(const ModelInfo& a, const ModelInfo& b) {
  return a.model_id == b.model_id && a.model_name == b.model_name &&
         a.provider_name == b.provider_name && a.input_modalities == b.input_modalities &&
         a.output_modalities == b.output_modalities && a.streaming == b.streaming &&
         a.converse == b.converse && a.customizations == b.customizations &&
         a.lifecycle_status == b.lifecycle_status && a.start_of_life == b.start_of_life &&
         a.on_demand_regions == b.on_demand_regions &&
         a.profile_only_regions == b.profile_only_regions && a.tool_use == b.tool_use &&
         a.documents == b.documents && a.request_fields == b.request_fields &&
         a.beta_flags == b.beta_flags && a.prompt_caching == b.prompt_caching;
}

bool same_profile(const InferenceProfileInfo& a, const InferenceProfileInfo& b) {
  return a.profile_id == b.profile_id && a.name == b.name && a.model_id == b.model_id &&
         a.regions == b.regions && a.created_at == b.created_at;
}

std::string error_of(std::string_view text) {
  const Result<CatalogDocument> parsed = catalog_from_json(text);
  EXPECT_FALSE(parsed.has_value()) << text;
  if (parsed.has_value()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidArgument);
  return parsed.error().message;
}

// The bundled data plus one model that sets what the bundled data leaves at its defaults
// (customizations, a LEGACY status), so every field travels.
CatalogDocument every_field_document() {
  CatalogDocument document{bundled_catalog().catalog, "2026-01-02T03:04:05Z", "test"};
  ModelInfo legacy;
  legacy.model_id = "example.legacy-v1:0";
  legacy.model_name = "Legacy";
  legacy.provider_name = "Example";
  legacy.input_modalities = {"TEXT", "IMAGE"};
  legacy.output_modalities = {"TEXT"};
  legacy.streaming = false;
  legacy.customizations = {"FINE_TUNING", "DISTILLATION"};
  legacy.lifecycle_status = "LEGACY";
  legacy.start_of_life = "2024-01-01T00:00:00Z";
  legacy.on_demand_regions = {"us-east-1"};
  legacy.profile_only_regions = {"us-west-2"};
  legacy.tool_use = false;
  legacy.documents = false;
  legacy.request_fields = {"top_k"};
  legacy.beta_flags = {"some-beta-2025-01-01"};
  legacy.prompt_caching = {"system", "messages"};
  document.catalog.models.push_back(std::move(legacy));
  return document;
}

TEST(CatalogJsonTest, EveryFieldRoundTrips) {
  const CatalogDocument document = every_field_document();
  const std::string text = catalog_to_json(document);
  const Result<CatalogDocument> parsed = catalog_from_json(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->generated_at, document.generated_at);
  EXPECT_EQ(parsed->source, "test");
  ASSERT_EQ(parsed->catalog.models.size(), document.catalog.models.size());
  for (std::size_t i = 0; i < document.catalog.models.size(); ++i) {
    EXPECT_TRUE(same_model(parsed->catalog.models[i], document.catalog.models[i])) << i;
  }
  ASSERT_EQ(parsed->catalog.profiles.size(), document.catalog.profiles.size());
  for (std::size_t i = 0; i < document.catalog.profiles.size(); ++i) {
    EXPECT_TRUE(same_profile(parsed->catalog.profiles[i], document.catalog.profiles[i])) << i;
  }
  EXPECT_EQ(catalog_to_json(*parsed), text) << "the text is a fixed point";
}

TEST(CatalogJsonTest, OptionalFieldsTakeTheirDefaults) {
  const Result<CatalogDocument> parsed = catalog_from_json(
      R"({"schema":"llmm-catalog","version":2,"models":[{"model_id":"a.b","model_name":"B",)"
      R"("provider_name":"A"}],"profiles":[{"profile_id":"us.a.b","model_id":"a.b","regions":["us-east-1"]}]})");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const ModelInfo& model = parsed->catalog.models.at(0);
  EXPECT_TRUE(model.streaming);
  EXPECT_TRUE(model.converse);
  EXPECT_TRUE(model.tool_use);
  EXPECT_EQ(model.lifecycle_status, "ACTIVE");
  EXPECT_TRUE(model.on_demand_regions.empty());
  EXPECT_TRUE(model.prompt_caching.empty());
  EXPECT_EQ(parsed->catalog.profiles.at(0).regions, std::vector<std::string>{"us-east-1"});
}

TEST(CatalogJsonTest, AForeignSchemaOrVersionIsAnError) {
  EXPECT_NE(
      error_of(R"({"schema":"other","version":1,"models":[],"profiles":[]})").find("\"schema\""),
      std::string::npos);
  const std::string version =
      error_of(R"({"schema":"llmm-catalog","version":3,"models":[],"profiles":[]})");
  EXPECT_NE(version.find("\"version\" is 3"), std::string::npos) << version;
  // What an earlier build wrote (version 1: no prompt_caching) is refused, not read as "no
  // caching anywhere": the catalog cache then ignores the file and discovers again.
  const std::string earlier =
      error_of(R"({"schema":"llmm-catalog","version":1,"models":[],"profiles":[]})");
  EXPECT_NE(earlier.find("\"version\" is 1, this build reads only version 2"), std::string::npos)
      << earlier;
  EXPECT_NE(error_of(R"({"models":{},"metadata":{}})").find("\"schema\" is missing"),
            std::string::npos)
      << "the reference system's own file is foreign";
  EXPECT_NE(error_of(R"({"schema":"llmm-catalog","version":"1","models":[],"profiles":[]})")
                .find("\"version\""),
            std::string::npos);
}

TEST(CatalogJsonTest, ErrorsNameTheJsonPath) {
  const std::string head = R"({"schema":"llmm-catalog","version":2,)";
  std::string text =
      error_of(head + R"("models":[{"model_id":"a.b","model_name":"B","provider_name":"A",)" +
               R"("streaming":"yes"}],"profiles":[]})");
  EXPECT_NE(text.find("\"models[0].streaming\" is not a boolean"), std::string::npos) << text;
  text = error_of(head +
                  R"("models":[],"profiles":[{"profile_id":"x","model_id":"a.b","regions":[1]}]})");
  EXPECT_NE(text.find("\"profiles[0].regions[0]\" is not a string"), std::string::npos) << text;
  text = error_of(
      head +
      R"("models":[{"model_id":"a.b","model_name":"B","provider_name":"A","colour":1}],"profiles":[]})");
  EXPECT_NE(text.find("\"models[0].colour\""), std::string::npos) << text;
  text = error_of(head + R"("models":[{"model_id":"a.b","model_name":"B","provider_name":"A"},)" +
                  R"({"model_id":"a.b","model_name":"C","provider_name":"A"}],"profiles":[]})");
  EXPECT_NE(text.find("\"models[1].model_id\" repeats"), std::string::npos) << text;
  text = error_of(head + R"("profiles":[]})");
  EXPECT_NE(text.find("\"models\" is missing"), std::string::npos) << text;
}

TEST(CatalogJsonTest, PromptCachingNamesOnlyTheThreePartsInOrder) {
  const auto document = [](const std::string& parts) {
    return R"({"schema":"llmm-catalog","version":2,"models":[{"model_id":"a.b","model_name":"B",)"
           R"("provider_name":"A","prompt_caching":)" +
           parts + R"(}],"profiles":[]})";
  };
  const Result<CatalogDocument> parsed = catalog_from_json(document(R"(["tools","messages"])"));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->catalog.models.at(0).prompt_caching,
            (std::vector<std::string>{"tools", "messages"}));

  std::string text = error_of(document(R"(["system","cache"])"));
  EXPECT_NE(text.find("\"models[0].prompt_caching[1]\" is 'cache', not one of tools, system, "
                      "messages"),
            std::string::npos)
      << text;
  text = error_of(document(R"(["messages","system"])"));
  EXPECT_NE(text.find("\"models[0].prompt_caching[1]\" is 'system': repeated or out of the order"),
            std::string::npos)
      << text;
  text = error_of(document(R"(["system","system"])"));
  EXPECT_NE(text.find("\"models[0].prompt_caching[1]\""), std::string::npos) << text;
  text = error_of(document(R"(["Tools"])"));
  EXPECT_NE(text.find("\"models[0].prompt_caching[0]\" is 'Tools'"), std::string::npos) << text;
  text = error_of(document(R"([1])"));
  EXPECT_NE(text.find("\"models[0].prompt_caching[0]\" is not a string"), std::string::npos)
      << text;
  text = error_of(document(R"("system")"));
  EXPECT_NE(text.find("\"models[0].prompt_caching\""), std::string::npos) << text;
}

TEST(CatalogJsonTest, TruncatedGarbageAndDeepInputAreErrors) {
  const std::string text = catalog_to_json(CatalogDocument{bundled_catalog().catalog, "", "test"});
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, text.size() / 2, text.size() - 3}) {
    EXPECT_FALSE(catalog_from_json(text.substr(0, cut)).has_value()) << cut;
  }
  EXPECT_FALSE(catalog_from_json("\xff\xfe garbage").has_value());
  EXPECT_FALSE(catalog_from_json("[]").has_value());
  EXPECT_FALSE(catalog_from_json("null").has_value());
  EXPECT_NE(error_of(std::string(100000, '[')).find("nests deeper"), std::string::npos);
}

}  // namespace
}  // namespace llmm::catalog
