#include "pactum/cedar/est.h"

#include <gtest/gtest.h>

#include "pactum/cedar/authorizer.h"
#include "pactum/cedar/parser.h"

namespace pactum::cedar {
namespace {

TEST(CedarEst, ReadsCedarsJsonPolicyFormat) {
  Json json = Json::parse(R"({
    "effect": "permit",
    "principal": {"op": "==", "entity": {"type": "User", "id": "alice"}},
    "action": {"op": "in", "entities": [{"type": "Action", "id": "view"}]},
    "resource": {"op": "is", "entity_type": "Doc", "in": {"entity": {"type": "Folder", "id": "f"}}},
    "conditions": [
      {"kind": "when", "body": {"==": {"left": {".": {"left": {"Var": "context"}, "attr": "tls"}},
                                       "right": {"Value": "1.3"}}}},
      {"kind": "unless", "body": {"like": {"left": {"Value": "a*b"},
                                           "pattern": [{"Literal": "x"}, "Wildcard"]}}}
    ],
    "annotations": {"reason": "demo"}
  })");
  auto p = PolicyFromJson(json, "p1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id, "p1");
  EXPECT_EQ(p->resource.kind, ScopeConstraint::Kind::kIsIn);
  EXPECT_EQ(p->annotations.at("reason"), "demo");
  EXPECT_EQ(PolicyToJson(*p), json);

  PolicySet set;
  set.policies.push_back(*p);
  auto entities = Entities::FromJson(Json::parse(
      R"([{"uid": {"type": "Doc", "id": "d"}, "parents": [{"type": "Folder", "id": "f"}]}])"));
  ASSERT_TRUE(entities.ok());
  Request r;
  r.principal = {"User", "alice"};
  r.action = {"Action", "view"};
  r.resource = {"Doc", "d"};
  r.context = Value::MakeRecord({{"tls", Value("1.3")}});
  EXPECT_EQ(IsAuthorized(set, r, *entities).decision, Decision::kAllow);
}

TEST(CedarEst, RoundTripsParsedPolicies) {
  auto set = ParsePolicySet(R"(
    @id("t") permit(principal in ?principal, action, resource == ?resource);
    forbid(principal is User, action == Action::"a", resource)
      when { principal has a.b && [1, -2].containsAll([1]) && {k: "v"}["k"] != "w" }
      unless { if context.x then ip("10.0.0.1").isLoopback() else -(3 * 4) < 2 };
  )");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Json json = PolicySetToJson(*set);
  auto back = PolicySetFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(PolicySetToJson(*back), json);
  Json linked = json;
  linked["templateLinks"] = Json::parse(
      R"([{"templateId": "t", "newId": "l", "values": {"?principal": {"type": "G", "id": "g"},
          "?resource": {"type": "D", "id": "d"}}}])");
  auto with_link = PolicySetFromJson(linked);
  ASSERT_TRUE(with_link.ok()) << with_link.status().ToString();
  EXPECT_EQ(with_link->policies.size(), 2u);
}

TEST(CedarEst, RejectsMalformedJson) {
  for (
      const char* bad :
      {R"({"effect": "allow", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}})",
       R"({"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}})",
       R"({"effect": "permit", "principal": {"op": "==", "slot": "?resource"}, "action": {"op": "All"}, "resource": {"op": "All"}})",
       R"({"effect": "permit", "principal": {"op": "All"}, "action": {"op": "is", "entity_type": "A"}, "resource": {"op": "All"}})",
       R"({"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"nope": {}}}]})",
       R"({"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"Value": 1.5}}]})"}) {
    EXPECT_FALSE(PolicyFromJson(Json::parse(bad), "p").ok()) << bad;
  }
  Json deep = Json{{"Value", true}};
  for (int i = 0; i < 1500; ++i) {
    Json next = Json::object();
    next["!"]["arg"] = std::move(deep);
    deep = std::move(next);
  }
  EXPECT_FALSE(ExprFromJson(deep).ok());
}

}  // namespace
}  // namespace pactum::cedar
