// The whole loop of issue 6 through the HTTP API, with a real webhook receiver: an agent with a
// good history may isolate a host; a run of missed threats trips the drift alarm, autonomy
// narrows and the same request escalates to the pact owner; the owner approves, good outcomes
// let the SPRT restore autonomy, and the request is allowed again. Every step is a log leaf,
// and every event reached the receiver with a valid signature.
#include <algorithm>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "../webhooks/receiver.h"
#include "harness.h"

namespace pactum::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPolicies = R"(@id("isolate-with-proven-capability")
permit(principal, action == Action::"isolate_host", resource)
when { principal.capability_lb >= 700 };

@id("crown-jewels-are-off-limits")
forbid(principal, action == Action::"isolate_host", resource)
when { resource.crown_jewel };
)";

constexpr const char* kSchema = R"(entity Agent = {
  tier: String, autonomy: String, capability: Long, capability_lb: Long, reputation: Long,
  reputation_lb: Long, drifting: Bool, fingerprint_fresh: Bool, workflow: String,
};
entity Host = { crown_jewel: Bool };
action isolate_host appliesTo {
  principal: Agent, resource: Host, context: { input: { reason: String } },
};
)";

// Rated agents act under supervision (no sampling, so the test is deterministic); one narrow
// takes them to approval. A missed threat is a minor breach (a warning), so only the drift
// chart narrows autonomy here.
constexpr const char* kPact = R"(pact: incident-response
version: 1
workflow: incident_escalation
agents: ["ir-*"]
owner: soc-l2
conditions:
  - id: tp-recall
    metric: classification.tpr
    op: gte
    threshold: 0.9
    window: 7d
    min_samples: 20
    severity: minor
boundaries:
  policies: ir.cedar
  schema: soc.cedarschema
autonomy: { platinum: supervised, gold: supervised, silver: supervised, bronze: approval, unrated: approval }
supervised_sample_rate: 0
)";

class LoopApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "ir.cedar") << kPolicies;
    std::ofstream(dir_.path() / "soc.cedarschema") << kSchema;
    std::ofstream(dir_.path() / "ir.yaml") << kPact;
    server_ = ServerProcess::Start(dir_.path() / "data");
    ASSERT_NE(server_, nullptr);
    key_ = server_->bootstrap_key();
  }
  HttpClient c() const { return server_->client(); }
  Json Isolate() {
    Json body = {
        {"agent", "ir-1"},
        {"workflow", "incident_escalation"},
        {"action", "isolate_host"},
        {"resource", {{"type", "Host"}, {"id", "web-01"}, {"attrs", {{"crown_jewel", false}}}}},
        {"context", {{"input", {{"reason", "beaconing to a known C2"}}}}}};
    auto r = c().Post("/v1/decide", body.dump(), key_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  void Outcomes(const std::string& kind, int count, const std::string& predicted) {
    std::string lines;
    for (int i = 0; i < count; ++i) {
      Json e = {{"kind", kind},
                {"agent", "ir-1"},
                {"workflow", "incident_escalation"},
                {"subject", "alert-" + std::to_string(next_alert_++)},
                {"classification", {{"predicted", predicted}, {"actual", "TP"}}}};
      lines += e.dump() + "\n";
    }
    auto r = c().Send("POST", "/v1/evidence:bulk", lines, key_);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  std::vector<Json> Events(const std::string& type = "") {
    std::vector<Json> all;
    for (std::uint64_t after = 0;;) {
      std::string path = "/v1/events?limit=1000&after=" + std::to_string(after);
      if (!type.empty()) path += "&type=" + type;
      auto r = c().Get(path, key_);
      EXPECT_EQ(r.status, 200) << r.body;
      const Json page = r.json()["events"];
      for (const Json& e : page)
        all.push_back(e);
      if (page.size() < 1000) return all;
      after = page.back()["log_index"].get<std::uint64_t>();
    }
  }
  static bool HasReason(const Json& decision, const std::string& code) {
    for (const Json& r : decision["reasons"]) {
      if (r["code"] == code) return true;
    }
    return false;
  }
  // The leaf exists, belongs to us, and has an inclusion proof in the current log.
  void ExpectLogged(std::uint64_t index, const std::string& type) {
    auto leaf = c().Get("/v1/log/leaves/" + std::to_string(index), key_);
    ASSERT_EQ(leaf.status, 200) << leaf.body;
    if (!type.empty()) {
      EXPECT_EQ(leaf.json()["type"], type) << leaf.body;
    }
    auto proof = c().Get("/v1/log/proof/inclusion?index=" + std::to_string(index), key_);
    EXPECT_EQ(proof.status, 200) << proof.body;
  }

  TempDir dir_;
  Receiver receiver_;
  std::unique_ptr<ServerProcess> server_;
  std::string key_;
  int next_alert_ = 0;
};

TEST_F(LoopApiTest, DriftNarrowsAutonomyAndApprovalsWithGoodOutcomesRestoreIt) {
  // A receiver subscribed to every event, before anything happens.
  Json hook = {{"url", receiver_.Url("/soc")}, {"events", {"*"}}};
  auto subscribed = c().Post("/v1/webhooks", hook.dump(), key_);
  ASSERT_EQ(subscribed.status, 201) << subscribed.body;
  receiver_.SetSecret("/soc", subscribed.json()["secret"]);

  Json agent = {{"id", "ir-1"}, {"owner", "soc-l2"}, {"assets", {{"system_prompt", "p"}}}};
  ASSERT_EQ(c().Post("/v1/agents", agent.dump(), key_).status, 201);
  std::string out, err;
  ASSERT_EQ(RunPactum({"pact", "publish", (dir_.path() / "ir.yaml").string(), "--server",
                       server_->url(), "--key", key_},
                      &out, &err),
            0)
      << err;

  // 1. A good evaluation and production history: isolating a host is allowed.
  Outcomes("eval_case", 300, "TP");
  Outcomes("production_outcome", 300, "TP");
  Json allowed = Isolate();
  ASSERT_EQ(allowed["decision"], "allow") << allowed.dump();
  EXPECT_EQ(allowed["trust"]["autonomy"], "supervised");
  ExpectLogged(allowed["receipt"]["log_index"], "decision");

  // 2. Missed threats, one after another: the drift chart alarms long before the window's
  // recall falls below 0.9, and the narrowing takes autonomy to approval.
  int missed = 0;
  while (Events("trust.drift_detected").empty() && missed < 20) {
    Outcomes("production_outcome", 1, "FP");
    ++missed;
  }
  ASSERT_FALSE(Events("trust.drift_detected").empty()) << "no drift alarm after 20 misses";
  EXPECT_TRUE(Events("pact.breached").empty()) << "the window's recall should still pass";
  Json escalated = Isolate();
  ASSERT_EQ(escalated["decision"], "escalate") << escalated.dump();
  EXPECT_TRUE(HasReason(escalated, "autonomy_approval")) << escalated.dump();
  EXPECT_EQ(escalated["reviewer"], "soc-l2");
  EXPECT_TRUE(escalated["trust"]["drifting"].get<bool>());
  ASSERT_TRUE(escalated["review_id"].is_string());

  // 3. The owner approves; good outcomes follow until the SPRT accepts that the agent is back
  // in control, which lifts the narrowing.
  auto approved = c().Post("/v1/reviews/" + escalated["review_id"].get<std::string>() + "/resolve",
                           R"({"decision":"approve","note":"host confirmed compromised"})", key_);
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto restored = [&] {
    for (const Json& e : Events("consequence.applied"))
      if (e["data"]["action"] == "restore") return true;
    return false;
  };
  int good = 0;
  while (!restored() && good < 100) {
    Outcomes("production_outcome", 5, "TP");
    good += 5;
  }
  ASSERT_TRUE(restored()) << "no restore after " << good << " good outcomes";
  Json again = Isolate();
  EXPECT_EQ(again["decision"], "allow") << again.dump();
  EXPECT_FALSE(again["trust"]["drifting"].get<bool>());

  // 4. Every step is in the log, and every event reached the receiver, signed.
  std::vector<Json> events = Events();
  std::set<std::string> types;
  for (const Json& e : events) {
    types.insert(e["type"].get<std::string>());
    ExpectLogged(e["log_index"], "");
  }
  for (const char* t : {"pact.published", "score.changed", "tier.changed", "trust.drift_detected",
                        "consequence.applied", "decision.escalated", "review.resolved"})
    EXPECT_EQ(types.count(t), 1u) << "no " << t << " event";
  ExpectLogged(escalated["receipt"]["log_index"], "decision");
  ExpectLogged(again["receipt"]["log_index"], "decision");
  ExpectLogged(approved.json()["resolution_index"], "evidence");

  std::set<std::string> wanted;
  for (const Json& e : events)
    wanted.insert(e["id"].get<std::string>());
  ASSERT_TRUE(receiver_.WaitFor(
      "/soc",
      [&](const std::vector<Received>& got) {
        std::set<std::string> ids;
        for (const Received& r : got)
          ids.insert(r.id);
        return std::includes(ids.begin(), ids.end(), wanted.begin(), wanted.end());
      },
      30s))
      << "not every event was delivered";
  for (const Received& r : receiver_.To("/soc"))
    EXPECT_TRUE(r.verified) << r.id << ": " << r.verify_error;
}

}  // namespace
}  // namespace pactum::testing
