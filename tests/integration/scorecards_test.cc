// Weekly scorecards through the real server: the KPIs of a small known history (containment
// decisions, labelled evidence with a dispute, reviews) match values computed by hand, and
// `pactum scorecard` prints them as a table, JSON and CSV.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "pactum/base/clock.h"

#include "fixtures.h"
#include "harness.h"

namespace pactum::testing {
namespace {

constexpr const char* kPolicies = R"(@id("may-contain")
permit(principal, action in [Action::"isolate_host", Action::"block_ioc",
                             Action::"classify_alert"], resource);

@id("accounts-need-a-lead")
@escalate("soc-lead")
permit(principal, action == Action::"disable_account", resource);
)";

// Unrated agents act on their own here, so containment is allowed at once unless a policy
// escalates it.
constexpr const char* kPact = fixtures::kTriagePact;

class ScorecardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "triage.cedar") << kPolicies;
    std::ofstream(dir_.path() / "triage.yaml") << kPact;
    server_ = ServerProcess::Start(dir_.path() / "data");
    ASSERT_NE(server_, nullptr);
    key_ = server_->bootstrap_key();
    Json agent = {{"id", "tri-1"}, {"owner", "soc-l1"}, {"assets", {{"system_prompt", "p"}}}};
    ASSERT_EQ(server_->client().Post("/v1/agents", agent.dump(), key_).status, 201);
    std::string out, err;
    ASSERT_EQ(RunPactum({"pact", "publish", (dir_.path() / "triage.yaml").string(), "--server",
                         server_->url(), "--key", key_},
                        &out, &err),
              0)
        << err;
  }

  std::string Ago(int seconds) {
    return FormatRfc3339(SystemClock().Now() - std::chrono::seconds(seconds));
  }
  Json Decide(const std::string& action, const Json& context) {
    Json body = {{"agent", "tri-1"},
                 {"workflow", "alert_triage"},
                 {"action", action},
                 {"resource", {{"type", "Host"}, {"id", "h-1"}}},
                 {"context", context}};
    auto r = server_->client().Post("/v1/decide", body.dump(), key_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  std::string Evidence(const std::string& classification_predicted,
                       const std::string& classification_actual,
                       const std::string& priority_predicted, const std::string& priority_actual,
                       bool escalated, bool needed, int age_seconds) {
    Json e = {{"kind", "analyst_verdict"},
              {"agent", "tri-1"},
              {"workflow", "alert_triage"},
              {"time", Ago(age_seconds)},
              {"classification",
               {{"predicted", classification_predicted}, {"actual", classification_actual}}},
              {"priority", {{"predicted", priority_predicted}, {"actual", priority_actual}}},
              {"escalation", {{"escalated", escalated}, {"needed", needed}}}};
    auto r = server_->client().Post("/v1/evidence", e.dump(), key_);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", "");
  }
  void Resolve(const std::string& review_id, const std::string& decision) {
    Json body = {{"decision", decision}};
    auto r = server_->client().Post("/v1/reviews/" + review_id + "/resolve", body.dump(), key_);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  Json Get(const std::string& path) {
    auto r = server_->client().Get(path, key_);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.json();
  }

  // The known history; the expected values in the tests are computed by hand from it.
  void Record() {
    // Containment: 600 s and 1800 s from alert to an allowed action, 1200 s to an approval.
    Decide("isolate_host", {{"alert_created_at", Ago(600)}});
    Decide("block_ioc", {{"alert_created_at", Ago(1800)}});
    Json approved = Decide("disable_account", {{"alert_created_at", Ago(1200)}});
    ASSERT_EQ(approved["decision"], "escalate") << approved.dump();
    Resolve(approved["review_id"], "approve");
    // Not counted: denied, not a containment action, no alert time.
    Json denied = Decide("disable_account", {{"alert_created_at", Ago(300)}});
    Resolve(denied["review_id"], "deny");
    Decide("classify_alert", {{"alert_created_at", Ago(100)}});
    Decide("isolate_host", Json::object());

    // Classification, priority and escalation labels, predicted then actual.
    Evidence("TP", "TP", "High", "High", true, true, 3600);
    Evidence("TP", "FP", "Low", "Medium", true, false, 3600);
    Evidence("FP", "FP", "Medium", "Medium", false, false, 3600);
    const std::string disputed = Evidence("FP", "TP", "High", "Critical", false, true, 3600);
    Evidence("TP", "TP", "Critical", "Critical", true, true, 3600);
    // Ten days old: last week's card only.
    Evidence("TP", "FP", "Low", "Low", true, false, 10 * 86400);
    // An upheld dispute: the fourth alert was a false positive after all, and said so.
    Json dispute = {
        {"kind", "dispute_resolution"},
        {"agent", "tri-1"},
        {"workflow", "alert_triage"},
        {"dispute",
         {{"evidence_id", disputed},
          {"upheld", true},
          {"correction", {{"classification", {{"predicted", "FP"}, {"actual", "FP"}}}}}}}};
    auto r = server_->client().Post("/v1/evidence", dispute.dump(), key_);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string key_;
};

TEST_F(ScorecardsTest, KpisOfAKnownHistoryMatchHandComputedValues) {
  Record();
  Json answer = Get("/v1/scorecards?agent=tri-1&workflow=alert_triage");
  ASSERT_EQ(answer["scorecards"].size(), 1u) << answer.dump();
  const Json& card = answer["scorecards"][0];

  // {600, 1200, 1800} seconds, plus the few seconds the test takes: median 1200, p90 1680.
  const Json& ttc = card["time_to_containment"];
  EXPECT_EQ(ttc["n"], 3) << ttc.dump();
  EXPECT_NEAR(ttc["median_seconds"].get<double>(), 1200, 30);
  EXPECT_NEAR(ttc["p90_seconds"].get<double>(), 1680, 30);

  // Escalated: alerts 1, 2 and 5; alert 2 was a false positive.
  const Json& fp = card["false_positive_load"];
  EXPECT_EQ(fp["n"], 3);
  EXPECT_EQ(fp["count"], 1);
  EXPECT_NEAR(fp["share"].get<double>(), 1.0 / 3, 1e-9);

  // Priority: 3 of 5 right. Per label (precision, recall): Low (0, 0), Medium (1, .5),
  // High (.5, 1), Critical (1, .5).
  const Json& sev = card["severity"];
  EXPECT_EQ(sev["n"], 5);
  EXPECT_NEAR(sev["accuracy"].get<double>(), 0.6, 1e-9);
  EXPECT_NEAR(sev["macro_precision"].get<double>(), 0.625, 1e-9);
  EXPECT_NEAR(sev["macro_recall"].get<double>(), 0.5, 1e-9);
  EXPECT_NEAR(sev["macro_f1"].get<double>(), 0.5, 1e-9);
  EXPECT_EQ(sev["confusion"], Json::parse("[[0,0,0,0],[1,1,0,0],[0,0,1,0],[0,0,1,1]]"))
      << sev.dump();

  // TP/FP after the dispute: TP 2, FP 1, TN 2, FN 0.
  const Json& cls = card["classification"];
  EXPECT_EQ(cls["n"], 5);
  EXPECT_EQ(cls["counts"], Json::parse(R"({"tp":2,"fp":1,"tn":2,"fn":0})"));
  EXPECT_NEAR(cls["tpr"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(cls["fpr"].get<double>(), 1.0 / 3, 1e-9);
  EXPECT_NEAR(cls["precision"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_NEAR(cls["f1"].get<double>(), 0.8, 1e-9);

  // Escalated {1, 2, 5}, needed {1, 4, 5}: precision 2/3, recall 2/3; two reviews resolved.
  const Json& esc = card["escalation"];
  EXPECT_EQ(esc["n"], 5);
  EXPECT_NEAR(esc["precision"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_NEAR(esc["recall"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_EQ(esc["time_to_resolve"]["n"], 2);
  EXPECT_GE(esc["time_to_resolve"]["median_seconds"].get<double>(), 0);
  EXPECT_LT(esc["time_to_resolve"]["median_seconds"].get<double>(), 60);
}

TEST_F(ScorecardsTest, WeeksAreSeparateAndEmptyKpisAreNull) {
  Record();
  Json answer = Get("/v1/scorecards?agent=tri-1&weeks=2");
  ASSERT_EQ(answer["scorecards"].size(), 2u) << answer.dump();
  const Json& last_week = answer["scorecards"][0];
  const Json& this_week = answer["scorecards"][1];
  EXPECT_EQ(last_week["to"], this_week["from"]);
  EXPECT_EQ(this_week["classification"]["n"], 5);
  // Last week holds the old alert only: one escalated false positive, no decisions.
  EXPECT_EQ(last_week["classification"]["n"], 1);
  EXPECT_EQ(last_week["false_positive_load"]["count"], 1);
  EXPECT_NEAR(last_week["false_positive_load"]["share"].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(last_week["time_to_containment"]["n"], 0);
  EXPECT_TRUE(last_week["time_to_containment"]["median_seconds"].is_null());
  EXPECT_TRUE(last_week["classification"]["tpr"].is_null()) << last_week.dump();
  // Escalated but not needed: precision 0; nothing needed a human: recall unknown.
  EXPECT_EQ(last_week["escalation"]["precision"], 0.0);
  EXPECT_TRUE(last_week["escalation"]["recall"].is_null());

  // An agent without data, asked for by name, gets a card of nulls with n = 0.
  Json agent = {{"id", "tri-2"}, {"owner", "soc-l1"}, {"assets", {{"system_prompt", "q"}}}};
  ASSERT_EQ(server_->client().Post("/v1/agents", agent.dump(), key_).status, 201);
  Json empty = Get("/v1/scorecards?agent=tri-2&workflow=alert_triage")["scorecards"];
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0]["severity"]["n"], 0);
  EXPECT_TRUE(empty[0]["severity"]["accuracy"].is_null());
  EXPECT_TRUE(empty[0]["false_positive_load"]["share"].is_null());

  // Bad parameters name themselves.
  auto c = server_->client();
  auto bad = c.Get("/v1/scorecards?from=yesterday", key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["field"], "from") << bad.body;
  EXPECT_EQ(c.Get("/v1/scorecards?weeks=0", key_).status, 400);
  EXPECT_EQ(c.Get("/v1/scorecards?weeks=2&from=2026-01-01T00:00:00Z", key_).status, 400);
  EXPECT_EQ(c.Get("/v1/scorecards", "").status, 401);
}

TEST_F(ScorecardsTest, TheCommandPrintsTableJsonAndCsv) {
  Record();
  const std::vector<std::string> base = {"scorecard",    "--agent",      "tri-1",
                                         "--workflow",   "alert_triage", "--server",
                                         server_->url(), "--key",        key_};
  auto run = [&](const std::string& format, std::string* out) {
    std::vector<std::string> args = base;
    args.push_back("--format");
    args.push_back(format);
    std::string err;
    EXPECT_EQ(RunPactum(args, out, &err), 0) << err;
  };
  std::string table, json, csv;
  run("table", &table);
  EXPECT_NE(table.find("tri-1 in alert_triage"), std::string::npos) << table;
  EXPECT_NE(table.find("time to containment"), std::string::npos) << table;
  EXPECT_NE(table.find("accuracy 0.600"), std::string::npos) << table;

  run("json", &json);
  Json parsed = Json::parse(json);
  EXPECT_EQ(parsed["scorecards"][0]["severity"]["n"], 5);

  run("csv", &csv);
  std::istringstream lines(csv);
  std::string header, row, extra;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_FALSE(std::getline(lines, extra)) << csv;
  auto split = [](const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ','))
      cells.push_back(cell);
    return cells;
  };
  auto names = split(header), values = split(row);
  ASSERT_EQ(names.size(), values.size()) << csv;
  std::map<std::string, std::string> card;
  for (std::size_t i = 0; i < names.size(); ++i)
    card[names[i]] = values[i];
  EXPECT_EQ(card["agent"], "tri-1");
  EXPECT_EQ(card["severity_accuracy"], "0.6");
  EXPECT_EQ(card["tpr"], "1.0");
  EXPECT_EQ(card["containment_n"], "3");

  std::string out, err;
  EXPECT_EQ(RunPactum({"scorecard", "--format", "yaml", "--server", server_->url(), "--key", key_},
                      &out, &err),
            2);
}

}  // namespace
}  // namespace pactum::testing
