#include "pactum/pact/loader.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "pact_testing.h"

namespace pactum::pact {
namespace {

using ::testing::HasSubstr;
using testing::LoadFixture;
using testing::TestData;

// Lines 1-5 of every pact below; what a test adds starts on line 6.
constexpr char kHead[] = "pact: p\nversion: 1\nworkflow: w\nagents: [a]\nowner: o\n";

std::vector<Diagnostic> Problems(const std::string& yaml) {
  PactCheck check = CheckPactYaml(yaml, "p.yaml", TestData());
  EXPECT_EQ(check.pact.has_value(), check.diagnostics.empty());
  return check.diagnostics;
}

// Exactly one problem, at `line` of p.yaml, whose message has `text`.
void ExpectProblem(const std::string& yaml, int line, const std::string& text) {
  std::vector<Diagnostic> problems = Problems(yaml);
  ASSERT_EQ(problems.size(), 1u) << yaml << "\nfirst: "
                                 << (problems.empty() ? "none" : ToString(problems[0]));
  EXPECT_EQ(problems[0].file, "p.yaml");
  EXPECT_EQ(problems[0].line, line) << ToString(problems[0]);
  EXPECT_THAT(problems[0].message, HasSubstr(text));
}

// One condition (lines 6-...) with the given fields, one per line, after id (line 7).
std::string WithCondition(const std::string& fields) {
  return std::string(kHead) + "conditions:\n  - id: c1\n" + fields;
}

TEST(LoaderTest, LoadsEveryField) {
  Pact p = LoadFixture(TestData() / "alert-triage.yaml");
  EXPECT_EQ(p.name, "alert-triage");
  EXPECT_EQ(p.version, 4);
  EXPECT_EQ(p.workflow, "alert_triage");
  EXPECT_EQ(p.agents, (std::vector<std::string>{"triage-*", "soc-?-agent"}));
  EXPECT_EQ(p.owner, "soc-l2");
  EXPECT_EQ(p.mode, Mode::kShadow);
  ASSERT_EQ(p.conditions.size(), 4u);

  const Condition& recall = p.conditions[0];
  EXPECT_EQ(recall.id, "tp-recall");
  EXPECT_EQ(recall.metric, "classification.tpr");
  EXPECT_EQ(recall.op, Op::kGte);
  EXPECT_DOUBLE_EQ(recall.threshold, 0.95);
  EXPECT_EQ(recall.window_seconds, 7 * 86400);
  EXPECT_EQ(recall.min_samples, 30);
  EXPECT_EQ(recall.severity, Severity::kCritical);
  EXPECT_EQ(recall.verification, Verification::kDeterministic);
  EXPECT_EQ(recall.dimension, "accuracy");
  EXPECT_EQ(recall.judges, 0);

  const Condition& jury = p.conditions[1];
  EXPECT_EQ(jury.metric, "jury.rationale_grounded");
  EXPECT_EQ(jury.verification, Verification::kJury);
  EXPECT_EQ(jury.rubric, "rubrics/rationale.md");
  EXPECT_EQ(jury.judges, 5);
  EXPECT_EQ(jury.severity, Severity::kMajor);
  EXPECT_EQ(jury.dimension, "calibration");
  EXPECT_EQ(jury.window_seconds, 0);
  EXPECT_EQ(jury.min_samples, 1);

  const Condition& latency = p.conditions[2];
  EXPECT_EQ(latency.op, Op::kLte);
  EXPECT_DOUBLE_EQ(latency.threshold, 30000);
  EXPECT_EQ(latency.window_seconds, 86400);
  EXPECT_EQ(latency.dimension, "latency");  // the metric's default

  const Condition& actions = p.conditions[3];
  EXPECT_EQ(actions.op, Op::kExcludes);
  EXPECT_EQ(actions.names, (std::vector<std::string>{"isolate_host", "disable_account"}));
  EXPECT_EQ(actions.window_seconds, 90);
  EXPECT_EQ(actions.severity, Severity::kInfo);
  EXPECT_EQ(actions.dimension, "scope_adherence");

  ASSERT_TRUE(p.boundaries.has_value());
  EXPECT_EQ(p.boundaries->policies.file, "alert-triage.cedar");
  EXPECT_EQ(p.boundaries->policies.text, testing::ReadText(TestData() / "alert-triage.cedar"));
  ASSERT_TRUE(p.boundaries->schema.has_value());
  EXPECT_EQ(p.boundaries->schema->file, "soc.cedarschema");
  EXPECT_EQ(p.boundaries->schema->text, testing::ReadText(TestData() / "soc.cedarschema"));

  EXPECT_EQ(p.autonomy.at(Tier::kPlatinum), Autonomy::kAutonomous);
  EXPECT_EQ(p.autonomy.at(Tier::kGold), Autonomy::kSupervised);
  EXPECT_EQ(p.autonomy.at(Tier::kSilver), Autonomy::kSupervised);
  EXPECT_EQ(p.autonomy.at(Tier::kBronze), Autonomy::kApproval);
  EXPECT_EQ(p.autonomy.at(Tier::kUnrated), Autonomy::kSuspended);
  EXPECT_DOUBLE_EQ(p.escalate_below_confidence, 0.6);
  EXPECT_EQ(p.consequences.at(Severity::kCritical), Consequence::kSuspend);
  EXPECT_EQ(p.consequences.at(Severity::kMajor), Consequence::kNarrow);
  EXPECT_EQ(p.consequences.at(Severity::kMinor), Consequence::kWarn);
  EXPECT_EQ(p.consequences.at(Severity::kInfo), Consequence::kWarn);
  EXPECT_EQ(p.review_sla_seconds, 30 * 60);
  EXPECT_DOUBLE_EQ(p.supervised_sample_rate, 0.25);
}

TEST(LoaderTest, Defaults) {
  Pact p = LoadFixture(TestData() / "minimal.yaml");
  EXPECT_EQ(p.mode, Mode::kEnforce);
  EXPECT_TRUE(p.conditions.empty());
  EXPECT_FALSE(p.boundaries.has_value());
  for (Tier t : {Tier::kUnrated, Tier::kBronze, Tier::kSilver, Tier::kGold, Tier::kPlatinum}) {
    EXPECT_EQ(p.autonomy.at(t), DefaultAutonomy(t)) << NameOf(t);
  }
  for (Severity s : {Severity::kInfo, Severity::kMinor, Severity::kMajor, Severity::kCritical}) {
    EXPECT_EQ(p.consequences.at(s), DefaultConsequence(s)) << NameOf(s);
  }
  EXPECT_EQ(p.escalate_below_confidence, 0);
  EXPECT_EQ(p.review_sla_seconds, 15 * 60);
  EXPECT_DOUBLE_EQ(p.supervised_sample_rate, 0.1);

  Result<Pact> c = ParsePactYaml(WithCondition("    metric: check.schema_valid\n    op: eq\n"
                                               "    threshold: 1\n"),
                                 "p.yaml", TestData());
  ASSERT_TRUE(c.ok()) << c.status().message();
  const Condition& cond = c->conditions[0];
  EXPECT_EQ(cond.window_seconds, 0);
  EXPECT_EQ(cond.min_samples, 1);
  EXPECT_EQ(cond.severity, Severity::kMajor);
  EXPECT_EQ(cond.verification, Verification::kDeterministic);
  EXPECT_EQ(cond.dimension, "reliability");

  Result<Pact> jury =
      ParsePactYaml(WithCondition("    metric: jury.clarity\n    op: gte\n    threshold: 0.5\n"
                                  "    rubric: rubrics/rationale.md\n"),
                    "p.yaml", TestData());
  ASSERT_TRUE(jury.ok()) << jury.status().message();
  EXPECT_EQ(jury->conditions[0].verification, Verification::kJury);
  EXPECT_EQ(jury->conditions[0].judges, 3);
}

TEST(LoaderTest, Durations) {
  struct Case {
    const char* text;
    std::int64_t seconds;
  };
  for (Case c : {Case{"7d", 604800}, Case{"24h", 86400}, Case{"30m", 1800}, Case{"90s", 90},
                 Case{"3600", 3600}, Case{"0", 0}}) {
    Result<Pact> p = ParsePactYaml(std::string(kHead) +
                                       "review_sla: 1s\nconditions:\n"
                                       "  - {id: c, metric: outcome.success_rate, op: gte, "
                                       "threshold: 0.9, window: " +
                                       c.text + "}\n",
                                   "p.yaml", TestData());
    ASSERT_TRUE(p.ok()) << c.text << ": " << p.status().message();
    EXPECT_EQ(p->conditions[0].window_seconds, c.seconds) << c.text;
    EXPECT_EQ(p->review_sla_seconds, 1);
  }
  for (const char* bad : {"7w", "d", "-1d", "1.5h", "1h30m", "\"\"", "99999999999999999d"}) {
    ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: gte\n"
                                "    threshold: 0.9\n    window: " +
                                std::string(bad) + "\n"),
                  11, "conditions[0].window: must be a duration");
  }
  ExpectProblem(std::string(kHead) + "review_sla: 0\n", 6, "review_sla: must be longer than 0");
}

