// Human review through the real server: escalations become reviews with an owner and a
// deadline, resolutions are evidence about the agent, overdue reviews raise an event,
// supervised allows are sampled into the queue, an admin switches a pact to shadow mode, and
// with the store unwritable decide does not allow.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "pactum/store/sqlite.h"

#include "harness.h"

namespace pactum::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPolicies = R"(@id("may-classify")
permit(principal, action == Action::"classify_alert", resource);

@id("closing-a-high-needs-a-lead")
@escalate("soc-lead")
permit(principal, action == Action::"close_alert", resource)
when { resource.priority == "High" };
)";

constexpr const char* kSchema = R"(entity Agent = {
  tier: String, autonomy: String, capability: Long, capability_lb: Long, reputation: Long,
  reputation_lb: Long, drifting: Bool, fingerprint_fresh: Bool, workflow: String,
};
entity Alert = { priority: String };
action classify_alert, close_alert appliesTo { principal: Agent, resource: Alert };
)";

// Unrated agents act only with approval: every permitted act is escalated. Reviews are due
// after one second, so the overdue sweep can be seen.
constexpr const char* kEscalating = R"(pact: triage-approval
version: 1
workflow: alert_triage
agents: ["tri-*"]
owner: soc-l1
boundaries:
  policies: triage.cedar
  schema: soc.cedarschema
review_sla: 1s
)";

// Unrated agents are supervised and every allow is sampled for review.
constexpr const char* kSupervised = R"(pact: enrichment
version: 1
workflow: enrichment
agents: ["enr-*"]
owner: soc-l1
boundaries:
  policies: triage.cedar
  schema: soc.cedarschema
autonomy: { unrated: supervised }
supervised_sample_rate: 1
)";

class ReviewsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "triage.cedar") << kPolicies;
    std::ofstream(dir_.path() / "soc.cedarschema") << kSchema;
    std::ofstream(dir_.path() / "approval.yaml") << kEscalating;
    std::ofstream(dir_.path() / "supervised.yaml") << kSupervised;
    server_ = ServerProcess::Start(dir_.path() / "data");
    ASSERT_NE(server_, nullptr);
    key_ = server_->bootstrap_key();
    for (const char* id : {"tri-1", "enr-1"}) {
      Json agent = {{"id", id}, {"owner", "soc-l1"}, {"assets", {{"system_prompt", "p"}}}};
      ASSERT_EQ(server_->client().Post("/v1/agents", agent.dump(), key_).status, 201);
    }
    for (const char* file : {"approval.yaml", "supervised.yaml"}) {
      std::string out, err;
      ASSERT_EQ(RunPactum({"pact", "publish", (dir_.path() / file).string(), "--server",
                           server_->url(), "--key", key_},
                          &out, &err),
                0)
          << err;
    }
  }

  Json Decide(const std::string& agent, const std::string& workflow, const std::string& action,
              const std::string& priority, const std::string& query = "") {
    Json body = {
        {"agent", agent},
        {"workflow", workflow},
        {"action", action},
        {"resource", {{"type", "Alert"}, {"id", "a-1"}, {"attrs", {{"priority", priority}}}}}};
    auto r = server_->client().Post("/v1/decide" + query, body.dump(), key_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  Json Get(const std::string& path, const std::string& key = "") {
    auto r = server_->client().Get(path, key.empty() ? key_ : key);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.json();
  }
  std::string Key(const std::string& name, const Json& scopes) {
    Json body = {{"name", name}, {"scopes", scopes}};
    return server_->client().Post("/v1/keys", body.dump(), key_).json()["secret"];
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string key_;
};

TEST_F(ReviewsApiTest, AnEscalationIsAReviewAndItsResolutionIsEvidence) {
  Json d = Decide("tri-1", "alert_triage", "close_alert", "High");
  ASSERT_EQ(d["decision"], "escalate") << d.dump();
  EXPECT_EQ(d["reviewer"], "soc-lead");
  ASSERT_TRUE(d["review_id"].is_string()) << d.dump();
  const std::string id = d["review_id"];

  Json queue = Get("/v1/reviews?owner=soc-lead&status=pending")["reviews"];
  ASSERT_EQ(queue.size(), 1u) << queue.dump();
  EXPECT_EQ(queue[0]["id"], id);
  EXPECT_EQ(queue[0]["kind"], "escalation");
  EXPECT_EQ(queue[0]["decision_id"], d["id"]);
  EXPECT_EQ(queue[0]["decision_index"], d["receipt"]["log_index"]);
  EXPECT_TRUE(Get("/v1/reviews?owner=soc-l1")["reviews"].empty());
  Json one = Get("/v1/reviews/" + id);
  EXPECT_EQ(one["decision"]["action"], "close_alert") << one.dump();

  Json escalated = Get("/v1/events?type=decision.escalated")["events"];
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0]["data"]["review_id"], id);
  EXPECT_EQ(escalated[0]["log_index"], d["receipt"]["log_index"]);

  // Scopes: reading is not resolving.
  auto c = server_->client();
  const std::string reader = Key("reader", {"read"});
  const std::string reviewer = Key("lead", {"reviews:write", "read"});
  EXPECT_EQ(c.Post("/v1/reviews/" + id + "/resolve", R"({"decision":"approve"})", reader).status,
            403);
  auto bad = c.Post("/v1/reviews/" + id + "/resolve", R"({"decision":"maybe"})", reviewer);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["field"], "decision") << bad.body;
  EXPECT_EQ(c.Post("/v1/reviews/nope/resolve", R"({"decision":"deny"})", reviewer).status, 404);

  auto resolved = c.Post("/v1/reviews/" + id + "/resolve",
                         R"({"decision":"approve","note":"checked the host"})", reviewer);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.json()["status"], "approved");
  EXPECT_EQ(resolved.json()["resolved_by"], "lead");
  auto again = c.Post("/v1/reviews/" + id + "/resolve", R"({"decision":"deny"})", reviewer);
  EXPECT_EQ(again.status, 409) << again.body;

  // The resolution is a review_resolution evidence item in the log, with its event.
  Json event = Get("/v1/events?type=review.resolved")["events"];
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0]["data"]["decision"], "approve");
  const int index = resolved.json()["resolution_index"];
  Json leaf = Get("/v1/log/leaves/" + std::to_string(index));
  EXPECT_EQ(leaf["type"], "evidence");
  EXPECT_EQ(leaf["leaf"]["body"]["evidence"]["kind"], "review_resolution") << leaf.dump();
  EXPECT_EQ(leaf["leaf"]["body"]["evidence"]["review"]["review_id"], id);
  EXPECT_TRUE(Get("/v1/reviews?status=pending")["reviews"].empty());
  EXPECT_EQ(Get("/v1/reviews?status=approved")["reviews"].size(), 1u);
  EXPECT_EQ(c.Get("/v1/reviews?status=open", key_).status, 400);
}

