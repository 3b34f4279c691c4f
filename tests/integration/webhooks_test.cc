// Webhooks through the real `pactum serve` and `pactum webhooks`: a receiver on loopback (a
// real HTTP server in this process) verifies every message with the webhooks module. Events
// arrive once each, signed, filtered; a failing receiver sees backoff and the subscription is
// disabled, then enabling it delivers what waited; tenants are isolated; bad input is refused
// naming the field; and a server killed with SIGKILL mid-delivery loses nothing.
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>

#include "../webhooks/receiver.h"
#include "fixtures.h"
#include "harness.h"

namespace pactum::testing {
namespace {

using std::chrono::milliseconds;

constexpr const char* kPolicies = fixtures::kClassifyPolicies;

constexpr const char* kSchema = fixtures::kClassifySchema;

std::string PactYaml(int version) {
  return "pact: alert-triage\nversion: " + std::to_string(version) +
         "\nworkflow: alert_triage\nagents: [\"triage-*\"]\nowner: soc-l2\nmode: enforce\n"
         "conditions:\n"
         "  - id: tp-recall\n    metric: classification.tpr\n    op: gte\n    threshold: 0.9\n"
         "    window: 7d\n    min_samples: 5\n    severity: major\n    dimension: accuracy\n"
         "boundaries:\n  policies: triage.cedar\n  schema: soc.cedarschema\n"
         "consequences: {critical: suspend, major: narrow, minor: warn}\n";
}

std::string Outcomes(const std::string& agent, int n, int seed) {
  std::string lines;
  for (int i = 0; i < n; ++i) {
    // Mostly right, sometimes wrong, so scores and tiers move.
    const bool right = (i + seed) % 4 != 0;
    Json j = {{"kind", "production_outcome"},
              {"agent", agent},
              {"workflow", "alert_triage"},
              {"classification", {{"predicted", right ? "TP" : "FP"}, {"actual", "TP"}}}};
    lines += j.dump() + "\n";
  }
  return lines;
}

class WebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.path() / "triage.cedar") << kPolicies;
    std::ofstream(dir_.path() / "soc.cedarschema") << kSchema;
    Start();
  }
  void Start() {
    server_ = ServerProcess::Start(
        dir_.path() / "data", {"--webhook-retry-base-ms", "200", "--webhook-disable-after", "3"});
    ASSERT_NE(server_, nullptr);
    if (admin_.empty()) admin_ = server_->bootstrap_key();
    ASSERT_FALSE(admin_.empty());
  }
  int Cli(std::vector<std::string> args, std::string* out, std::string* err,
          const std::string& key = "") {
    args.insert(args.end(), {"--server", server_->url(), "--key", key.empty() ? admin_ : key});
    return RunPactum(args, out, err);
  }
  void Publish(int version) {
    auto p = dir_.path() / ("alert-triage-v" + std::to_string(version) + ".yaml");
    std::ofstream(p) << PactYaml(version);
    std::string out, err;
    ASSERT_EQ(Cli({"pact", "publish", p.string()}, &out, &err), 0) << err;
  }
  void RegisterAgent(const std::string& id) {
    Json body = {{"id", id},
                 {"owner", "soc-l2"},
                 {"assets", {{"system_prompt", "You triage alerts."}, {"tools", {"close_alert"}}}}};
    auto r = server_->client().Post("/v1/agents", body.dump(), admin_);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void Evidence(const std::string& agent, int n, int seed) {
    auto r = server_->client().Send("POST", "/v1/evidence:bulk", Outcomes(agent, n, seed), admin_);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Subscribes `path` of the receiver; returns the subscription's JSON (with its secret).
  Json Subscribe(const std::string& path, const Json& events, const std::string& key = "") {
    Json body = {{"url", receiver_.Url(path)}, {"events", events}};
    auto r = server_->client().Post("/v1/webhooks", body.dump(), key.empty() ? admin_ : key);
    EXPECT_EQ(r.status, 201) << r.body;
    Json w = r.json();
    receiver_.SetSecret(path, w.value("secret", ""));
    return w;
  }
  // Every event of the tenant, in log order.
  std::vector<Json> Events() {
    std::vector<Json> all;
    std::uint64_t after = 0;
    while (true) {
      auto r = server_->client().Get(
          "/v1/events?limit=1000" + (all.empty() ? "" : "&after=" + std::to_string(after)), admin_);
      EXPECT_EQ(r.status, 200) << r.body;
      Json page = r.json()["events"];
      for (const Json& e : page)
        all.push_back(e);
      if (page.size() < 1000) return all;
      after = page.back()["log_index"].get<std::uint64_t>();
    }
  }
  Json Webhook(const std::string& id) {
    auto r = server_->client().Get("/v1/webhooks/" + id, admin_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  TempDir dir_;
  Receiver receiver_;
  std::unique_ptr<ServerProcess> server_;
  std::string admin_;
};

// The data a message carries is the event as GET /v1/events shows it.
Json DataOf(const Received& r) {
  return Json::parse(r.body)["data"];
}

TEST_F(WebhooksTest, EverySubscribedEventArrivesOnceSignedAndFiltered) {
  const Json all = Subscribe("/all", Json::array({"*"}));
  Subscribe("/pacts", Json::array({"pact.published"}));
  Subscribe("/scores", Json::array({"score.*", "tier.changed"}));
  Publish(1);
  RegisterAgent("triage-1");
  Evidence("triage-1", 30, 0);
  Publish(2);
  const std::vector<Json> events = Events();
  ASSERT_GE(events.size(), 3u);
  std::set<std::string> types;
  for (const Json& e : events)
    types.insert(e["type"].get<std::string>());
  EXPECT_TRUE(types.count("pact.published") && types.count("score.changed")) << events.size();

  auto expect_exactly = [&](const std::string& path, auto selects) {
    std::vector<Json> wanted;
    for (const Json& e : events)
      if (selects(e["type"].get<std::string>())) wanted.push_back(e);
    ASSERT_TRUE(receiver_.WaitFor(
        path, [&](const auto& got) { return got.size() >= wanted.size(); }, milliseconds(20000)))
        << path << ": " << receiver_.To(path).size() << " of " << wanted.size();
    std::this_thread::sleep_for(milliseconds(300));  // nothing more comes
    auto got = receiver_.To(path);
    ASSERT_EQ(got.size(), wanted.size()) << path;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(got[i].verified) << path << ": " << got[i].verify_error;
      // In log order, each once, carrying the event itself under its own id.
      EXPECT_EQ(got[i].id, wanted[i]["id"]) << path << " #" << i;
      EXPECT_EQ(DataOf(got[i]), wanted[i]) << path << " #" << i;
      const Json body = Json::parse(got[i].body);
      EXPECT_EQ(body["type"], wanted[i]["type"]);
      EXPECT_EQ(body["timestamp"], wanted[i]["time"]);
    }
  };
  expect_exactly("/all", [](const std::string&) { return true; });
  expect_exactly("/pacts", [](const std::string& t) { return t == "pact.published"; });
  expect_exactly("/scores", [](const std::string& t) {
    return t.rfind("score.", 0) == 0 || t == "tier.changed";
  });

  auto deliveries = server_->client().Get(
      "/v1/webhooks/" + all["id"].get<std::string>() + "/deliveries?limit=1000", admin_);
  ASSERT_EQ(deliveries.status, 200) << deliveries.body;
  const Json listed = deliveries.json()["deliveries"];
  ASSERT_EQ(listed.size(), events.size());
  for (const Json& d : listed) {
    EXPECT_EQ(d["status"], "delivered") << d.dump();
    EXPECT_EQ(d["attempts"], 1) << d.dump();
  }
}

TEST_F(WebhooksTest, AFailingReceiverIsRetriedWithBackoffThenDisabledAndEnablingDelivers) {
  receiver_.SetStatus("/down", 500);
  const std::string id = Subscribe("/down", Json::array({"pact.published"}))["id"];
  Publish(1);
  // --webhook-disable-after 3: three attempts, 200 ms then 400 ms apart (±20%), then no more.
  ASSERT_TRUE(receiver_.WaitFor(
      "/down", [](const auto& got) { return got.size() >= 3; }, milliseconds(10000)));
  std::this_thread::sleep_for(milliseconds(1500));
  auto got = receiver_.To("/down");
  ASSERT_EQ(got.size(), 3u);
  const auto gap1 = std::chrono::duration_cast<milliseconds>(got[1].at - got[0].at);
  const auto gap2 = std::chrono::duration_cast<milliseconds>(got[2].at - got[1].at);
  EXPECT_GE(gap1.count(), 150);
  EXPECT_GE(gap2.count(), 300);
  EXPECT_GT(gap2, gap1);
  for (const Received& r : got) {
    EXPECT_TRUE(r.verified) << r.verify_error;
    EXPECT_EQ(r.id, got[0].id);  // a retry is the same message
    EXPECT_EQ(r.body, got[0].body);
  }
  Json w = Webhook(id);
  EXPECT_FALSE(w["enabled"].get<bool>()) << w.dump();
  EXPECT_EQ(w["consecutive_failures"], 3);
  EXPECT_NE(w["disabled_reason"].get<std::string>().find("3 consecutive"), std::string::npos)
      << w.dump();
  auto pending =
      server_->client().Get("/v1/webhooks/" + id + "/deliveries?status=pending", admin_).json();
  ASSERT_EQ(pending["deliveries"].size(), 1u) << pending.dump();
  EXPECT_EQ(pending["deliveries"][0]["attempts"], 3);
  EXPECT_EQ(pending["deliveries"][0]["last_status"], 500);

  // The receiver is fixed and the subscription enabled: what waited is delivered, same message.
  receiver_.SetStatus("/down", 200);
  std::string out, err;
  ASSERT_EQ(Cli({"webhooks", "enable", id}, &out, &err), 0) << err;
  EXPECT_NE(out.find("enabled"), std::string::npos) << out;
  ASSERT_TRUE(receiver_.WaitFor(
      "/down", [](const auto& all) { return all.size() >= 4; }, milliseconds(5000)));
  got = receiver_.To("/down");
  EXPECT_EQ(got[3].id, got[0].id);
  EXPECT_EQ(got[3].body, got[0].body);
  EXPECT_TRUE(got[3].verified);
  // Recorded once the receiver's 2xx is back.
  Json delivered;
  for (int i = 0; i < 100; ++i) {
    delivered =
        server_->client().Get("/v1/webhooks/" + id + "/deliveries?status=delivered", admin_).json();
    if (!delivered["deliveries"].empty()) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_EQ(delivered["deliveries"].size(), 1u) << delivered.dump();
  EXPECT_EQ(delivered["deliveries"][0]["attempts"], 4);
}

TEST_F(WebhooksTest, TheCliManagesSubscriptionsAndTestsThem) {
  std::string out, err;
  ASSERT_EQ(Cli({"webhooks", "add", "--url", receiver_.Url("/cli"), "--events",
                 "pact.published,review.*", "--description", "SOAR intake", "--json"},
                &out, &err),
            0)
      << err;
  const Json added = Json::parse(out);
  const std::string id = added["id"];
  EXPECT_TRUE(added["secret"].get<std::string>().starts_with("whsec_"));
  EXPECT_EQ(added["events"], Json::array({"pact.published", "review.*"}));
  receiver_.SetSecret("/cli", added["secret"]);
  // The secret is shown once: not by get or list.
  EXPECT_FALSE(Webhook(id).contains("secret"));
  ASSERT_EQ(Cli({"webhooks", "list"}, &out, &err), 0) << err;
  EXPECT_NE(out.find(id), std::string::npos) << out;
  EXPECT_NE(out.find("SOAR intake"), std::string::npos) << out;
  EXPECT_EQ(out.find("whsec_"), std::string::npos) << out;

  ASSERT_EQ(Cli({"webhooks", "test", id}, &out, &err), 0) << err << out;
  EXPECT_NE(out.find("delivered: HTTP 200"), std::string::npos) << out;
  auto got = receiver_.To("/cli");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].verified) << got[0].verify_error;
  EXPECT_EQ(Json::parse(got[0].body)["type"], "webhook.test");
  EXPECT_EQ(Json::parse(got[0].body)["data"]["webhook"], id);

  receiver_.SetStatus("/cli", 503);
  EXPECT_NE(Cli({"webhooks", "test", id}, &out, &err), 0);
  EXPECT_NE(out.find("NOT delivered: HTTP 503"), std::string::npos) << out;
  // A test touches no failure count.
  EXPECT_EQ(Webhook(id)["consecutive_failures"], 0);
  EXPECT_TRUE(Webhook(id)["enabled"].get<bool>());

  ASSERT_EQ(Cli({"webhooks", "remove", id}, &out, &err), 0) << err;
  EXPECT_EQ(server_->client().Get("/v1/webhooks/" + id, admin_).status, 404);
  EXPECT_NE(Cli({"webhooks", "remove", id}, &out, &err), 0);
  EXPECT_NE(Cli({"webhooks", "add", "--url", receiver_.Url("/cli"), "--events", "tier.chnged"},
                &out, &err),
            0);
  EXPECT_NE(err.find("events[0]"), std::string::npos) << err;
}

TEST_F(WebhooksTest, TenantsNeverSeeOrReceiveEachOthers) {
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "create", "--data", (dir_.path() / "data").string(), "--tenant",
                       "acme-soc", "--name", "acme", "--scopes", "admin", "--json"},
                      &out, &err),
            0)
      << err;
  const std::string acme = Json::parse(out)["secret"];
  const std::string mine = Subscribe("/mine", Json::array({"*"}))["id"];
  const std::string theirs = Subscribe("/theirs", Json::array({"*"}), acme)["id"];
  auto c = server_->client();
  EXPECT_EQ(c.Get("/v1/webhooks/" + mine, acme).status, 404);
  EXPECT_EQ(c.Delete("/v1/webhooks/" + mine, acme).status, 404);
  EXPECT_EQ(c.Post("/v1/webhooks/" + mine + "/enable", "", acme).status, 404);
  EXPECT_EQ(c.Post("/v1/webhooks/" + mine + "/test", "", acme).status, 404);
  EXPECT_EQ(c.Get("/v1/webhooks/" + mine + "/deliveries", acme).status, 404);
  auto listed = c.Get("/v1/webhooks", acme).json()["webhooks"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], theirs);
  // The default tenant's events go to its own subscription only.
  Publish(1);
  ASSERT_TRUE(receiver_.WaitFor(
      "/mine", [](const auto& got) { return !got.empty(); }, milliseconds(5000)));
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_TRUE(receiver_.To("/theirs").empty());
  EXPECT_EQ(c.Get("/v1/webhooks/" + mine, admin_).status, 200);
}

