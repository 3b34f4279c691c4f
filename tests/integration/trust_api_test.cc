// The trust loop through the real `pactum serve` and the `pactum` CLI: agents, pact
// publication, evidence (single, bulk, idempotent), explained trust, events, tenant isolation,
// restart (trust rebuilt from the store) and fingerprint changes.
#include <fstream>

#include <gtest/gtest.h>
#include <signal.h>

#include "fixtures.h"
#include "harness.h"

namespace pactum::testing {
namespace {

using std::chrono::milliseconds;

constexpr const char* kPolicies = fixtures::kClassifyPolicies;

constexpr const char* kSchema = fixtures::kClassifySchema;

std::string PactYaml(int version, double tpr_threshold) {
  return "pact: alert-triage\nversion: " + std::to_string(version) +
         "\nworkflow: alert_triage\nagents: [\"triage-*\"]\nowner: soc-l2\nmode: enforce\n"
         "conditions:\n"
         "  - id: tp-recall\n    metric: classification.tpr\n    op: gte\n    threshold: " +
         std::to_string(tpr_threshold) +
         "\n    window: 7d\n    min_samples: 20\n    severity: major\n    dimension: accuracy\n"
         "  - id: fp-rate\n    metric: classification.fpr\n    op: lte\n    threshold: 0.3\n"
         "    window: 7d\n    min_samples: 20\n    severity: minor\n"
         "boundaries:\n  policies: triage.cedar\n  schema: soc.cedarschema\n"
         "autonomy: {platinum: autonomous, gold: autonomous, silver: supervised, bronze: approval, "
         "unrated: approval}\n"
         "escalate_below_confidence: 0.6\n"
         "consequences: {critical: suspend, major: narrow, minor: warn}\n";
}

std::string Outcome(const std::string& agent, const std::string& predicted,
                    const std::string& actual, const std::string& key = "") {
  Json j = {{"kind", "production_outcome"},
            {"agent", agent},
            {"workflow", "alert_triage"},
            {"classification", {{"predicted", predicted}, {"actual", actual}}}};
  if (!key.empty()) j["idempotency_key"] = key;
  return j.dump();
}

class TrustApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "triage.cedar") << kPolicies;
    std::ofstream(dir_.path() / "soc.cedarschema") << kSchema;
    Start();
  }
  void Start() {
    server_ = ServerProcess::Start(dir_.path() / "data");
    ASSERT_NE(server_, nullptr);
    if (admin_.empty()) admin_ = server_->bootstrap_key();
    ASSERT_FALSE(admin_.empty());
  }
  void Restart() {
    server_->Signal(SIGTERM);
    ASSERT_EQ(server_->Wait(milliseconds(10000)), 0);
    Start();
  }
  int Cli(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.end(), {"--server", server_->url(), "--key", admin_});
    return RunPactum(args, out, err);
  }
  std::string WritePact(int version, double tpr_threshold) {
    auto p = dir_.path() / ("alert-triage-v" + std::to_string(version) + ".yaml");
    std::ofstream(p) << PactYaml(version, tpr_threshold);
    return p.string();
  }
  void Publish(int version, double tpr_threshold = 0.9) {
    std::string out, err;
    ASSERT_EQ(Cli({"pact", "publish", WritePact(version, tpr_threshold)}, &out, &err), 0) << err;
  }
  HttpResult RegisterAgent(const std::string& id, const std::string& prompt) {
    Json body = {{"id", id},
                 {"owner", "soc-l2"},
                 {"provider", "openai"},
                 {"model", "gpt-4o"},
                 {"assets", {{"system_prompt", prompt}, {"tools", {"close_alert"}}}}};
    return server_->client().Post("/v1/agents", body.dump(), admin_);
  }
  Json Trust(const std::string& agent) {
    auto r = server_->client().Get("/v1/agents/" + agent + "/trust?workflow=alert_triage", admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  HttpResult Bulk(const std::string& lines) {
    return server_->client().Send("POST", "/v1/evidence:bulk", lines, admin_);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
};

TEST_F(TrustApiTest, AgentsAreRegisteredWithAFingerprintAndValidated) {
  auto c = server_->client();
  auto r = RegisterAgent("triage-1", "You triage alerts.");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["fingerprint"].get<std::string>().size(), 64u);
  EXPECT_EQ(RegisterAgent("triage-1", "again").status, 409);
  auto bad = c.Post("/v1/agents", R"({"id":"triage-2","owner":"x","assets":{"sytem_prompt":"?"}})",
                    admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["field"], "assets.sytem_prompt") << bad.body;
  auto no_owner = c.Post("/v1/agents", R"({"id":"triage-2","assets":{}})", admin_);
  EXPECT_EQ(no_owner.json()["error"]["details"]["field"], "owner") << no_owner.body;
  EXPECT_EQ(c.Get("/v1/agents/triage-1", admin_).status, 200);
  EXPECT_EQ(c.Get("/v1/agents/nobody", admin_).status, 404);
}

TEST_F(TrustApiTest, PactsArePublishedOnceAndAreImmutable) {
  Publish(1);
  std::string out, err;
  // The same file again is the same version: answered, not duplicated.
  EXPECT_EQ(Cli({"pact", "publish", WritePact(1, 0.9)}, &out, &err), 0) << err;
  // The same name and version with different content is refused.
  EXPECT_NE(Cli({"pact", "publish", WritePact(1, 0.8)}, &out, &err), 0);
  EXPECT_NE(err.find("immutable"), std::string::npos) << err;
  auto pacts = server_->client().Get("/v1/pacts", admin_).json()["pacts"];
  ASSERT_EQ(pacts.size(), 1u);
  EXPECT_EQ(pacts[0]["version"], 1);
  auto got = server_->client().Get("/v1/pacts/alert-triage", admin_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["hash"].get<std::string>().size(), 64u);
}

TEST_F(TrustApiTest, EvidenceNeedsARegisteredAgentAndACoveringPact) {
  auto c = server_->client();
  auto unknown = c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP"), admin_);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(unknown.json()["error"]["details"]["field"], "agent");
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  auto uncovered = c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP"), admin_);
  EXPECT_EQ(uncovered.status, 400) << uncovered.body;
  EXPECT_EQ(uncovered.json()["error"]["details"]["field"], "workflow");
  Publish(1);
  auto bad = c.Post("/v1/evidence", Outcome("triage-1", "maybe", "TP"), admin_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["field"], "classification.predicted") << bad.body;
  EXPECT_EQ(c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP"), admin_).status, 201);
}

TEST_F(TrustApiTest, RetriesCountOnceAndBulkIsAllOrNothing) {
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  Publish(1);
  auto c = server_->client();
  auto first = c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP", "alert-0001"), admin_);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP", "alert-0001"), admin_);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.json()["duplicate"].get<bool>());
  EXPECT_EQ(again.json()["id"], first.json()["id"]);
  EXPECT_EQ(again.json()["receipt"], first.json()["receipt"]);

  std::string lines;
  for (int i = 0; i < 40; ++i)
    lines += Outcome("triage-1", "TP", "TP", "bulk-" + std::to_string(i)) + "\n";
  auto bulk = Bulk(lines);
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  EXPECT_EQ(bulk.json()["accepted"], 40);
  auto repeat = Bulk(lines);
  EXPECT_EQ(repeat.json()["accepted"], 0);
  EXPECT_EQ(repeat.json()["duplicates"], 40);
  const double n = Trust("triage-1")["reputation"]["n"].get<double>();

  // One bad line: the request is refused naming line and field, and nothing is recorded.
  std::string mixed =
      Outcome("triage-1", "TP", "TP", "m-1") + "\n" + Outcome("triage-1", "FP", "FP", "m-2") +
      "\n" +
      R"({"kind":"production_outcome","agent":"triage-1","workflow":"alert_triage","latency_ms":-5})" +
      "\n";
  auto refused = Bulk(mixed);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("line 3"), std::string::npos)
      << refused.body;
  EXPECT_EQ(refused.json()["error"]["details"]["field"], "latency_ms") << refused.body;
  // A line that is not JSON: refused naming it (the lines are parsed in parallel, the first bad
  // one is reported), and nothing is recorded.
  const std::string good = Outcome("triage-1", "TP", "TP", "m-4") + "\n";
  std::string malformed = good + "\n" + R"({"kind": "production_outcome", "agent": )" + "\n";
  for (int i = 0; i < 200; ++i)
    malformed += Outcome("triage-1", "TP", "TP", "m-5-" + std::to_string(i)) + "\n";
  malformed += "not json\n";
  auto unparsed = Bulk(malformed);
  EXPECT_EQ(unparsed.status, 400) << unparsed.body;
  EXPECT_NE(unparsed.json()["error"]["message"].get<std::string>().find("line 3: malformed JSON"),
            std::string::npos)
      << unparsed.body;
  EXPECT_EQ(unparsed.json()["error"]["details"]["line"], 3) << unparsed.body;
  // (n decays between the two reads: the same up to the decay of a fraction of a second.)
  EXPECT_NEAR(Trust("triage-1")["reputation"]["n"].get<double>(), n, 1e-3);
}