TEST_F(ReviewsApiTest, AnUnresolvedReviewBecomesOverdueOnce) {
  Json d = Decide("tri-1", "alert_triage", "classify_alert", "Low");
  ASSERT_EQ(d["decision"], "escalate") << d.dump();
  const std::string id = d["review_id"];
  Json overdue;
  for (int i = 0; i < 100; ++i) {
    overdue = Get("/v1/events?type=review.overdue")["events"];
    if (!overdue.empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(overdue.size(), 1u) << overdue.dump();
  EXPECT_EQ(overdue[0]["data"]["review_id"], id);
  EXPECT_EQ(overdue[0]["cause_index"], d["receipt"]["log_index"]);
  Json listed = Get("/v1/reviews?status=overdue")["reviews"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0]["overdue"].get<bool>());
  // Announced once, not at every sweep.
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(Get("/v1/events?type=review.overdue")["events"].size(), 1u);
  // It can still be resolved late.
  auto late =
      server_->client().Post("/v1/reviews/" + id + "/resolve", R"({"decision":"deny"})", key_);
  EXPECT_EQ(late.status, 200) << late.body;
  EXPECT_EQ(late.json()["status"], "denied");
}

TEST_F(ReviewsApiTest, SupervisedAllowsAreSampledIntoTheQueue) {
  Json d = Decide("enr-1", "enrichment", "classify_alert", "Low");
  EXPECT_EQ(d["decision"], "allow") << d.dump();
  EXPECT_TRUE(d["sampled_for_review"].get<bool>());
  ASSERT_TRUE(d["review_id"].is_string()) << d.dump();
  Json queue = Get("/v1/reviews?agent=enr-1")["reviews"];
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0]["kind"], "sample");
  EXPECT_EQ(queue[0]["owner"], "soc-l1");
  // A sample is not an escalation.
  EXPECT_TRUE(Get("/v1/events?type=decision.escalated")["events"].empty());
}