TEST(LoaderTest, UnknownKeysAtEveryLevel) {
  ExpectProblem(std::string(kHead) + "escalate_below_confidnce: 0.5\n", 6,
                "unknown key \"escalate_below_confidnce\" (did you mean "
                "\"escalate_below_confidence\"?)");
  ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: gte\n"
                              "    thresold: 0.9\n    threshold: 0.9\n"),
                10,
                "conditions[0].thresold: unknown key \"thresold\" (did you mean \"threshold\"?)");
  ExpectProblem(std::string(kHead) + "boundaries:\n  policies: alert-triage.cedar\n  shema: x\n", 8,
                "boundaries.shema: unknown key \"shema\" (did you mean \"schema\"?)");
  ExpectProblem(std::string(kHead) + "colour: blue\n", 6, "unknown key \"colour\"");
  std::vector<Diagnostic> p = Problems(std::string(kHead) + "colour: blue\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0].message, ::testing::Not(HasSubstr("did you mean")));
  EXPECT_EQ(p[0].column, 1);
}

TEST(LoaderTest, Metrics) {
  std::vector<Diagnostic> p =
      Problems(WithCondition("    metric: classification.tprr\n    op: gte\n    threshold: 0.9\n"));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].line, 8);
  EXPECT_THAT(p[0].message, HasSubstr("unknown metric \"classification.tprr\" (did you mean "
                                      "\"classification.tpr\"?)"));
  EXPECT_THAT(p[0].message, HasSubstr("known: classification.accuracy"));
  EXPECT_THAT(p[0].message, HasSubstr("jury.<criterion>"));
  ExpectProblem(WithCondition("    metric: jury.\n    op: gte\n    threshold: 0.9\n"), 8,
                "unknown metric \"jury.\"");
  ExpectProblem(WithCondition("    metric: check.Bad-Name\n    op: gte\n    threshold: 0.9\n"), 8,
                "unknown metric");
}