TEST_F(TrustApiTest, TrustIsExplainedAndSurvivesARestart) {
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  Publish(1);
  std::string lines;
  for (int i = 0; i < 300; ++i)
    lines += Outcome("triage-1", i % 3 ? "TP" : "FP", i % 3 ? "TP" : "FP") + "\n";
  ASSERT_EQ(Bulk(lines).status, 200);
  Json before = Trust("triage-1");
  EXPECT_TRUE(before["reputation"]["measured"].get<bool>()) << before.dump();
  EXPECT_GT(before["reputation"]["score"].get<int>(), 900) << before.dump();
  EXPECT_LE(before["reputation"]["lower_bound"].get<int>(),
            before["reputation"]["score"].get<int>());
  EXPECT_FALSE(before["capability"]["measured"].get<bool>());
  bool accuracy_measured = false;
  for (const Json& d : before["reputation"]["dimensions"]) {
    if (d["name"] == "accuracy") accuracy_measured = d["measured"].get<bool>();
  }
  EXPECT_TRUE(accuracy_measured) << before.dump();
  EXPECT_FALSE(before["reputation"]["unmeasured"].empty());
  EXPECT_TRUE(before.contains("tier"));
  EXPECT_TRUE(before.contains("autonomy"));
  EXPECT_TRUE(before.contains("conditions"));

  auto events = server_->client().Get("/v1/events?agent=triage-1", admin_);
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_FALSE(events.json()["events"].empty()) << events.body;
  const Json logged = events.json();
  for (const Json& e : logged["events"]) {
    EXPECT_GT(e["cause_index"].get<std::uint64_t>(), 0u) << e.dump();
    EXPECT_TRUE(e["data"].contains("cause")) << e.dump();
  }

  Restart();
  Json after = Trust("triage-1");
  EXPECT_EQ(after["reputation"]["score"], before["reputation"]["score"]);
  EXPECT_EQ(after["reputation"]["lower_bound"], before["reputation"]["lower_bound"]);
  EXPECT_NEAR(after["reputation"]["n"].get<double>(), before["reputation"]["n"].get<double>(),
              1e-6 * before["reputation"]["n"].get<double>() + 1e-3);
  EXPECT_EQ(after["tier"], before["tier"]);
  // A restart replays; it does not log the events a second time.
  auto events_after = server_->client().Get("/v1/events?agent=triage-1", admin_);
  EXPECT_EQ(events_after.json()["events"].size(), events.json()["events"].size());
}

