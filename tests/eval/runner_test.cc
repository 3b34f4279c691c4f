// The runner over real soc-triage alerts, replaying a recorded agent, with a real judge server.
#include "pactum/eval/runner.h"

#include <fstream>

#include <gtest/gtest.h>

#include "pactum/base/json.h"

#include "judge_process.h"

namespace pactum::eval {
namespace {

using pactum::testing::JudgeProcess;

const std::string kData = std::string(PACTUM_SHARED_DATA) + "/soc-triage/";

// A suite of the first `n` alerts, built from the data in place; also the recorded matches.
Suite SocSuite(std::size_t n, std::size_t* label_matches) {
  std::string text =
      R"({"suite": "soc-test", "checks": {)"
      R"("label": {"type": "equals", "actual": "/classification", "expected": "/label"},)"
      R"("priority_known": {"type": "one_of", "actual": "/priority", "values": ["Low", "Medium", "High", "Critical"]},)"
      R"("shape": {"type": "schema", "schema": {"type": "object", "required": ["classification", "justification"]}}},)"
      R"("jury": {"rationale": {"content": "/justification"}}})"
      "\n";
  std::ifstream alerts(kData + "alerts.jsonl");
  std::ifstream run(kData + "run-gpt-4o.jsonl");
  std::string line, recorded;
  *label_matches = 0;
  for (std::size_t i = 0; i < n && std::getline(alerts, line) && std::getline(run, recorded); ++i) {
    const Json alert = *ParseJson(line);
    const Json record = *ParseJson(recorded);
    EXPECT_EQ(alert["id"], record["id"]);
    // Raw answers, not the dataset's normalised field: "TP (True Positive)" is not "TP".
    if (record["chatgpt_response"].value("classification", "") == alert["label"]) ++*label_matches;
    text += Json{{"id", alert["id"]},
                 {"input", {{"rule_level", alert["rule_level"]}}},
                 {"expected", {{"label", alert["label"]}, {"priority", alert["rule_priority"]}}}}
                .dump() +
            "\n";
  }
  auto suite = ParseSuite(text, "soc-test.jsonl");
  EXPECT_TRUE(suite.ok()) << suite.status().ToString();
  return std::move(*suite);
}

TEST(Runner, ReplaysSocTriageWithChecksAndJury) {
  auto server = JudgeProcess::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::size_t matches = 0;
  const Suite suite = SocSuite(30, &matches);
  auto adapter = MakeReplayAdapter({kData + "run-gpt-4o.jsonl", "id", "chatgpt_response"});
  ASSERT_TRUE(adapter.ok());
  auto rubric = jury::ParseRubric("Key terms: process, user\n- 1: both\n- 0.5: one\n- 0: neither\n",
                                  "rationale.md");
  ASSERT_TRUE(rubric.ok());
  jury::JuryConfig config;
  for (const char* model :
       {"judge", "judge-noisy-a", "judge-noisy-b", "judge-noisy-c", "judge-contrarian"})
    config.judges.push_back({model, (*server)->url() + "/v1", model, "", 5000});
  config.concurrency = 8;
  auto jury = jury::Jury::Create(config);
  ASSERT_TRUE(jury.ok());
  std::vector<Criterion> criteria = {{"rationale", *rubric, 5}};
  std::size_t agent_done = 0, jury_done = 0;
  auto report = RunSuite(suite, **adapter, criteria, jury->get(), 4,
                         [&](std::string_view stage, std::size_t done, std::size_t) {
                           (stage == "agent" ? agent_done : jury_done) = done;
                         });
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(agent_done, 30u);
  EXPECT_EQ(jury_done, 150u);
  std::size_t label_pass = 0;
  for (const CaseResult& r : report->cases) {
    label_pass += r.checks.at("label");
    EXPECT_TRUE(r.checks.at("priority_known"));
    EXPECT_TRUE(r.checks.at("shape"));
    const jury::Verdict& v = r.verdicts.at("rationale");
    EXPECT_EQ(v.votes.size(), 5u);
    // The contrarian judge is trimmed away by a five-judge jury.
    EXPECT_NE(v.aggregate.outcome, jury::Outcome::kUnscored);
  }
  EXPECT_EQ(label_pass, matches);

  const CaseResult& first = report->cases[0];
  const Json evidence = EvalCaseEvidence(*report, first, {"triage-gpt-4o", "alert_triage"});
  EXPECT_EQ(evidence["kind"], "eval_case");
  EXPECT_EQ(evidence["subject"], suite.cases[0].id);
  EXPECT_EQ(evidence["checks"]["label"], first.checks.at("label"));
  if (first.verdicts.at("rationale").aggregate.outcome == jury::Outcome::kPass ||
      first.verdicts.at("rationale").aggregate.outcome == jury::Outcome::kFail) {
    EXPECT_EQ(evidence["scores"]["rationale"], first.verdicts.at("rationale").aggregate.score);
  } else {
    EXPECT_FALSE(evidence.contains("scores"));
  }
  EXPECT_EQ(evidence["idempotency_key"],
            EvalCaseEvidence(*report, first, {"triage-gpt-4o", "alert_triage"})["idempotency_key"]);
  EXPECT_NE(evidence["idempotency_key"],
            EvalCaseEvidence(*report, report->cases[1],
                             {"triage-gpt-4o", "alert_triage"})["idempotency_key"]);

  const std::string table = SummaryTable(*report);
  EXPECT_NE(table.find("30 cases"), std::string::npos) << table;
  EXPECT_NE(table.find("check.label"), std::string::npos);
  EXPECT_NE(table.find("jury.rationale"), std::string::npos);
}

TEST(Runner, AgentErrorsFailChecksAndLeaveCriteriaUnscored) {
  auto server = JudgeProcess::Start();
  ASSERT_TRUE(server.ok());
  auto suite = ParseSuite(
      "{\"suite\": \"s\", \"checks\": {\"fast\": {\"type\": \"latency\", \"max_ms\": 60000}}}\n"
      "{\"id\": \"a\", \"input\": 1}\n",
      "s");
  ASSERT_TRUE(suite.ok());
  auto adapter = MakeHttpAdapter({(*server)->url() + "/nowhere", 5000, 1});
  ASSERT_TRUE(adapter.ok());
  auto rubric = jury::ParseRubric("- 1: a\n- 0.5: b\n- 0: c\n", "r");
  ASSERT_TRUE(rubric.ok());
  jury::JuryConfig config;
  config.judges.push_back({"j", (*server)->url() + "/v1", "judge", "", 5000});
  auto jury = jury::Jury::Create(config);
  ASSERT_TRUE(jury.ok());
  auto report = RunSuite(*suite, **adapter, {{"r", *rubric, 1}}, jury->get(), 2);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->cases[0].checks.at("fast"));
  EXPECT_EQ(report->cases[0].verdicts.at("r").aggregate.outcome, jury::Outcome::kUnscored);
  EXPECT_EQ(*server.value()->ChatRequests(), 0);
  const Json evidence = EvalCaseEvidence(*report, report->cases[0], {"a", "w"});
  EXPECT_EQ(evidence["success"], false);
  // Criteria without a jury are refused before anything is asked.
  EXPECT_FALSE(RunSuite(*suite, **adapter, {{"r", *rubric, 1}}, nullptr, 2).ok());
}

}  // namespace
}  // namespace pactum::eval
