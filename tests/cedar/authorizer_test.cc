#include "pactum/cedar/authorizer.h"

#include <string>

#include <gtest/gtest.h>

#include "pactum/cedar/parser.h"

namespace pactum::cedar {
namespace {

Entities TestEntities() {
  auto json = Json::parse(R"([
    {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30, "tags": ["a", "b"],
       "boss": {"__entity": {"type": "User", "id": "bob"}}, "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}},
     "parents": [{"type": "Group", "id": "staff"}], "tags": {"level": 3}},
    {"uid": {"__entity": {"type": "Group", "id": "staff"}}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]},
    {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []}
  ])");
  auto entities = Entities::FromJson(json);
  EXPECT_TRUE(entities.ok()) << entities.status().ToString();
  return std::move(entities).value();
}

Request TestRequest() {
  Request r;
  r.principal = {"User", "alice"};
  r.action = {"Action", "view"};
  r.resource = {"Doc", "d1"};
  r.context = Value::MakeRecord({{"n", Value(std::int64_t{5})}});
  return r;
}

Result<Value> Eval(const std::string& text) {
  static const Entities entities = TestEntities();
  auto e = ParseExpression(text);
  if (!e.ok()) return e.status();
  return Evaluate(**e, TestRequest(), entities);
}

void ExpectTrue(const std::string& text) {
  auto v = Eval(text);
  ASSERT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  ASSERT_TRUE(v->is_bool()) << text;
  EXPECT_TRUE(v->as_bool()) << text;
}

void ExpectError(const std::string& text) {
  EXPECT_FALSE(Eval(text).ok()) << text;
}

TEST(CedarEvaluator, Hierarchy) {
  ExpectTrue("principal in Group::\"all\"");
  ExpectTrue("principal in [Group::\"nope\", Group::\"staff\"]");
  ExpectTrue("!(Group::\"all\" in principal)");
  ExpectTrue("User::\"ghost\" in User::\"ghost\"");
  ExpectTrue("!(User::\"ghost\" in Group::\"all\")");
  ExpectError("principal in [1]");
  ExpectError("1 in Group::\"all\"");
}

TEST(CedarEvaluator, AttributesAndTags) {
  ExpectTrue("principal.age == 30 && principal has age && !(principal has nope)");
  ExpectTrue("principal.boss == User::\"bob\" && principal[\"age\"] > 29");
  ExpectTrue("!(User::\"ghost\" has age)");
  ExpectError("User::\"ghost\".age");
  ExpectError("principal.nope");
  ExpectError("1 has x");
  ExpectTrue("context has n && context.n == 5");
  ExpectTrue("{a: {b: 1}} has a.b && !({a: {b: 1}} has a.c)");
  ExpectTrue("principal.hasTag(\"level\") && principal.getTag(\"level\") == 3");
  ExpectTrue("!User::\"ghost\".hasTag(\"level\")");
  ExpectError("principal.getTag(\"nope\")");
  ExpectError("User::\"ghost\".getTag(\"level\")");
}

TEST(CedarEvaluator, ShortCircuitAndErrors) {
  ExpectTrue("!(false && (1 + \"a\"))");
  ExpectTrue("true || principal.nope");
  ExpectTrue("if true then true else principal.nope");
  ExpectError("true && 1");
  ExpectError("if 1 then true else false");
  ExpectError("9223372036854775807 + 1");
  ExpectError("-9223372036854775807 - 2");
  ExpectError("4611686018427387904 * 2");
  ExpectError("-(-9223372036854775808)");
  ExpectTrue("-(-9223372036854775807) == 9223372036854775807");
}

TEST(CedarEvaluator, SetsStringsAndLike) {
  ExpectTrue("[1, 2, 3].contains(2) && [1, 2].containsAll([2, 1]) && [1].containsAny([3, 1])");
  ExpectTrue("[].isEmpty() && ![1].isEmpty() && [1, 1] == [1]");
  ExpectTrue("principal.tags == [\"b\", \"a\"]");
  ExpectTrue("\"abc*d\" like \"a*\\*d\" && \"\" like \"*\" && !(\"abc\" like \"ab\")");
  ExpectTrue("\"a\\u{1F600}b\" like \"a*b\"");
  ExpectError("\"a\".contains(\"a\")");
  ExpectError("1 like \"1\"");
  ExpectTrue("principal is User && !(resource is User)");
  ExpectTrue("principal is User in Group::\"all\"");
  ExpectTrue("1 != \"1\" && {a: 1} == {a: 1}");
}