TEST_F(ReviewsApiTest, DecideCanWaitForTheReview) {
  Json d;
  std::thread resolver([&] {
    for (int i = 0; i < 100; ++i) {
      Json queue = Get("/v1/reviews?status=pending")["reviews"];
      if (!queue.empty()) {
        auto r =
            server_->client().Post("/v1/reviews/" + queue[0]["id"].get<std::string>() + "/resolve",
                                   R"({"decision":"approve"})", key_);
        EXPECT_EQ(r.status, 200) << r.body;
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  });
  d = Decide("tri-1", "alert_triage", "close_alert", "High", "?wait=10s");
  resolver.join();
  EXPECT_EQ(d["decision"], "escalate") << d.dump();
  ASSERT_TRUE(d["review_state"].is_object()) << d.dump();
  EXPECT_EQ(d["review_state"]["status"], "approved") << d.dump();
  // A wait that ends first answers the pending review.
  Json pending = Decide("tri-1", "alert_triage", "close_alert", "High", "?wait=200ms");
  EXPECT_EQ(pending["review_state"]["status"], "pending") << pending.dump();
  auto bad = server_->client().Post(
      "/v1/decide?wait=forever",
      R"({"agent":"tri-1","workflow":"alert_triage","action":"classify_alert","resource":{"type":"Alert","id":"a","attrs":{"priority":"Low"}}})",
      key_);
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(ReviewsApiTest, AStoppingServerAnswersTheDecisionsWaitingForReview) {
  Json d;
  const auto start = std::chrono::steady_clock::now();
  std::thread waiting(
      [&] { d = Decide("tri-1", "alert_triage", "close_alert", "High", "?wait=30s"); });
  // Stop the server once the decision is waiting in the queue.
  for (int i = 0; i < 100 && Get("/v1/reviews?status=pending")["reviews"].empty(); ++i)
    std::this_thread::sleep_for(20ms);
  server_->Signal(SIGTERM);
  waiting.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(d["decision"], "escalate") << d.dump();
  EXPECT_EQ(d["review_state"]["status"], "pending") << d.dump();
  EXPECT_EQ(server_->Wait(10s), 0);
}

TEST_F(ReviewsApiTest, AnAdminSwitchesAPactToShadowAndItIsLogged) {
  // Cedar permits closing only High alerts: closing a Low is a denial in enforce mode.
  auto c = server_->client();
  Json deny = Decide("enr-1", "enrichment", "close_alert", "Low");
  EXPECT_EQ(deny["decision"], "deny") << deny.dump();

  const std::string writer = Key("writer", {"pacts:write", "read", "decide"});
  EXPECT_EQ(c.Send("PUT", "/v1/pacts/enrichment/mode", R"({"mode":"shadow"})", writer).status, 403);
  auto bad = c.Send("PUT", "/v1/pacts/enrichment/mode", R"({"mode":"loud"})", key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["field"], "mode");
  EXPECT_EQ(c.Send("PUT", "/v1/pacts/nope/mode", R"({"mode":"shadow"})", key_).status, 404);
  auto shadow = c.Send("PUT", "/v1/pacts/enrichment/mode", R"({"mode":"shadow"})", key_);
  ASSERT_EQ(shadow.status, 200) << shadow.body;
  Json leaf = Get("/v1/log/leaves/" + std::to_string(shadow.json()["log_index"].get<int>()));
  EXPECT_EQ(leaf["type"], "pact.mode");
  EXPECT_EQ(leaf["leaf"]["body"]["mode"], "shadow");

  Json shadowed = Decide("enr-1", "enrichment", "close_alert", "Low");
  EXPECT_EQ(shadowed["decision"], "allow") << shadowed.dump();
  EXPECT_EQ(shadowed["shadow_decision"], "deny") << shadowed.dump();

  // The switch survives a restart.
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->Wait(10s), 0);
  server_ = ServerProcess::Start(dir_.path() / "data");
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(Decide("enr-1", "enrichment", "close_alert", "Low")["shadow_decision"], "deny");

  ASSERT_EQ(server_->client()
                .Send("PUT", "/v1/pacts/enrichment/mode", R"({"mode":"enforce"})", key_)
                .status,
            200);
  Json enforced = Decide("enr-1", "enrichment", "close_alert", "Low");
  EXPECT_EQ(enforced["decision"], "deny") << enforced.dump();
  EXPECT_FALSE(enforced.contains("shadow_decision"));
}

TEST_F(ReviewsApiTest, WithTheStoreUnwritableDecideDoesNotAllow) {
  // Allowed while the store takes writes.
  ASSERT_EQ(Decide("enr-1", "enrichment", "classify_alert", "Low")["decision"], "allow");
  // Another process holds the database's write lock: every commit fails (after SQLite's busy
  // timeout), so no decision can be recorded.
  auto db = store::Connection::Open(dir_.path() / "data" / "pactum.db");
  ASSERT_TRUE(db.ok()) << db.status().message();
  ASSERT_TRUE((*db)->Exec("BEGIN IMMEDIATE").ok());
  Json blocked = Decide("enr-1", "enrichment", "classify_alert", "Low");
  EXPECT_EQ(blocked["decision"], "deny") << blocked.dump();
  EXPECT_TRUE(blocked["receipt"].is_null()) << blocked.dump();
  bool internal = false;
  for (const Json& r : blocked["reasons"])
    internal = internal || r["code"] == "internal";
  EXPECT_TRUE(internal) << blocked.dump();
  ASSERT_TRUE((*db)->Exec("ROLLBACK").ok());
  // Writable again: decisions are recorded and allowed again.
  Json after = Decide("enr-1", "enrichment", "classify_alert", "Low");
  EXPECT_EQ(after["decision"], "allow") << after.dump();
  EXPECT_TRUE(after["receipt"].is_object());
}

}  // namespace
}  // namespace pactum::testing