TEST(LoaderTest, Operators) {
  ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: ge\n"
                              "    threshold: 0.9\n"),
                9, "conditions[0].op: unknown value \"ge\": must be one of lt|lte|gt|gte");
  ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: includes\n"
                              "    threshold: x\n"),
                9, "op includes is only for set metrics");
  ExpectProblem(WithCondition("    metric: actions.taken\n    op: gte\n    threshold: 1\n"), 9,
                "metric \"actions.taken\" is a set: its op must be includes or excludes");
  ExpectProblem(WithCondition("    metric: actions.taken\n    op: includes\n    threshold: []\n"),
                10, "needs a name or a non-empty list of names");
  ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: 3\n    threshold: 1\n"), 9,
                "conditions[0].op: must be one of");
}

TEST(LoaderTest, Thresholds) {
  ExpectProblem(WithCondition("    metric: classification.tpr\n    op: gte\n"), 7,
                "conditions[0].threshold: required for op gte");
  ExpectProblem(WithCondition("    metric: classification.tpr\n    op: gte\n"
                              "    threshold: 95\n"),
                10, "\"classification.tpr\" is a rate in [0,1]: threshold 95 is out of range");
  ExpectProblem(WithCondition("    metric: classification.f1\n    op: gte\n"
                              "    threshold: -0.1\n"),
                10, "is a rate in [0,1]");
  ExpectProblem(WithCondition("    metric: latency.p95_ms\n    op: lte\n    threshold: -5\n"), 10,
                "is never negative");
  ExpectProblem(WithCondition("    metric: latency.p95_ms\n    op: lte\n    threshold: \"5\"\n"),
                10, "threshold: must be a number, not a string");
  ExpectProblem(WithCondition("    metric: latency.p95_ms\n    op: lte\n    threshold: .inf\n"), 10,
                "threshold: must be a number");
}