TEST(CedarEvaluator, Extensions) {
  ExpectTrue("principal.ip == ip(\"10.0.0.1\") && principal.ip.isInRange(ip(\"10.0.0.0/8\"))");
  ExpectTrue("decimal(\"1.5\").lessThan(decimal(\"2.25\"))");
  ExpectTrue("datetime(\"2024-01-01\") < datetime(\"2024-01-02\")");
  ExpectTrue("duration(\"1h\").toMinutes() == 60 && duration(\"1h\") > duration(\"59m\")");
  ExpectTrue("datetime(\"2024-01-01\").offset(duration(\"1d\")) == datetime(\"2024-01-02\")");
  ExpectError("decimal(\"1.23456\")");
  ExpectError("ip(\"1.2.3\")");
  ExpectError("decimal(\"1.0\") < decimal(\"2.0\")");
  ExpectError("ip(\"10.0.0.1\").lessThan(decimal(\"1.0\"))");
}

TEST(CedarEvaluator, DeepestParsableExpressionEvaluates) {
  // Near the nesting bound, both parsing and evaluation must stay within the stack.
  int depth = kMaxNesting - 2;
  std::string nested = std::string(depth, '[') + std::string(depth, ']');
  ExpectTrue(nested + " == " + nested);
  std::string negations = "1";
  for (int i = 0; i < depth; ++i)
    negations = "-(" + negations + ")";
  ExpectTrue(negations + " == 1");
}

TEST(CedarAuthorizer, ForbidOverridesPermitAndErrorsAreSkipped) {
  auto set = ParsePolicySet(R"(
    permit(principal in Group::"staff", action, resource);
    permit(principal, action == Action::"view", resource) when { context.n > 3 };
    forbid(principal, action, resource) when { context.missing };
    permit(principal == User::"bob", action, resource);
  )");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Entities entities = TestEntities();
  Response r = IsAuthorized(*set, TestRequest(), entities);
  EXPECT_EQ(r.decision, Decision::kAllow);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"policy0", "policy1"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].policy_id, "policy2");

  auto deny = ParsePolicySet(R"(
    permit(principal, action, resource);
    forbid(principal is User, action, resource) unless { principal == User::"bob" };
  )");
  ASSERT_TRUE(deny.ok());
  Response d = IsAuthorized(*deny, TestRequest(), entities);
  EXPECT_EQ(d.decision, Decision::kDeny);
  EXPECT_EQ(d.reasons, (std::vector<std::string>{"policy1"}));
  EXPECT_TRUE(d.errors.empty());

  Response none = IsAuthorized(PolicySet{}, TestRequest(), entities);
  EXPECT_EQ(none.decision, Decision::kDeny);
  EXPECT_TRUE(none.reasons.empty());
}

TEST(CedarAuthorizer, IsSatisfiedChecksScopeThenConditions) {
  Entities entities = TestEntities();
  auto in_staff = ParsePolicy("permit(principal in Group::\"all\", action, resource);");
  auto errs = ParsePolicy("permit(principal, action, resource) when { context.n.x };");
  auto wrong_scope = ParsePolicy("permit(principal, action, resource is User) when { 1 };");
  ASSERT_TRUE(in_staff.ok() && errs.ok() && wrong_scope.ok());
  auto a = IsSatisfied(*in_staff, TestRequest(), entities);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(*a);
  EXPECT_FALSE(IsSatisfied(*errs, TestRequest(), entities).ok());
  auto c = IsSatisfied(*wrong_scope, TestRequest(), entities);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(*c);
}

TEST(CedarEntities, RejectsBadJson) {
  for (
      const char* bad :
      {R"({})", R"([{"attrs": {}}])", R"([{"uid": {"type": "U"}}])",
       R"([{"uid": {"type": "U", "id": "a"}}, {"uid": {"type": "U", "id": "a"}}])",
       R"([{"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1.5}}])",
       R"([{"uid": {"type": "U", "id": "a"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "x"}}}}])",
       R"([{"uid": {"type": "1U", "id": "a"}}])"}) {
    EXPECT_FALSE(Entities::FromJson(Json::parse(bad)).ok()) << bad;
  }
  std::string deep = std::string(300, '[') + std::string(300, ']');
  auto nested = Json::parse(R"([{"uid": {"type": "U", "id": "a"}, "attrs": {"x": )" + deep + "}}]");
  EXPECT_FALSE(Entities::FromJson(nested).ok());
}

