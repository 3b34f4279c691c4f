#include "pactum/service/service.h"

#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "pactum/base/canonical_json.h"
#include "pactum/base/encoding.h"
#include "pactum/store/store.h"
#include "pactum/store/tenants.h"

namespace pactum::service {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pactum-svc-" + std::to_string(std::random_device{}()));
    auto s = Service::Open({.data_dir = dir_, .clock = &clock_});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    service_ = std::move(*s);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }
  ManualClock clock_{FromUnixMillis(1'795'291'262'000)};
  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, BootstrapsExactlyOnce) {
  auto first = service_->Bootstrap();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  const IssuedKey& key = **first;
  EXPECT_EQ(key.secret.rfind("pk_", 0), 0u);
  EXPECT_EQ(key.secret.size(), 46u);  // pk_ + 43 base64url characters = 32 random bytes
  EXPECT_EQ(key.key.tenant_name, "default");
  EXPECT_EQ(key.key.scopes, std::vector<std::string>{"admin"});
  auto second = service_->Bootstrap();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TEST_F(ServiceTest, AuthenticatesOnlyLiveKeys) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"read", "decide"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto who = service_->Authenticate(issued->secret);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->tenant_name, "soc");
  EXPECT_TRUE(who->HasScope("decide"));
  EXPECT_FALSE(who->HasScope("admin"));

  std::string tampered = issued->secret;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(service_->Authenticate(tampered).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("").status().code(), Code::kUnauthenticated);
  EXPECT_EQ(service_->Authenticate("Bearer x").status().code(), Code::kUnauthenticated);

  ASSERT_TRUE(service_->RevokeKey(*who, issued->key.id).ok());
  EXPECT_EQ(service_->Authenticate(issued->secret).status().code(), Code::kUnauthenticated);
}

// Live keys are cached; a revocation by another process on the same folder (the CLI while the
// server runs) must still end them at once.
TEST_F(ServiceTest, AKeyRevokedByAnotherProcessStopsWorkingAtOnce) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"decide"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  ASSERT_TRUE(service_->Authenticate(issued->secret).ok());
  ASSERT_TRUE(service_->Authenticate(issued->secret).ok());  // now from the cache
  {
    ServiceOptions options = OperatorOptions(dir_);
    options.clock = &clock_;
    auto operator_service = Service::Open(options);
    ASSERT_TRUE(operator_service.ok()) << operator_service.status().ToString();
    ASSERT_TRUE((*operator_service)->RevokeAnyKey(issued->key.id).ok());  // `pactum keys revoke`
  }
  EXPECT_EQ(service_->Authenticate(issued->secret).status().code(), Code::kUnauthenticated);
}

// The bound for a revoking process that dies between its commit and telling the others: a
// revocation the cache was not told of (written to the store alone) ends the key within
// KeyCache::kTtl. This also shows that a cached key is not read from the store.
TEST_F(ServiceTest, AnUnannouncedRevocationEndsAKeyWithinTheCacheTtl) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"decide"});
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  auto who = service_->Authenticate(issued->secret);
  ASSERT_TRUE(who.ok());
  {
    auto store = store::Store::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)
                    ->Write([&](store::Connection& db) -> Status {
                      return store::RevokeApiKey(db, who->tenant_id, issued->key.id, 1).status();
                    })
                    .ok());
  }
  clock_.Advance(KeyCache::kTtl - std::chrono::seconds(1));
  EXPECT_TRUE(service_->Authenticate(issued->secret).ok());  // cached, not read again
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(service_->Authenticate(issued->secret).status().code(), Code::kUnauthenticated);
}