TEST(LoaderTest, Vocabularies) {
  std::string cond = "    metric: outcome.success_rate\n    op: gte\n    threshold: 0.9\n";
  ExpectProblem(WithCondition(cond + "    severity: critcal\n"), 11,
                "unknown value \"critcal\": must be one of critical|major|minor|info (did you "
                "mean \"critical\"?)");
  ExpectProblem(WithCondition(cond + "    verification: manual\n"), 11,
                "must be one of deterministic|heuristic|jury");
  ExpectProblem(WithCondition(cond + "    verification: jury\n"), 11,
                "verification jury needs a jury.<criterion> metric");
  ExpectProblem(WithCondition(cond + "    dimension: speed\n"), 11,
                "unknown dimension \"speed\": must be one of accuracy, reliability");
  ExpectProblem(std::string(kHead) + "autonomy: {gold: autonomous, diamond: autonomous}\n", 6,
                "autonomy.diamond: unknown tier \"diamond\"");
  ExpectProblem(std::string(kHead) + "autonomy:\n  gold: autonomus\n", 7,
                "autonomy.gold: unknown value \"autonomus\": must be one of "
                "autonomous|supervised|approval|suspended (did you mean \"autonomous\"?)");
  ExpectProblem(std::string(kHead) + "consequences:\n  major: restore\n", 7,
                "consequences.major: unknown value \"restore\": must be one of "
                "none|warn|narrow|suspend");
  ExpectProblem(std::string(kHead) + "consequences:\n  severe: warn\n", 7,
                "unknown severity \"severe\"");
  ExpectProblem(std::string(kHead) + "mode: dry-run\n", 6, "must be one of enforce|shadow");
}

TEST(LoaderTest, ConditionIds) {
  std::string cond = "    metric: outcome.success_rate\n    op: gte\n    threshold: 0.9\n";
  ExpectProblem(WithCondition(cond + "  - id: c1\n" + cond), 11,
                "conditions[1].id: duplicate condition id \"c1\"");
  ExpectProblem(std::string(kHead) + "conditions:\n  - id: Bad Id\n" + cond, 7,
                "must match [a-z0-9][a-z0-9_.-]*");
  ExpectProblem(std::string(kHead) + "conditions:\n  - " + cond.substr(4), 7,
                "conditions[0].id: required");
  ExpectProblem(std::string(kHead) + "conditions:\n  - 3\n", 7, "a condition must be a map");
}

TEST(LoaderTest, JuryConditions) {
  std::string jury = "    metric: jury.grounded\n    op: gte\n    threshold: 0.7\n";
  ExpectProblem(WithCondition(jury), 7, "conditions[0].rubric: required for a jury condition");
  ExpectProblem(WithCondition(jury + "    rubric: rubrics/rationale.md\n    judges: 4\n"), 12,
                "conditions[0].judges: must be 3, 5 or 7, not 4");
  ExpectProblem(WithCondition(jury + "    rubric: rubrics/missing.md\n"), 11,
                "rubric file \"rubrics/missing.md\" does not exist");
  ExpectProblem(WithCondition(jury + "    rubric: rubrics/rationale.md\n    verification: "
                                     "heuristic\n"),
                12, "a jury metric is verified by the jury");
  ExpectProblem(WithCondition("    metric: outcome.success_rate\n    op: gte\n"
                              "    threshold: 0.9\n    judges: 3\n"),
                11, "only jury conditions have judges");
}