TEST_F(TrustApiTest, ARunOfMissedThreatsTripsDriftAndNarrowsAutonomy) {
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  Publish(1, 0.9);
  std::string good, bad;
  for (int i = 0; i < 200; ++i)
    good += Outcome("triage-1", "TP", "TP") + "\n";
  for (int i = 0; i < 60; ++i)
    bad += Outcome("triage-1", "FP", "TP") + "\n";  // real threats closed as false positives
  ASSERT_EQ(Bulk(good).status, 200);
  const std::string before = Trust("triage-1")["autonomy"];
  auto r = Bulk(bad);
  ASSERT_EQ(r.status, 200) << r.body;
  Json after = Trust("triage-1");
  EXPECT_TRUE(after["drifting"].get<bool>()) << after.dump();
  EXPECT_FALSE(after["recent_consequences"].empty()) << after.dump();
  auto drift = server_->client().Get("/v1/events?type=trust.drift_detected", admin_);
  ASSERT_FALSE(drift.json()["events"].empty()) << drift.body;
  auto breach = server_->client().Get("/v1/events?type=pact.breached", admin_);
  ASSERT_FALSE(breach.json()["events"].empty()) << breach.body;
  EXPECT_EQ(breach.json()["events"][0]["data"]["cause"]["condition"], "tp-recall") << breach.body;
}