// A store built on a shared base (the schema's action entities): the base's entities are in it
// without being copied, an added entity replaces the base's, and a parent in the base brings
// the base's ancestors of it.
TEST(CedarEntities, AStoreOnABaseHoldsTheBasesEntitiesAndAncestors) {
  auto uid = [](const char* type, const char* id) { return EntityUid{type, id}; };
  auto entity = [](EntityUid u, std::vector<EntityUid> parents) {
    Entity e;
    e.uid = std::move(u);
    e.parents = std::move(parents);
    return e;
  };
  Entities::Builder base_builder;
  ASSERT_TRUE(base_builder.Add(entity(uid("Action", "all"), {})).ok());
  ASSERT_TRUE(base_builder.Add(entity(uid("Action", "read"), {uid("Action", "all")})).ok());
  ASSERT_TRUE(base_builder.Add(entity(uid("Action", "view"), {uid("Action", "read")})).ok());
  auto base = std::make_shared<const Entities>(std::move(base_builder).Finish());

  Entities::Builder builder;
  Entity alice = entity(uid("User", "alice"), {uid("Group", "g"), uid("Action", "view")});
  alice.attrs.emplace("age", Value(std::int64_t{30}));
  ASSERT_TRUE(builder.Add(std::move(alice)).ok());
  ASSERT_TRUE(builder.Add(entity(uid("Group", "g"), {uid("Group", "h")})).ok());
  ASSERT_TRUE(builder.Add(entity(uid("Action", "read"), {uid("Action", "all")})).ok());  // again
  Entities store = std::move(builder).Finish(base);

  EXPECT_EQ(store.size(), 5u);  // alice, g, and the base's three (read once)
  EXPECT_EQ(base->size(), 3u);
  ASSERT_NE(store.Find(uid("Action", "view")), nullptr);
  EXPECT_EQ(store.Find(uid("Action", "nope")), nullptr);
  // alice: g and h (outside the store) by walking, view and its ancestors from the base.
  for (const char* group : {"g", "h"})
    EXPECT_TRUE(store.IsInOrEqual(uid("User", "alice"), uid("Group", group))) << group;
  for (const char* action : {"view", "read", "all"})
    EXPECT_TRUE(store.IsInOrEqual(uid("User", "alice"), uid("Action", action))) << action;
  EXPECT_EQ(store.Resolve(uid("User", "alice")).ancestors().size(), 5u);  // no duplicates
  EXPECT_TRUE(store.IsInOrEqual(uid("Action", "view"), uid("Action", "all")));
  EXPECT_FALSE(store.IsInOrEqual(uid("Action", "all"), uid("Action", "view")));
  EXPECT_EQ(store.Find(uid("User", "alice"))->attrs.at("age").as_long(), 30);
}

// Ancestor sets are kept unsorted while small and sorted once large; membership is the same.
TEST(CedarEntities, LargeAndSmallAncestorSetsAnswerAlike) {
  auto name = [](char prefix, int n) {  // ("g", 7) -> "g7"
    std::string out(1, prefix);
    out += std::to_string(n);
    return out;
  };
  Entities::Builder builder;
  std::vector<EntityUid> groups;
  for (int i = 0; i < 40; ++i)
    groups.push_back(EntityUid{"Group", name('g', 39 - i)});
  for (int n : {3, 15, 16, 40}) {
    Entity e;
    e.uid = EntityUid{"User", name('u', n)};
    e.parents.assign(groups.begin(), groups.begin() + n);
    e.parents.push_back(groups.front());  // a duplicate parent
    ASSERT_TRUE(builder.Add(std::move(e)).ok());
  }
  Entities store = std::move(builder).Finish();
  for (int n : {3, 15, 16, 40}) {
    const EntityUid user{"User", name('u', n)};
    EXPECT_EQ(store.Resolve(user).ancestors().size(), static_cast<std::size_t>(n));
    for (int i = 0; i < 40; ++i)
      EXPECT_EQ(store.IsInOrEqual(user, groups[static_cast<std::size_t>(i)]), i < n)
          << n << " " << i;
  }
}

}  // namespace
}  // namespace pactum::cedar