TEST(LoaderTest, TopLevelFields) {
  ExpectProblem("pact: p\nversion: 0\nworkflow: w\nagents: [a]\nowner: o\n", 2,
                "version: must be between 1 and");
  ExpectProblem("pact: p\nversion: \"4\"\nworkflow: w\nagents: [a]\nowner: o\n", 2,
                "version: must be an integer, not a string");
  ExpectProblem("pact: P!\nversion: 1\nworkflow: w\nagents: [a]\nowner: o\n", 1,
                "pact: must match");
  ExpectProblem("pact: p\nversion: 1\nworkflow: w\nagents: []\nowner: o\n", 4,
                "agents: must be a non-empty list");
  ExpectProblem(std::string(kHead) + "escalate_below_confidence: 1.5\n", 6,
                "escalate_below_confidence: must be between 0 and 1, not 1.5");
  ExpectProblem(std::string(kHead) + "supervised_sample_rate: -0.1\n", 6,
                "supervised_sample_rate: must be between 0 and 1");
  ExpectProblem(std::string(kHead) + "pact: again\n", 6, "duplicate key \"pact\"");
}

TEST(LoaderTest, MissingRequiredKeys) {
  for (std::string key : {"pact", "version", "workflow", "agents", "owner"}) {
    std::string yaml;
    std::string head = kHead;
    std::size_t start = 0;
    while (start < head.size()) {
      std::size_t end = head.find('\n', start);
      std::string line = head.substr(start, end - start + 1);
      if (!line.starts_with(key + ":")) yaml += line;
      start = end + 1;
    }
    ExpectProblem(yaml, 1, key + ": required");
  }
  ExpectProblem("", 1, "a pact must be a map of fields, not null");
  ExpectProblem("- a\n- b\n", 1, "a pact must be a map of fields, not a list");
}

TEST(LoaderTest, AllProblemsAtOnce) {
  std::vector<Diagnostic> p = Problems(
      "pact: p\nversion: 0\nworkflow: w\nagents: [a]\n"  // no owner
      "conditions:\n"
      "  - id: a\n    metric: nope\n    op: gte\n    threshold: 0.5\n"
      "  - id: a\n    metric: classification.tpr\n    op: gte\n    threshold: 2\n"
      "autonomy: {gold: sometimes}\n");
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < p.size(); ++i) {
    lines.push_back(std::to_string(p[i].line) + " " + p[i].message);
    if (i > 0) {
      EXPECT_LE(p[i - 1].line, p[i].line);
    }
  }
  EXPECT_THAT(lines, ::testing::UnorderedElementsAre(
                         HasSubstr("2 version: must be between 1"), HasSubstr("1 owner: required"),
                         HasSubstr("7 conditions[0].metric: unknown metric \"nope\""),
                         HasSubstr("13 conditions[1].threshold:"),
                         HasSubstr("10 conditions[1].id: duplicate condition id \"a\""),
                         HasSubstr("14 autonomy.gold: unknown value \"sometimes\"")));
  Result<Pact> r = ParsePactYaml("pact: p\nversion: 0\n", "p.yaml", TestData());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  // In line order, one per line.
  EXPECT_THAT(r.status().message(), ::testing::StartsWith("p.yaml:1:1: workflow: required\n"));
  EXPECT_THAT(r.status().message(), ::testing::EndsWith("\np.yaml:2:10: version: must be between "
                                                        "1 and 9007199254740992, not 0"));
  EXPECT_EQ(r.status().details()["diagnostics"].size(), 4u);
}