TEST_F(TrustApiTest, ANewFingerprintMakesCapabilityStale) {
  ASSERT_EQ(RegisterAgent("triage-1", "v1 prompt").status, 201);
  Publish(1);
  std::string lines;
  for (int i = 0; i < 30; ++i) {
    Json e = {{"kind", "eval_case"},
              {"agent", "triage-1"},
              {"workflow", "alert_triage"},
              {"classification", {{"predicted", "TP"}, {"actual", "TP"}}}};
    lines += e.dump() + "\n";
  }
  ASSERT_EQ(Bulk(lines).status, 200);
  EXPECT_TRUE(Trust("triage-1")["fingerprint_fresh"].get<bool>());
  Json changed = {{"owner", "soc-l2"}, {"assets", {{"system_prompt", "v2 prompt"}}}};
  auto put = server_->client().Send("PUT", "/v1/agents/triage-1", changed.dump(), admin_);
  ASSERT_EQ(put.status, 200) << put.body;
  Json after = Trust("triage-1");
  EXPECT_FALSE(after["fingerprint_fresh"].get<bool>()) << after.dump();
  EXPECT_EQ(after["tier"], "unrated");
  auto events = server_->client().Get("/v1/events?type=agent.fingerprint_changed", admin_);
  EXPECT_EQ(events.json()["events"].size(), 1u) << events.body;
}

TEST_F(TrustApiTest, TenantsNeverSeeEachOthersAgentsOrTrust) {
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  Publish(1);
  ASSERT_EQ(Bulk(Outcome("triage-1", "TP", "TP") + "\n").status, 200);
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "create", "--data", (dir_.path() / "data").string(), "--tenant",
                       "acme-soc", "--name", "acme", "--scopes", "admin", "--json"},
                      &out, &err),
            0)
      << err;
  const std::string acme = Json::parse(out)["secret"];
  auto c = server_->client();
  EXPECT_EQ(c.Get("/v1/agents/triage-1", acme).status, 404);
  EXPECT_EQ(c.Get("/v1/agents/triage-1/trust", acme).status, 404);
  EXPECT_TRUE(c.Get("/v1/agents", acme).json()["agents"].empty());
  EXPECT_TRUE(c.Get("/v1/events", acme).json()["events"].empty());
  EXPECT_TRUE(c.Get("/v1/pacts", acme).json()["pacts"].empty());
  // Evidence about the other tenant's agent is about an unknown agent.
  EXPECT_EQ(c.Post("/v1/evidence", Outcome("triage-1", "TP", "TP"), acme).status, 404);
}

TEST_F(TrustApiTest, ScopesAreEnforced) {
  auto c = server_->client();
  auto reader = c.Post("/v1/keys", R"({"name":"r","scopes":["read"]})", admin_).json()["secret"];
  EXPECT_EQ(c.Post("/v1/agents", R"({"id":"a","owner":"o","assets":{}})", reader).status, 403);
  EXPECT_EQ(c.Post("/v1/evidence", Outcome("a", "TP", "TP"), reader).status, 403);
  EXPECT_EQ(c.Post("/v1/pacts", "{}", reader).status, 403);
  EXPECT_EQ(c.Get("/v1/agents", reader).status, 200);
}

TEST_F(TrustApiTest, TheCliIngestsAFileWithProgressAndCountsARerunOnce) {
  ASSERT_EQ(RegisterAgent("triage-1", "p").status, 201);
  Publish(1);
  auto file = dir_.path() / "outcomes.jsonl";
  {
    std::ofstream f(file);
    for (int i = 0; i < 500; ++i)
      f << Outcome("triage-1", "TP", i % 10 ? "TP" : "FP") << "\n";
  }
  std::string out, err;
  ASSERT_EQ(Cli({"evidence", "ingest", file.string(), "--batch-bytes", "8192"}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("500 recorded"), std::string::npos) << out;
  EXPECT_NE(err.find("500/500"), std::string::npos) << err;  // the progress line
  ASSERT_EQ(Cli({"evidence", "ingest", file.string()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("0 recorded, 500 already recorded"), std::string::npos) << out;
  {
    std::ofstream f(file, std::ios::app);
    f << R"({"kind":"production_outcome","agent":"triage-1","workflow":"alert_triage","severity":"huge"})"
      << "\n";
  }
  EXPECT_EQ(Cli({"evidence", "ingest", file.string()}, &out, &err), 1);
  EXPECT_NE(err.find("outcomes.jsonl:501: severity"), std::string::npos) << err;
  ASSERT_EQ(Cli({"trust", "triage-1"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("reputation"), std::string::npos) << out;
}

}  // namespace
}  // namespace pactum::testing
