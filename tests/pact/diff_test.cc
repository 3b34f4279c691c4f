#include "pactum/pact/diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pact_testing.h"

namespace pactum::pact {
namespace {

using ::testing::HasSubstr;
using testing::LoadFixture;
using testing::TestData;

const PactChange* Find(const std::vector<PactChange>& changes, const std::string& path) {
  for (const PactChange& c : changes) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

TEST(DiffTest, SamePactHasNoChanges) {
  Pact p = LoadFixture(TestData() / "alert-triage.yaml");
  EXPECT_TRUE(Diff(p, p).empty());
  EXPECT_EQ(RenderDiff({}), "");
}

TEST(DiffTest, FieldsConditionsAndBoundaries) {
  testing::ScratchCopy scratch;
  Pact a = LoadFixture(scratch.dir() / "alert-triage.yaml");
  Pact b = a;
  b.version = 5;
  b.autonomy[Tier::kSilver] = Autonomy::kApproval;
  b.conditions[0].threshold = 0.9;
  std::swap(b.conditions[1], b.conditions[2]);  // order alone is no change
  b.conditions.erase(b.conditions.begin() + 3);
  Condition added = a.conditions[0];
  added.id = "fp-rate";
  added.metric = "classification.fpr";
  added.op = Op::kLte;
  b.conditions.push_back(added);
  b.boundaries->policies.text += "forbid (principal, action, resource);\n";
  b.boundaries->schema.reset();

  std::vector<PactChange> changes = Diff(a, b);
  std::vector<std::string> paths;
  for (const PactChange& c : changes)
    paths.push_back(std::string(NameOf(c.kind)) + " " + c.path);
  EXPECT_THAT(
      paths, ::testing::UnorderedElementsAre(
                 "changed version", "changed autonomy.silver",
                 "changed conditions[tp-recall].threshold", "removed conditions[no-host-isolation]",
                 "added conditions[fp-rate]", "changed boundaries.policies.text",
                 "removed boundaries.schema.file", "removed boundaries.schema.text"));

  const PactChange* threshold = Find(changes, "conditions[tp-recall].threshold");
  ASSERT_NE(threshold, nullptr);
  EXPECT_EQ(threshold->old_value, 0.95);
  EXPECT_EQ(threshold->new_value, 0.9);
  const PactChange* text = Find(changes, "boundaries.policies.text");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->summary, "12 -> 13 lines (+1 -0)");
  EXPECT_EQ(text->old_value, 12);
  const PactChange* schema = Find(changes, "boundaries.schema.text");
  ASSERT_NE(schema, nullptr);
  EXPECT_EQ(schema->summary, "17 -> 0 lines (+0 -17)");

  std::string rendered = RenderDiff(changes);
  EXPECT_THAT(rendered, HasSubstr("~ version: 4 -> 5\n"));
  EXPECT_THAT(rendered, HasSubstr("~ autonomy.silver: \"supervised\" -> \"approval\"\n"));
  EXPECT_THAT(rendered, HasSubstr("~ boundaries.policies.text: 12 -> 13 lines (+1 -0)\n"));
  EXPECT_THAT(rendered, HasSubstr("- conditions[no-host-isolation]: {"));
  EXPECT_THAT(rendered, HasSubstr("+ conditions[fp-rate]: {"));
  // Policy text is summarised, never printed.
  EXPECT_THAT(rendered, ::testing::Not(HasSubstr("permit")));

  Json j = DiffToJson(changes);
  ASSERT_EQ(j.size(), changes.size());
  for (const Json& c : j) {
    if (c["path"] == "version") {
      EXPECT_EQ(c, Json::parse(R"({"path": "version", "kind": "changed", "old": 4, "new": 5})"));
    }
  }
}

TEST(DiffTest, AddedBoundariesAreSummarised) {
  Pact a = LoadFixture(TestData() / "alert-triage.yaml");
  Pact b = a;
  a.boundaries.reset();
  std::vector<PactChange> changes = Diff(a, b);
  std::string rendered = RenderDiff(changes);
  EXPECT_THAT(rendered, HasSubstr("+ boundaries.policies.file: \"alert-triage.cedar\"\n"));
  EXPECT_THAT(rendered, HasSubstr("+ boundaries.policies.text: 0 -> 12 lines (+12 -0)\n"));
  EXPECT_THAT(rendered, ::testing::Not(HasSubstr("permit")));
}

}  // namespace
}  // namespace pactum::pact