TEST_F(ServiceTest, SecretsAreNeverStored) {
  auto issued = service_->CreateOperatorKey("soc", "ci", {"read"});
  ASSERT_TRUE(issued.ok());
  service_.reset();
  std::ifstream db(dir_ / "pactum.db", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_ / "pactum.db-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(issued->secret), std::string::npos);
  EXPECT_EQ(bytes.find(issued->secret.substr(3)), std::string::npos);
}

TEST_F(ServiceTest, ValidatesInput) {
  EXPECT_EQ(service_->CreateOperatorKey("Bad Tenant", "x", {"read"}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(service_->CreateOperatorKey("soc", "", {"read"}).status().details()["field"], "name");
  auto unknown = service_->CreateOperatorKey("soc", "x", {"read", "root"});
  EXPECT_EQ(unknown.status().details()["field"], "scopes");
  EXPECT_NE(unknown.status().message().find("\"root\""), std::string::npos);
  EXPECT_EQ(service_->CreateOperatorKey("soc", "x", {}).status().code(), Code::kInvalidArgument);
}

TEST_F(ServiceTest, AdminScopeImpliesEveryScope) {
  Principal p{"t", "t", "k", "k", {"admin"}};
  for (const auto& s : KnownScopes())
    EXPECT_TRUE(p.HasScope(s)) << s;
  Principal reader{"t", "t", "k", "k", {"read"}};
  EXPECT_FALSE(reader.HasScope("decide"));
}

// The decision leaf is written member by member; it must be exactly the canonical form of the
// document it stands for (the decision's JSON with the record's and the request's fields).
TEST(DecisionLeafBody, IsTheCanonicalFormOfTheDecisionDocument) {
  control::DecideRequest request;
  request.agent = "triage-gpt4o";
  request.workflow = "alert_triage";
  request.action = "close_alert";
  request.resource = {"Alert", "a-\u00e9-1", {{"priority", "Low"}}};
  DecisionRecord allow;
  allow.id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  allow.pact = Json{{"name", "triage"}, {"version", "1.2.0"}, {"hash", "sha256:ab"}};
  allow.decision.kind = control::Kind::kAllow;
  allow.decision.reasons.push_back({"permit", "permitted by allow-low", "allow-low"});
  allow.decision.determining_policies = {"allow-low"};
  allow.decision.trust = {
      pact::Tier::kGold, pact::Autonomy::kSupervised, 812, 790, 640, 600, true, false, true, false};
  DecisionRecord escalated = allow;
  escalated.decision.kind = control::Kind::kEscalate;
  escalated.decision.review = true;
  escalated.decision.reviewer = "soc-lead@example.com";
  escalated.decision.shadow_decision = control::Kind::kDeny;
  escalated.decision.errors.push_back({"p2", "type error: \"x\""});
  escalated.decision.reasons.push_back({"escalate", "needs a human\n", ""});
  escalated.review_id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
  control::DecideRequest with_context = request;
  with_context.context = Json{{"shift", "night"}, {"hops", Json::array({3, 1})}};
  for (const auto& [record, req] :
       {std::pair{allow, request}, std::pair{escalated, with_context}}) {
    Json doc = control::ToJson(record.decision);
    doc["id"] = record.id;
    doc["agent"] = req.agent;
    doc["workflow"] = req.workflow;
    doc["action"] = req.action;
    doc["resource"] = Json{{"type", req.resource.type}, {"id", req.resource.id}};
    doc["context"] = req.context;
    doc["pact"] = record.pact;
    if (!record.review_id.empty()) doc["review_id"] = record.review_id;
    Result<std::string> body = DecisionLeafBody(record, req);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    EXPECT_EQ(*body, *CanonicalJson(doc));
  }
}

// The HTTP answer is written the same way: the decision's JSON with the record's id, pact,
// review id and receipt (null when the decision was not recorded).
TEST(DecisionAnswer, IsTheCanonicalFormOfTheAnswerDocument) {
  DecisionRecord record;
  record.id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  record.pact = Json{{"name", "triage"}, {"version", "1.2.0"}, {"hash", "sha256:ab"}};
  record.decision.kind = control::Kind::kEscalate;
  record.decision.review = true;
  record.decision.reviewer = "soc-lead@example.com";
  record.decision.shadow_decision = control::Kind::kDeny;
  record.decision.reasons.push_back({"escalate", "needs a human\n", ""});
  record.decision.errors.push_back({"p2", "type error: \"x\""});
  record.decision.trust = {
      pact::Tier::kGold, pact::Autonomy::kSupervised, 812, 790, 640, 600, true, false, true, false};
  DecisionRecord recorded = record;
  recorded.review_id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
  recorded.receipt = ledger::Receipt{41, {}};
  recorded.receipt->leaf_hash.fill(0xab);
  for (const DecisionRecord& r : {record, recorded}) {
    Json doc = control::ToJson(r.decision);
    doc["id"] = r.id;
    doc["pact"] = r.pact;
    if (!r.review_id.empty()) doc["review_id"] = r.review_id;
    doc["receipt"] = r.receipt ? Json{{"log_index", r.receipt->index},
                                      {"leaf_hash", Base64Encode(AsBytes(r.receipt->leaf_hash))}}
                               : Json();
    Result<std::string> answer = DecisionAnswer(r);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    EXPECT_EQ(*answer, *CanonicalJson(doc));
  }
}

}  // namespace
}  // namespace pactum::service
