#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pactum/pact/loader.h"
#include "pactum/pact/pact.h"

#include "pact_testing.h"

namespace pactum::pact {
namespace {

using ::testing::HasSubstr;
using testing::LoadFixture;
using testing::TestData;

TEST(JsonFormTest, CanonicalFormHasEveryField) {
  Json j = ToJson(LoadFixture(TestData() / "minimal.yaml"));
  EXPECT_EQ(j["pact"], "minimal");
  EXPECT_EQ(j["mode"], "enforce");
  EXPECT_EQ(j["conditions"], Json::array());
  EXPECT_TRUE(j["boundaries"].is_null());
  EXPECT_EQ(j["autonomy"], Json::parse(R"({"unrated": "approval", "bronze": "approval",
      "silver": "supervised", "gold": "autonomous", "platinum": "autonomous"})"));
  EXPECT_EQ(j["consequences"], Json::parse(R"({"info": "none", "minor": "warn",
      "major": "narrow", "critical": "suspend"})"));
  EXPECT_EQ(j["review_sla"], 900);
  EXPECT_EQ(j["supervised_sample_rate"], 0.1);
  EXPECT_EQ(j["escalate_below_confidence"], 0);

  Json full = ToJson(LoadFixture(TestData() / "alert-triage.yaml"));
  EXPECT_EQ(full["conditions"][0], Json::parse(R"({"id": "tp-recall",
      "metric": "classification.tpr", "op": "gte", "threshold": 0.95, "window": 604800,
      "min_samples": 30, "severity": "critical", "verification": "deterministic",
      "dimension": "accuracy"})"));
  EXPECT_EQ(full["conditions"][1]["rubric"], "rubrics/rationale.md");
  EXPECT_EQ(full["conditions"][1]["judges"], 5);
  EXPECT_EQ(full["conditions"][3]["threshold"], Json::parse(R"(["isolate_host",
      "disable_account"])"));
  EXPECT_EQ(full["boundaries"]["policies"]["file"], "alert-triage.cedar");
  EXPECT_EQ(full["boundaries"]["policies"]["text"],
            testing::ReadText(TestData() / "alert-triage.cedar"));
  EXPECT_EQ(full["boundaries"]["schema"]["file"], "soc.cedarschema");
}

TEST(JsonFormTest, RoundTrips) {
  for (const char* file : {"alert-triage.yaml", "minimal.yaml"}) {
    Pact p = LoadFixture(TestData() / file);
    Json j = ToJson(p);
    Result<Pact> back = FromJson(j);
    ASSERT_TRUE(back.ok()) << file << ": " << back.status().message();
    EXPECT_EQ(ToJson(*back), j) << file;
    EXPECT_EQ(Hash(*back), Hash(p)) << file;
    // And through text, as it travels.
    Result<Pact> reparsed = FromJson(Json::parse(j.dump()));
    ASSERT_TRUE(reparsed.ok()) << reparsed.status().message();
    EXPECT_EQ(ToJson(*reparsed), j);
  }
}

TEST(JsonFormTest, FromJsonNamesTheField) {
  Json j = ToJson(LoadFixture(TestData() / "alert-triage.yaml"));
  j["conditions"][1].erase("threshold");
  j["autonomy"]["gold"] = "always";
  j["boundaries"]["policies"]["text"] = "permit (principal, action resource);";
  j["extra"] = 1;
  Result<Pact> p = FromJson(j);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  const std::string& m = p.status().message();
  EXPECT_THAT(m, HasSubstr("conditions[1].threshold: required for op gte"));
  EXPECT_THAT(m, HasSubstr("autonomy.gold: unknown value \"always\""));
  EXPECT_THAT(m, HasSubstr("boundaries.policies: \"alert-triage.cedar\", line 1, column"));
  EXPECT_THAT(m, HasSubstr("extra: unknown key \"extra\""));
  EXPECT_EQ(p.status().details()["problems"].size(), 4u);

  Json no_text = ToJson(LoadFixture(TestData() / "alert-triage.yaml"));
  no_text["boundaries"]["schema"] = "soc.cedarschema";
  p = FromJson(no_text);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(),
              HasSubstr("boundaries.schema: must be a map with file and text, not a string"));
  EXPECT_FALSE(FromJson(Json::array()).ok());
  EXPECT_FALSE(FromJson(Json("pact")).ok());
}

TEST(JsonFormTest, HashIsLowerHexSha256OfTheCanonicalJson) {
  Pact p = LoadFixture(TestData() / "minimal.yaml");
  std::string h = Hash(p);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Hash(p), h);
}

