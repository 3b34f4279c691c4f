#include <gtest/gtest.h>

#include "pactum/cedar/cedar.h"

namespace pactum::cedar {
namespace {

TEST(CedarApi, AuthorizesFromTextAndJson) {
  auto authorizer = Authorizer::FromText(R"(
    @id("staff-read") permit(principal in Group::"staff", action == Action::"read", resource)
      when { context.mfa };
  )");
  ASSERT_TRUE(authorizer.ok()) << authorizer.status().ToString();
  auto entities = ParseEntities(
      R"([{"uid": {"type": "User", "id": "alice"}, "attrs": {},
           "parents": [{"type": "Group", "id": "staff"}]}])");
  ASSERT_TRUE(entities.ok()) << entities.status().ToString();
  auto request =
      MakeRequest(R"(User::"alice")", R"(Action::"read")", R"(Doc::"d")", Json{{"mfa", true}});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  Response r = authorizer->IsAuthorized(*request, *entities);
  EXPECT_EQ(r.decision, Decision::kAllow);
  EXPECT_EQ(r.reasons, std::vector<std::string>{"staff-read"});

  auto no_mfa =
      MakeRequest(R"(User::"alice")", R"(Action::"read")", R"(Doc::"d")", Json{{"mfa", false}});
  ASSERT_TRUE(no_mfa.ok());
  EXPECT_EQ(authorizer->IsAuthorized(*no_mfa, *entities).decision, Decision::kDeny);

  auto missing = MakeRequest(R"(User::"alice")", R"(Action::"read")", R"(Doc::"d")");
  ASSERT_TRUE(missing.ok());
  Response err = authorizer->IsAuthorized(*missing, *entities);
  EXPECT_EQ(err.decision, Decision::kDeny);
  ASSERT_EQ(err.errors.size(), 1u);
  EXPECT_EQ(err.errors[0].policy_id, "staff-read");
}

TEST(CedarApi, IndexedAuthorizerMatchesFullEvaluation) {
  auto authorizer = Authorizer::FromText(R"(
    permit(principal == User::"alice", action, resource);
    permit(principal in Group::"staff", action, resource) when { context.n > 1 };
    forbid(principal is User in Group::"all", action, resource) when { context.n > 5 };
    permit(principal, action, resource) when { context.n == 3 };
    permit(principal == ?principal, action, resource == ?resource);
    permit(principal in Group::"other", action, resource);
  )");
  ASSERT_TRUE(authorizer.ok()) << authorizer.status().ToString();
  ASSERT_TRUE(authorizer
                  ->Link("policy4", "linked",
                         {{Slot::kPrincipal, {"User", "alice"}}, {Slot::kResource, {"Doc", "d"}}})
                  .ok());
  auto entities = ParseEntities(
      R"([{"uid": {"type": "User", "id": "alice"}, "parents": [{"type": "Group", "id": "staff"}]},
          {"uid": {"type": "Group", "id": "staff"}, "parents": [{"type": "Group", "id": "all"}]}])");
  ASSERT_TRUE(entities.ok()) << entities.status().ToString();
  for (int n : {0, 2, 3, 6}) {
    for (const char* principal : {R"(User::"alice")", R"(User::"bob")", R"(Group::"staff")"}) {
      auto request = MakeRequest(principal, R"(Action::"a")", R"(Doc::"d")", Json{{"n", n}});
      ASSERT_TRUE(request.ok());
      Response indexed = authorizer->IsAuthorized(*request, *entities);
      Response full = IsAuthorized(authorizer->policies(), *request, *entities);
      EXPECT_EQ(indexed.decision, full.decision) << principal << " " << n;
      EXPECT_EQ(indexed.reasons, full.reasons) << principal << " " << n;
      EXPECT_EQ(indexed.errors.size(), full.errors.size()) << principal << " " << n;
    }
  }
  auto alice = MakeRequest(R"(User::"alice")", R"(Action::"a")", R"(Doc::"d")", Json{{"n", 6}});
  ASSERT_TRUE(alice.ok());
  Response r = authorizer->IsAuthorized(*alice, *entities);
  EXPECT_EQ(r.decision, Decision::kDeny);
  EXPECT_EQ(r.reasons, std::vector<std::string>{"policy2"});
}

TEST(CedarApi, ReportsBadInput) {
  EXPECT_FALSE(Authorizer::FromText("permit(principal, action, resource)").ok());
  EXPECT_FALSE(ParseEntities("[{").ok());
  EXPECT_FALSE(MakeRequest("alice", R"(Action::"a")", R"(R::"r")").ok());
  EXPECT_FALSE(MakeRequest(R"(U::"a")", R"(Action::"a")", R"(R::"r")", Json::array()).ok());
}

}  // namespace
}  // namespace pactum::cedar