TEST(LoaderTest, BoundaryFiles) {
  ExpectProblem(std::string(kHead) + "boundaries:\n  policies: nowhere.cedar\n", 7,
                "boundaries.policies: cannot read boundary file \"nowhere.cedar\"");
  ExpectProblem(std::string(kHead) + "boundaries:\n  schema: soc.cedarschema\n", 7,
                "boundaries.policies: required");
  ExpectProblem(std::string(kHead) + "boundaries: alert-triage.cedar\n", 6,
                "boundaries: must be a map");

  testing::ScratchCopy scratch;
  testing::WriteText(scratch.dir() / "bad.cedar",
                     "permit (principal, action, resource);\n\nforbid (principal,, action);\n");
  PactCheck check = CheckPactYaml(std::string(kHead) + "boundaries:\n  policies: bad.cedar\n",
                                  "p.yaml", scratch.dir());
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_EQ(check.diagnostics[0].file, (scratch.dir() / "bad.cedar").string());
  EXPECT_EQ(check.diagnostics[0].line, 3);
  EXPECT_GT(check.diagnostics[0].column, 1);
  EXPECT_THAT(check.diagnostics[0].message,
              HasSubstr("boundaries.policies: \"bad.cedar\", line 3"));

  testing::WriteText(scratch.dir() / "bad.cedarschema", "entity User;\nentity Doc in [Nope];\n");
  check = CheckPactYaml(std::string(kHead) +
                            "boundaries:\n  policies: alert-triage.cedar\n"
                            "  schema: bad.cedarschema\n",
                        "p.yaml", scratch.dir());
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_EQ(check.diagnostics[0].file, (scratch.dir() / "bad.cedarschema").string());
  EXPECT_THAT(check.diagnostics[0].message, HasSubstr("boundaries.schema: \"bad.cedarschema\""));

  testing::WriteText(scratch.dir() / "syntax.cedarschema", "entity User {\n  name: ,\n};\n");
  check = CheckPactYaml(std::string(kHead) +
                            "boundaries:\n  policies: alert-triage.cedar\n"
                            "  schema: syntax.cedarschema\n",
                        "p.yaml", scratch.dir());
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_EQ(check.diagnostics[0].line, 2);

  // A JSON schema is read as JSON.
  testing::WriteText(scratch.dir() / "soc.json",
                     R"({"": {"entityTypes": {"Alert": {}}, "actions": {"triage": {}}}})");
  EXPECT_TRUE(ParsePactYaml(std::string(kHead) + "boundaries:\n  policies: alert-triage.cedar\n"
                                                 "  schema: soc.json\n",
                            "p.yaml", scratch.dir())
                  .ok());
  testing::WriteText(scratch.dir() / "broken.json", "{\"\": {\n  \"entityTypes\": 3,,\n}}");
  check = CheckPactYaml(std::string(kHead) +
                            "boundaries:\n  policies: alert-triage.cedar\n"
                            "  schema: broken.json\n",
                        "p.yaml", scratch.dir());
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_EQ(check.diagnostics[0].line, 2);
}

