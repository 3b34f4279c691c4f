// Runtime decisions through the real server: POST /v1/decide and /v1/decide:batch with Cedar
// boundaries that read the agent's live trust, escalation rules, fail-closed answers and a log
// receipt for every decision.
#include <fstream>

#include <gtest/gtest.h>

#include "harness.h"

namespace pactum::testing {
namespace {

constexpr const char* kPolicies = R"(@id("may-classify")
permit(principal, action == Action::"classify_alert", resource);

@id("isolate-with-proven-capability")
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
entity Alert;
entity Host = { crown_jewel: Bool };
action classify_alert appliesTo { principal: Agent, resource: Alert };
action isolate_host appliesTo {
  principal: Agent, resource: Host, context: { input: { reason: String } },
};
)";

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
    severity: critical
boundaries:
  policies: ir.cedar
  schema: soc.cedarschema
escalate_below_confidence: 0.6
)";

class DecideApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "ir.cedar") << kPolicies;
    std::ofstream(dir_.path() / "soc.cedarschema") << kSchema;
    std::ofstream(dir_.path() / "ir.yaml") << kPact;
    server_ = ServerProcess::Start(dir_.path() / "data");
    ASSERT_NE(server_, nullptr);
    key_ = server_->bootstrap_key();
    Json agent = {{"id", "ir-1"}, {"owner", "soc-l2"}, {"assets", {{"system_prompt", "p"}}}};
    ASSERT_EQ(server_->client().Post("/v1/agents", agent.dump(), key_).status, 201);
    std::string out, err;
    ASSERT_EQ(RunPactum({"pact", "publish", (dir_.path() / "ir.yaml").string(), "--server",
                         server_->url(), "--key", key_},
                        &out, &err),
              0)
        << err;
  }
  HttpResult Decide(const std::string& action, const Json& resource, Json context = nullptr,
                    std::optional<double> confidence = std::nullopt) {
    Json body = {{"agent", "ir-1"},
                 {"workflow", "incident_escalation"},
                 {"action", action},
                 {"resource", resource}};
    if (!context.is_null()) body["context"] = context;
    if (confidence) body["confidence"] = *confidence;
    return server_->client().Post("/v1/decide", body.dump(), key_);
  }
  Json Isolate(const std::string& host, bool crown_jewel) {
    auto r = Decide("isolate_host",
                    {{"type", "Host"}, {"id", host}, {"attrs", {{"crown_jewel", crown_jewel}}}},
                    {{"input", {{"reason", "beaconing to a known C2"}}}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  void Outcomes(const std::string& kind, int count, const std::string& predicted) {
    std::string lines;
    for (int i = 0; i < count; ++i) {
      Json e = {{"kind", kind},
                {"agent", "ir-1"},
                {"workflow", "incident_escalation"},
                {"classification", {{"predicted", predicted}, {"actual", "TP"}}}};
      lines += e.dump() + "\n";
    }
    auto r = server_->client().Send("POST", "/v1/evidence:bulk", lines, key_);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  static bool HasReason(const Json& decision, const std::string& code) {
    for (const Json& r : decision["reasons"]) {
      if (r["code"] == code) return true;
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string key_;
};

TEST_F(DecideApiTest, TrustGatesTheActionAndEveryDecisionIsLogged) {
  // A new agent has no proven capability: isolating a host is not permitted.
  Json first = Isolate("web-01", false);
  EXPECT_EQ(first["decision"], "deny") << first.dump();
  EXPECT_TRUE(HasReason(first, "no_permit")) << first.dump();
  ASSERT_TRUE(first["receipt"].is_object()) << first.dump();
  auto leaf = server_->client().Get(
      "/v1/log/leaves/" + std::to_string(first["receipt"]["log_index"].get<int>()), key_);
  ASSERT_EQ(leaf.status, 200) << leaf.body;
  EXPECT_EQ(leaf.json()["type"], "decision");
  EXPECT_EQ(leaf.json()["leaf"]["body"]["id"], first["id"]);

  // A good evaluation and production record earn the capability and the autonomy.
  Outcomes("eval_case", 300, "TP");
  Outcomes("production_outcome", 300, "TP");
  Json proven = Isolate("web-01", false);
  EXPECT_EQ(proven["decision"], "allow") << proven.dump();
  EXPECT_GE(proven["trust"]["capability"]["lower_bound"].get<int>(), 700) << proven.dump();
  // A crown jewel is off limits whatever the trust.
  Json jewel = Isolate("dc-01", true);
  EXPECT_EQ(jewel["decision"], "deny") << jewel.dump();
  EXPECT_TRUE(HasReason(jewel, "forbid")) << jewel.dump();
  // The agent's own low confidence sends an allowed act to a human.
  auto unsure = Decide("classify_alert", {{"type", "Alert"}, {"id", "a-1"}}, nullptr, 0.3);
  ASSERT_EQ(unsure.status, 200) << unsure.body;
  EXPECT_EQ(unsure.json()["decision"], "escalate") << unsure.body;
  EXPECT_TRUE(HasReason(unsure.json(), "low_confidence")) << unsure.body;
  EXPECT_EQ(unsure.json()["reviewer"], "soc-l2");

  // Missed threats: the critical condition is breached, the agent is suspended, and the same
  // request now goes to its owner.
  Outcomes("production_outcome", 80, "FP");
  Json suspended = Isolate("web-01", false);
  EXPECT_EQ(suspended["decision"], "escalate") << suspended.dump();
  EXPECT_TRUE(HasReason(suspended, "autonomy_suspended")) << suspended.dump();
  EXPECT_EQ(suspended["trust"]["autonomy"], "suspended");
}

TEST_F(DecideApiTest, BadRequestsAreRefusedNamingTheField) {
  auto c = server_->client();
  // The schema wants context.input.reason.
  auto no_reason =
      Decide("isolate_host", {{"type", "Host"}, {"id", "h"}, {"attrs", {{"crown_jewel", false}}}},
             {{"input", Json::object()}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_NE(no_reason.body.find("reason"), std::string::npos) << no_reason.body;
  auto unknown_action = Decide("wipe_disk", {{"type", "Host"}, {"id", "h"}});
  EXPECT_EQ(unknown_action.status, 404) << unknown_action.body;
  Json body = {{"agent", "nobody"},
               {"workflow", "incident_escalation"},
               {"action", "classify_alert"},
               {"resource", {{"type", "Alert"}, {"id", "a"}}}};
  auto unknown_agent = c.Post("/v1/decide", body.dump(), key_);
  EXPECT_EQ(unknown_agent.status, 404);
  EXPECT_EQ(unknown_agent.json()["error"]["details"]["field"], "agent") << unknown_agent.body;
  body["agent"] = "ir-1";
  body["confidence"] = 7;
  auto bad_confidence = c.Post("/v1/decide", body.dump(), key_);
  EXPECT_EQ(bad_confidence.status, 400);
  EXPECT_EQ(bad_confidence.json()["error"]["details"]["field"], "confidence");
  auto reader = c.Post("/v1/keys", R"({"name":"r","scopes":["read"]})", key_).json()["secret"];
  body.erase("confidence");
  EXPECT_EQ(c.Post("/v1/decide", body.dump(), reader).status, 403);
}

TEST_F(DecideApiTest, ABatchSharesOneCommitAndAnswersEachItem) {
  Json ok = {{"agent", "ir-1"},
             {"workflow", "incident_escalation"},
             {"action", "classify_alert"},
             {"resource", {{"type", "Alert"}, {"id", "a-1"}}}};
  Json unknown = ok;
  unknown["agent"] = "nobody";
  Json batch = {{"requests", {ok, unknown, ok}}};
  auto r = server_->client().Post("/v1/decide:batch", batch.dump(), key_);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json answer = r.json();
  const Json& decisions = answer["decisions"];
  ASSERT_EQ(decisions.size(), 3u);
  // unrated → approval: allowed by Cedar, escalated by autonomy.
  EXPECT_EQ(decisions[0]["decision"], "escalate") << r.body;
  EXPECT_TRUE(decisions[1].contains("error")) << r.body;
  EXPECT_EQ(decisions[2]["receipt"]["log_index"].get<int>(),
            decisions[0]["receipt"]["log_index"].get<int>() + 1);
}

}  // namespace
}  // namespace pactum::testing
