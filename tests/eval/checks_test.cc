#include "pactum/eval/checks.h"

#include <gtest/gtest.h>

#include "pactum/eval/schema.h"

namespace pactum::eval {
namespace {

bool Passes(const Json& spec, const Json& output, const Json& expected = Json(),
            std::optional<double> latency_ms = std::nullopt,
            std::optional<double> cost = std::nullopt) {
  auto check = ParseCheck("c", spec);
  EXPECT_TRUE(check.ok()) << check.status().ToString();
  if (!check.ok()) return false;
  return RunCheck(*check, {output, expected, latency_ms, cost});
}

TEST(Checks, EqualsAgainstExpectedOrValue) {
  const Json out = {{"classification", "TP"}};
  EXPECT_TRUE(Passes({{"type", "equals"}, {"actual", "/classification"}, {"expected", "/label"}},
                     out, {{"label", "TP"}}));
  EXPECT_FALSE(Passes({{"type", "equals"}, {"actual", "/classification"}, {"expected", "/label"}},
                      out, {{"label", "FP"}}));
  EXPECT_TRUE(Passes({{"type", "equals"}, {"actual", "/classification"}, {"value", "TP"}}, out));
  // A pointer that finds nothing fails the check.
  EXPECT_FALSE(Passes({{"type", "equals"}, {"actual", "/missing"}, {"value", "TP"}}, out));
  EXPECT_FALSE(Passes({{"type", "equals"}, {"actual", "/classification"}, {"expected", "/label"}},
                      out, Json()));
}

TEST(Checks, OneOfRegexCompare) {
  const Json out = {{"priority", "High"}, {"confidence", 0.8}, {"why", "Encoded PowerShell"}};
  EXPECT_TRUE(
      Passes({{"type", "one_of"}, {"actual", "/priority"}, {"values", {"High", "Critical"}}}, out));
  EXPECT_FALSE(Passes({{"type", "one_of"}, {"actual", "/priority"}, {"values", {"Low"}}}, out));
  EXPECT_TRUE(
      Passes({{"type", "regex"}, {"actual", "/why"}, {"pattern", "[Pp]ower[Ss]hell"}}, out));
  EXPECT_FALSE(Passes({{"type", "regex"}, {"actual", "/confidence"}, {"pattern", "0"}}, out));
  EXPECT_TRUE(
      Passes({{"type", "compare"}, {"actual", "/confidence"}, {"op", "gte"}, {"value", 0.8}}, out));
  EXPECT_FALSE(
      Passes({{"type", "compare"}, {"actual", "/confidence"}, {"op", "lt"}, {"value", 0.8}}, out));
  EXPECT_TRUE(
      Passes({{"type", "compare"}, {"actual", "/confidence"}, {"op", "gt"}, {"expected", "/floor"}},
             out, {{"floor", 0.5}}));
}

TEST(Checks, LatencyAndCostBudgets) {
  const Json out = Json::object();
  EXPECT_TRUE(Passes({{"type", "latency"}, {"max_ms", 100}}, out, Json(), 99));
  EXPECT_FALSE(Passes({{"type", "latency"}, {"max_ms", 100}}, out, Json(), 101));
  EXPECT_FALSE(Passes({{"type", "latency"}, {"max_ms", 100}}, out));  // unknown latency fails
  EXPECT_TRUE(Passes({{"type", "cost"}, {"max_usd", 0.01}}, out, Json(), 0, 0.005));
  EXPECT_FALSE(Passes({{"type", "cost"}, {"max_usd", 0.01}}, out, Json(), 0, 0.02));
  EXPECT_FALSE(Passes({{"type", "cost"}, {"max_usd", 0.01}}, out));  // unknown cost fails
}

TEST(Checks, RejectsBadDefinitions) {
  for (const Json& bad : {
           Json{{"type", "equal"}, {"actual", "/x"}, {"value", 1}},
           Json{{"type", "equals"}, {"value", 1}},
           Json{{"type", "equals"}, {"actual", "x"}, {"value", 1}},
           Json{{"type", "equals"}, {"actual", "/x"}},
           Json{{"type", "equals"}, {"actual", "/x"}, {"value", 1}, {"expected", "/y"}},
           Json{{"type", "regex"}, {"actual", "/x"}, {"pattern", "("}},
           Json{{"type", "compare"}, {"actual", "/x"}, {"op", "ge"}, {"value", 1}},
           Json{{"type", "latency"}, {"max_ms", -1}},
           Json{{"type", "latency"}, {"max_ms", 1}, {"actual", "/x"}},
           Json{{"type", "schema"}, {"schema", {{"type", "object"}, {"minProperties", 1}}}},
       }) {
    EXPECT_FALSE(ParseCheck("c", bad).ok()) << bad.dump();
  }
  EXPECT_FALSE(ParseCheck("Bad-Name", {{"type", "latency"}, {"max_ms", 1}}).ok());
  auto typo = ParseCheck("label", {{"type", "regex"}, {"actual", "/x"}, {"pattern", "("}});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("checks.label: pattern"), std::string::npos);
}

TEST(Schema, SupportedSubset) {
  const Json schema = {
      {"type", "object"},
      {"required", {"classification", "priority"}},
      {"additionalProperties", false},
      {"properties",
       {{"classification", {{"enum", {"TP", "FP"}}}},
        {"priority", {{"type", "string"}, {"pattern", "^(Low|Medium|High|Critical)$"}}},
        {"confidence", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"steps",
         {{"type", "array"},
          {"minItems", 1},
          {"items", {{"type", "string"}, {"minLength", 2}}}}}}}};
  ASSERT_TRUE(ValidateSchemaDefinition(schema).ok());
  std::string why;
  EXPECT_TRUE(SchemaAccepts(schema, {{"classification", "TP"}, {"priority", "Low"}}, &why)) << why;
  EXPECT_FALSE(SchemaAccepts(schema, {{"classification", "TP"}}, &why));
  EXPECT_NE(why.find("priority"), std::string::npos);
  EXPECT_FALSE(SchemaAccepts(schema, {{"classification", "XX"}, {"priority", "Low"}}));
  EXPECT_FALSE(SchemaAccepts(schema, {{"classification", "TP"}, {"priority", "low"}}));
  EXPECT_FALSE(
      SchemaAccepts(schema, {{"classification", "TP"}, {"priority", "Low"}, {"extra", 1}}));
  EXPECT_FALSE(
      SchemaAccepts(schema, {{"classification", "TP"}, {"priority", "Low"}, {"confidence", 2}}));
  EXPECT_FALSE(SchemaAccepts(
      schema, {{"classification", "TP"}, {"priority", "Low"}, {"steps", Json::array()}}));
  EXPECT_FALSE(SchemaAccepts(
      schema, {{"classification", "TP"}, {"priority", "Low"}, {"steps", {"x"}}}, &why));
  EXPECT_EQ(why, "/steps/0: is too short");
  EXPECT_TRUE(SchemaAccepts({{"type", "integer"}}, 3));
  EXPECT_FALSE(SchemaAccepts({{"type", "integer"}}, 3.5));
  EXPECT_FALSE(ValidateSchemaDefinition({{"properties", {{"x", {{"minLenght", 1}}}}}}).ok());
  EXPECT_FALSE(ValidateSchemaDefinition({{"type", "text"}}).ok());
}

}  // namespace
}  // namespace pactum::eval
