#include <llmm/exceptions.hpp>
#include <llmm/json_value.hpp>

#include "protocol/json_value_nlohmann.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace llmm {
namespace {

TEST(JsonValueTest, DefaultIsNullAndObjectIsEmptyObject) {
  EXPECT_EQ(JsonValue().text(), "null");
  EXPECT_TRUE(JsonValue().is_null());
  EXPECT_EQ(JsonValue::object().text(), "{}");
  EXPECT_TRUE(JsonValue::object().is_object());
  EXPECT_FALSE(JsonValue::object().is_array());
}

TEST(JsonValueTest, ParseGivesCanonicalCompactSortedText) {
  const auto value = JsonValue::parse(R"( { "b" : [1, 2.5, "x"], "a" : {"z":null,"y":true} } )");
  EXPECT_EQ(value.text(), R"({"a":{"y":true,"z":null},"b":[1,2.5,"x"]})");
  EXPECT_TRUE(value.is_object());
  EXPECT_TRUE(JsonValue::parse("[]").is_array());
  EXPECT_EQ(JsonValue::parse("\"caf\\u00e9\"").text(), "\"café\"");
  EXPECT_EQ(JsonValue::parse("-0").text(), "0");
}

TEST(JsonValueTest, EqualityComparesCanonicalText) {
  EXPECT_EQ(JsonValue::parse(R"({"a":1,"b":2})"), JsonValue::parse(R"({ "b":2, "a":1 })"));
  EXPECT_NE(JsonValue::parse(R"({"a":1})"), JsonValue::parse(R"({"a":2})"));
  EXPECT_NE(JsonValue::parse("1"), JsonValue::parse("1.0"));
  EXPECT_EQ(JsonValue::parse("null"), JsonValue());
}

TEST(JsonValueTest, InvalidJsonThrowsRequestValidationErrorSayingWhere) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,]", "nul", "\"\xff\"", "{} x", "'a'"}) {
    try {
      (void)JsonValue::parse(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const RequestValidationError& error) {
      EXPECT_NE(std::string(error.what()).find("invalid JSON"), std::string::npos) << text;
    }
  }
  try {
    (void)JsonValue::parse("[1,}");
  } catch (const RequestValidationError& error) {
    EXPECT_NE(std::string(error.what()).find("column 4"), std::string::npos) << error.what();
  }
}

TEST(JsonValueTest, DeepNestingIsRefused) {
  const std::string deep = std::string(600, '[') + std::string(600, ']');
  EXPECT_THROW((void)JsonValue::parse(deep), RequestValidationError);
  const std::string fine = std::string(500, '[') + std::string(500, ']');
  EXPECT_TRUE(JsonValue::parse(fine).is_array());
  // Brackets inside strings do not count.
  EXPECT_NO_THROW((void)JsonValue::parse("\"" + std::string(1000, '[') + "\\\"\""));
}

TEST(JsonValueTest, BridgesToNlohmann) {
  const auto value = JsonValue::parse(R"({"k":[1,{"m":"n"}]})");
  const auto json = protocol::to_json(value);
  EXPECT_EQ(json["k"][1]["m"], "n");
  EXPECT_EQ(protocol::json_value_from(json), value);
  EXPECT_EQ(protocol::to_ordered_json(value).dump(), value.text());
}

}  // namespace
}  // namespace llmm