TEST(LoaderTest, YamlSyntaxErrors) {
  std::vector<Diagnostic> p = Problems(std::string(kHead) + "conditions: [\n  {id: a,\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0].message, HasSubstr("YAML syntax"));
  EXPECT_GE(p[0].line, 6);
  ExpectProblem("pact: p\nversion: 1\n  workflow: w: x\n", 3, "YAML syntax");
  ExpectProblem("pact: p\n\tversion: 1\n", 2, "YAML syntax");
}

TEST(LoaderTest, HostileInputIsAnError) {
  ExpectProblem(
      std::string(kHead) + "conditions: " + std::string(40, '[') + std::string(40, ']') + "\n", 6,
      "nested deeper than");
  // A billion laughs: every level doubles the nodes the aliases stand for.
  std::string bomb = std::string(kHead) + "a0: &a0 [x, x]\n";
  for (int i = 1; i < 30; ++i) {
    std::string n = std::to_string(i), prev = std::to_string(i - 1);
    bomb.append("a").append(n).append(": &a").append(n).append(" [*a").append(prev);
    bomb.append(", *a").append(prev).append("]\n");
  }
  std::vector<Diagnostic> p = Problems(bomb);
  ASSERT_FALSE(p.empty());
  EXPECT_THAT(p[0].message, HasSubstr("too many YAML nodes"));
  ExpectProblem(std::string(kHead) + "? [a, b]\n: c\n", 6, "a key must be a plain name");

  std::string big = std::string(kHead) + "# " + std::string(1 << 20, 'x') + "\n";
  p = Problems(big);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_THAT(p[0].message, HasSubstr("at most 1 MiB"));
  testing::ScratchCopy scratch;
  testing::WriteText(scratch.dir() / "big.yaml", big);
  PactCheck check = CheckPactFile(scratch.dir() / "big.yaml");
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_THAT(check.diagnostics[0].message, HasSubstr("larger than 1 MiB"));
  check = CheckPactFile(scratch.dir() / "absent.yaml");
  ASSERT_EQ(check.diagnostics.size(), 1u);
  EXPECT_EQ(ToString(check.diagnostics[0]), (scratch.dir() / "absent.yaml").string() +
                                                ": no such file " +
                                                (scratch.dir() / "absent.yaml").string());
}

TEST(LoaderTest, InvalidUtf8IsRejected) {
  ExpectProblem("pact: p\nversion: 1\nworkflow: \"w\xff\"\nagents: [a]\nowner: o\n", 1,
                "not valid UTF-8");
}

// Fuzz finding: a message quoting a value that is not UTF-8 made nlohmann's dump() throw.
TEST(LoaderTest, MessagesQuotingInvalidUtf8StayPrintable) {
  Result<Pact> p = ParsePactYaml(
      WithCondition("    metric: jury.clarity\n    op: gte\n    threshold: 0.5\n"
                    "    rubric: rubrics/rationale.md\n    judges: \"\xff\"\n    \xfe: 1\n"),
      "p.yaml", TestData());
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), HasSubstr("judges: must be 3, 5 or 7, not \"\xEF\xBF\xBD\""));
  EXPECT_THAT(p.status().message(), HasSubstr("unknown key \"\xEF\xBF\xBD\""));
  EXPECT_NO_THROW((void)p.status().details().dump());
  Json j = ToJson(LoadFixture(TestData() / "minimal.yaml"));
  j["mode"] = "\xff";
  Result<Pact> from_json = FromJson(j);
  ASSERT_FALSE(from_json.ok());
  EXPECT_NO_THROW((void)from_json.status().details().dump());
}

TEST(LoaderTest, QuotedScalarsAreStrings) {
  Result<Pact> p = ParsePactYaml(
      "pact: '1'\nversion: 1\nworkflow: \"true\"\nagents: ['007']\nowner: null-team\n", "p.yaml",
      TestData());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->name, "1");
  EXPECT_EQ(p->workflow, "true");
  EXPECT_EQ(p->agents[0], "007");
  ExpectProblem("pact: p\nversion: 1\nworkflow: true\nagents: [a]\nowner: o\n", 3,
                "workflow: must be a string, not a boolean");
}

TEST(AppliesToTest, Globs) {
  Pact p = LoadFixture(TestData() / "alert-triage.yaml");
  EXPECT_TRUE(AppliesTo(p, "triage-1"));
  EXPECT_TRUE(AppliesTo(p, "triage-"));
  EXPECT_TRUE(AppliesTo(p, "soc-7-agent"));
  EXPECT_FALSE(AppliesTo(p, "soc-77-agent"));
  EXPECT_FALSE(AppliesTo(p, "xtriage-1"));
  EXPECT_FALSE(AppliesTo(p, "router"));
  p.agents = {"*"};
  EXPECT_TRUE(AppliesTo(p, ""));
  p.agents = {"a*b*c"};
  EXPECT_TRUE(AppliesTo(p, "aXbYbc"));
  EXPECT_FALSE(AppliesTo(p, "aXbYbcd"));
}

}  // namespace
}  // namespace pactum::pact
