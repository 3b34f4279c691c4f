#include "pactum/cedar/parser.h"

#include <string>

#include <gtest/gtest.h>

namespace pactum::cedar {
namespace {

TEST(CedarParser, NamesPoliciesInFileOrderOrById) {
  auto set = ParsePolicySet(R"(
    permit(principal, action, resource);
    @id("second") forbid(principal == User::"a", action in [Action::"x", Action::"y"], resource);
    permit(principal is User in Group::"g", action == Action::"v", resource is Doc)
      when { true } unless { false };
  )");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->policies.size(), 3u);
  EXPECT_EQ(set->policies[0].id, "policy0");
  EXPECT_EQ(set->policies[1].id, "second");
  EXPECT_EQ(set->policies[1].effect, Effect::kForbid);
  EXPECT_EQ(set->policies[1].action.kind, ScopeConstraint::Kind::kInSet);
  EXPECT_EQ(set->policies[1].action.entities.size(), 2u);
  EXPECT_EQ(set->policies[2].id, "policy2");
  EXPECT_EQ(set->policies[2].principal.kind, ScopeConstraint::Kind::kIsIn);
  EXPECT_EQ(set->policies[2].principal.entity_type, "User");
  EXPECT_EQ(set->policies[2].conditions.size(), 2u);
  EXPECT_FALSE(set->policies[2].conditions[1].is_when);
}

TEST(CedarParser, ErrorsCarryLineAndColumn) {
  auto set = ParsePolicySet("permit(principal, action, resource)\nwhen { 1 + };");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("line 2, column 12"), std::string::npos)
      << set.status().message();
  EXPECT_EQ(set.status().details()["line"], 2);
  for (const char* bad : {"permit(principal, action);", "permit(principal, action, resource)",
                          "allow(principal, action, resource);",
                          "permit(principal, action, resource) when { 1 == 2 == 3 };",
                          "permit(principal, action, resource) when { \"\\q\" };",
                          "permit(principal, action, resource) when { !!!!!true };",
                          "permit(principal, action, resource) when { 9223372036854775808 };",
                          "permit(principal, action, resource) when { foo(1) };",
                          "permit(principal, action, resource) when { {a: 1, a: 2} };",
                          "permit(principal, action is Action, resource);",
                          "permit(principal == ?resource, action, resource);",
                          "permit(principal, action, resource);\n@id(\"policy0\") "
                          "permit(principal, action, resource);"}) {
    auto r = ParsePolicySet(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message().rfind("line ", 0), 0u) << r.status().message();
  }
}

TEST(CedarParser, DeepNestingIsAnErrorNotACrash) {
  std::string text = std::string(100000, '(') + "1" + std::string(100000, ')');
  EXPECT_FALSE(ParseExpression(text).ok());
  std::string chain = "1";
  for (int i = 0; i < 100000; ++i)
    chain += " + 1";
  EXPECT_FALSE(ParseExpression(chain).ok());
  std::string sets = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_FALSE(ParseExpression(sets).ok());
  EXPECT_TRUE(ParseExpression(std::string(200, '(') + "1" + std::string(200, ')')).ok());
}

TEST(CedarParser, NegativeLiteralsAndPrecedence) {
  auto e = ParseExpression("-9223372036854775808");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->kind, Expr::Kind::kLiteral);
  EXPECT_EQ((*e)->value.as_long(), INT64_MIN);
  auto p = ParseExpression("1 + 2 * 3 == 7 && true || false");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->kind, Expr::Kind::kOr);
  EXPECT_EQ((*p)->args[0]->kind, Expr::Kind::kAnd);
}

TEST(CedarParser, HasWithPathDesugarsToConjunction) {
  auto e = ParseExpression("context has a.b.c");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ((*e)->kind, Expr::Kind::kAnd);
}

TEST(CedarParser, StringEscapesAndPatterns) {
  auto s = UnescapeString(R"(a\n\t\"\\\0\x41\u{1F600}\')");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, std::string("a\n\t\"\\") + std::string(1, '\0') + "A\xF0\x9F\x98\x80'");
  EXPECT_FALSE(UnescapeString(R"(\x80)").ok());
  EXPECT_FALSE(UnescapeString(R"(\u{D800})").ok());
  EXPECT_FALSE(UnescapeString(R"(\*)").ok());
  auto p = ParsePattern(R"(a*\*b)");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, (Pattern{'a', kWildcard, '*', 'b'}));
}

TEST(CedarParser, TemplatesLinkIntoPolicies) {
  auto set = ParsePolicySet(
      "permit(principal == ?principal, action, resource in ?resource);\n"
      "permit(principal, action, resource);");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->templates.size(), 1u);
  ASSERT_EQ(set->policies.size(), 1u);
  EXPECT_EQ(set->templates[0].id, "policy0");
  EXPECT_FALSE(set->Link("policy0", "linked", {{Slot::kPrincipal, {"User", "a"}}}).ok());
  ASSERT_TRUE(set->Link("policy0", "linked",
                        {{Slot::kPrincipal, {"User", "a"}}, {Slot::kResource, {"Doc", "d"}}})
                  .ok());
  ASSERT_EQ(set->policies.size(), 2u);
  EXPECT_EQ(set->policies[1].id, "linked");
  EXPECT_EQ(*set->policies[1].resource.target.uid, (EntityUid{"Doc", "d"}));
  EXPECT_FALSE(set->Link("policy0", "linked", {}).ok());
  EXPECT_FALSE(set->Link("nope", "other", {}).ok());
}

}  // namespace
}  // namespace pactum::cedar