TEST(JsonFormTest, HashIgnoresKeyOrderWhitespaceAndSpelledOutDefaults) {
  const std::string base =
      "pact: p\nversion: 2\nworkflow: w\nagents: [a, b]\nowner: o\n"
      "conditions:\n  - {id: c, metric: classification.tpr, op: gte, "
      "threshold: 0.9, window: 1d}\n";
  Result<Pact> a = ParsePactYaml(base, "a.yaml", TestData());
  Result<Pact> b = ParsePactYaml(
      "# reordered, block style, comments\nowner:   o\nagents:\n  - a\n  - b\nconditions:\n"
      "  - threshold: 0.90\n    op: gte\n    window: 24h\n    metric: classification.tpr\n"
      "    id: c\n    severity: major   # the default, spelled out\n"
      "workflow: w\nversion: 2\npact: p\nmode: enforce\nreview_sla: 900\n"
      "autonomy: {gold: autonomous}\n",
      "b.yaml", TestData());
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(Hash(*a), Hash(*b));

  // Every semantic change changes the hash.
  std::vector<std::pair<std::string, std::string>> edits = {
      {"version: 2", "version: 3"},
      {"workflow: w", "workflow: x"},
      {"agents: [a, b]", "agents: [b, a]"},
      {"owner: o", "owner: p"},
      {"threshold: 0.9", "threshold: 0.91"},
      {"window: 1d", "window: 2d"},
      {"op: gte", "op: gt"},
  };
  for (const auto& [from, to] : edits) {
    std::string edited = base;
    edited.replace(edited.find(from), from.size(), to);
    Result<Pact> e = ParsePactYaml(edited, "e.yaml", TestData());
    ASSERT_TRUE(e.ok()) << e.status().message();
    EXPECT_NE(Hash(*e), Hash(*a)) << to;
  }
  for (const std::string extra :
       {"mode: shadow\n", "autonomy: {silver: approval}\n", "consequences: {info: warn}\n",
        "escalate_below_confidence: 0.5\n", "review_sla: 1h\n", "supervised_sample_rate: 0.2\n",
        "boundaries: {policies: alert-triage.cedar}\n"}) {
    Result<Pact> e = ParsePactYaml(base + extra, "e.yaml", TestData());
    ASSERT_TRUE(e.ok()) << e.status().message();
    EXPECT_NE(Hash(*e), Hash(*a)) << extra;
  }
}

TEST(JsonFormTest, HashCoversTheBoundaryText) {
  testing::ScratchCopy scratch;
  Pact before = LoadFixture(scratch.dir() / "alert-triage.yaml");
  std::string policies = testing::ReadText(scratch.dir() / "alert-triage.cedar");
  testing::WriteText(scratch.dir() / "alert-triage.cedar",
                     policies + "\nforbid (principal, action, resource) when { false };\n");
  Pact after = LoadFixture(scratch.dir() / "alert-triage.yaml");
  EXPECT_NE(Hash(before), Hash(after));
  testing::WriteText(scratch.dir() / "alert-triage.cedar", policies);
  EXPECT_EQ(Hash(LoadFixture(scratch.dir() / "alert-triage.yaml")), Hash(before));
}

}  // namespace
}  // namespace pactum::pact