TEST_F(WebhooksTest, BadInputIsRefusedNamingTheField) {
  auto c = server_->client();
  auto post = [&](const Json& body) { return c.Post("/v1/webhooks", body.dump(), admin_); };
  const std::string url = receiver_.Url("/x");
  auto field = [](const HttpResult& r) { return r.json()["error"]["details"].value("field", ""); };
  auto r = post({{"url", url}, {"events", {"pact.published", "tier.chnged"}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(field(r), "events[1]") << r.body;
  EXPECT_EQ(field(post({{"url", url}, {"events", {"nothing.*"}}})), "events[0]");
  EXPECT_EQ(field(post({{"url", url}, {"events", Json::array()}})), "events");
  EXPECT_EQ(field(post({{"url", url}})), "events");
  EXPECT_EQ(field(post({{"url", "ftp://x/"}, {"events", {"*"}}})), "url");
  EXPECT_EQ(field(post({{"events", {"*"}}})), "url");
  EXPECT_EQ(field(post({{"url", url}, {"events", {"*"}}, {"secret", "mine"}})), "secret");
  EXPECT_EQ(field(post({{"url", url}, {"events", {"*"}}, {"description", 7}})), "description");
  EXPECT_EQ(c.Post("/v1/webhooks", "{not json", admin_).status, 400);
  const std::string id = Subscribe("/x", Json::array({"*"}))["id"];
  auto bad_status = c.Get("/v1/webhooks/" + id + "/deliveries?status=lost", admin_);
  EXPECT_EQ(bad_status.status, 400);
  EXPECT_EQ(field(bad_status), "status");
  EXPECT_EQ(c.Get("/v1/webhooks/nope", admin_).status, 404);
  // Managing subscriptions needs admin; reading them, read.
  std::string out, err;
  ASSERT_EQ(RunPactum({"keys", "create", "--data", (dir_.path() / "data").string(), "--tenant",
                       "default", "--name", "reader", "--scopes", "read", "--json"},
                      &out, &err),
            0)
      << err;
  const std::string reader = Json::parse(out)["secret"];
  EXPECT_EQ(c.Post("/v1/webhooks", Json({{"url", url}, {"events", {"*"}}}).dump(), reader).status,
            403);
  EXPECT_EQ(c.Delete("/v1/webhooks/" + id, reader).status, 403);
  EXPECT_EQ(c.Post("/v1/webhooks/" + id + "/test", "", reader).status, 403);
  EXPECT_EQ(c.Get("/v1/webhooks", reader).status, 200);
  EXPECT_EQ(c.Get("/v1/webhooks/" + id + "/deliveries", reader).status, 200);
}

// The outbox survives SIGKILL: messages in flight when the server dies are sent again (same
// webhook-id, same bytes), and nothing committed is lost.
TEST_F(WebhooksTest, NothingIsLostWhenTheServerIsKilledMidDelivery) {
  receiver_.SetDelay(milliseconds(150));  // slow: deliveries are in flight when the kill comes
  Subscribe("/crash", Json::array({"*"}));
  Publish(1);
  RegisterAgent("triage-1");
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    Evidence("triage-1", 25, round);
    Publish(2 + round);
    std::this_thread::sleep_for(milliseconds(200 + rng() % 400));
    server_->Signal(SIGKILL);
    server_->Wait(milliseconds(5000));
    Start();
  }
  receiver_.SetDelay(milliseconds(0));
  const std::vector<Json> events = Events();
  ASSERT_TRUE(receiver_.WaitFor(
      "/crash",
      [&](const auto& got) {
        std::set<std::string> ids;
        for (const Received& r : got)
          ids.insert(r.id);
        return ids.size() >= events.size();
      },
      milliseconds(30000)))
      << receiver_.To("/crash").size() << " messages for " << events.size() << " events";
  std::map<std::string, std::string> body_of;
  std::size_t duplicates = 0;
  for (const Received& r : receiver_.To("/crash")) {
    EXPECT_TRUE(r.verified) << r.verify_error;
    auto [it, fresh] = body_of.emplace(r.id, r.body);
    if (!fresh) {
      ++duplicates;
      EXPECT_EQ(it->second, r.body) << "a duplicate of " << r.id << " differs";
    }
  }
  for (const Json& e : events) {
    auto it = body_of.find(e["id"].get<std::string>());
    ASSERT_NE(it, body_of.end()) << "event " << e["log_index"] << " (" << e["type"]
                                 << ") was never delivered";
    EXPECT_EQ(Json::parse(it->second)["data"], e);
  }
  EXPECT_EQ(body_of.size(), events.size());
  std::cout << events.size() << " events, " << duplicates << " redelivered after a kill\n";
}

}  // namespace
}  // namespace pactum::testing
