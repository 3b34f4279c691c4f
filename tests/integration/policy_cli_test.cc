// `pactum policy check` through the real binary, on Cedar files written to a temp folder.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pactum/base/json.h"

#include "harness.h"

namespace pactum::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kPolicies = R"(
@id("owners-read")
permit (principal, action == Action::"read", resource) when { resource.owner == principal };

@id("staff-read")
permit (principal in Group::"staff", action == Action::"read", resource);

@id("no-contractors")
forbid (principal, action, resource) when { principal.contractor };

@id("level-check")
permit (principal, action == Action::"write", resource) when { principal.level > 3 };
)";

constexpr const char* kSchema = R"(
entity Group;
entity User in [Group] { contractor: Bool, level?: Long };
entity Doc { owner: User };
action read, write appliesTo { principal: [User], resource: [Doc], context: { ip?: ipaddr } };
)";

constexpr const char* kEntities = R"([
  {"uid": {"type": "User", "id": "alice"}, "attrs": {"contractor": false}, "parents": [{"type": "Group", "id": "staff"}]},
  {"uid": {"type": "User", "id": "bob"}, "attrs": {"contractor": true}, "parents": []},
  {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}}, "parents": []}
])";

class PolicyCliTest : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    fs::path file = dir_.path() / name;
    WriteAll(file, text);
    return file;
  }

  // Runs `policy check` on the standard files, with `request` and any extra arguments.
  int Check(const std::string& request, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"policy",     "check",
                                     "--policies", Write("p.cedar", kPolicies).string(),
                                     "--entities", Write("e.json", kEntities).string(),
                                     "--request",  Write("r.json", request).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    out_.clear();
    err_.clear();
    return RunPactum(args, &out_, &err_);
  }

  TempDir dir_;
  std::string out_, err_;
};

TEST_F(PolicyCliTest, AllowPrintsTheDeterminingPolicies) {
  ASSERT_EQ(Check(R"({"principal": "User::\"alice\"", "action": "Action::\"read\"",
                      "resource": {"type": "Doc", "id": "d1"}})"),
            0)
      << err_;
  EXPECT_EQ(out_, "decision: allow\nreasons: owners-read staff-read\nerrors: (none)\n");

  ASSERT_EQ(Check(R"({"principal": {"type": "User", "id": "alice"}, "action": "Action::\"read\"",
                      "resource": "Doc::\"d1\"", "context": {}})",
                  {"--json"}),
            0)
      << err_;
  Result<Json> json = ParseJson(out_);
  ASSERT_TRUE(json.ok()) << out_;
  EXPECT_EQ(*json, Json::parse(R"({"decision": "allow", "reasons": ["owners-read", "staff-read"],
                                   "errors": []})"));
}

TEST_F(PolicyCliTest, DenyExitsZero) {
  ASSERT_EQ(Check(R"({"principal": "User::\"bob\"", "action": "Action::\"read\"",
                      "resource": "Doc::\"d1\""})"),
            0)
      << err_;
  EXPECT_EQ(out_, "decision: deny\nreasons: no-contractors\nerrors: (none)\n");
}

TEST_F(PolicyCliTest, ErroringPolicyIsReported) {
  // alice has no `level`: the policy errors and takes no part; nothing else permits a write.
  ASSERT_EQ(Check(R"({"principal": "User::\"alice\"", "action": "Action::\"write\"",
                      "resource": "Doc::\"d1\""})",
                  {"--json"}),
            0)
      << err_;
  Result<Json> json = ParseJson(out_);
  ASSERT_TRUE(json.ok()) << out_;
  EXPECT_EQ((*json)["decision"], "deny");
  ASSERT_EQ((*json)["errors"].size(), 1u) << out_;
  EXPECT_EQ((*json)["errors"][0]["policy"], "level-check");
  EXPECT_THAT((*json)["errors"][0]["message"].get<std::string>(), HasSubstr("level"));

  ASSERT_EQ(Check(R"({"principal": "User::\"alice\"", "action": "Action::\"write\"",
                      "resource": "Doc::\"d1\""})"),
            0);
  EXPECT_THAT(out_, HasSubstr("errors:\n  level-check: "));
}

TEST_F(PolicyCliTest, SchemaRejectsARequestOutsideAppliesTo) {
  const std::string schema = Write("s.cedarschema", kSchema).string();
  const std::string ok_request = R"({"principal": "User::\"alice\"", "action": "Action::\"read\"",
                                     "resource": "Doc::\"d1\"", "context": {"ip": "10.0.0.1"}})";
  ASSERT_EQ(Check(ok_request, {"--schema", schema}), 0) << err_;
  EXPECT_THAT(out_, HasSubstr("decision: allow"));

  EXPECT_EQ(Check(R"({"principal": "Doc::\"d1\"", "action": "Action::\"read\"",
                      "resource": "Doc::\"d1\""})",
                  {"--schema", schema}),
            1);
  EXPECT_THAT(err_, HasSubstr("r.json: principal type Doc is not valid for action"));
  EXPECT_EQ(out_, "");

  // The context is typed by the schema too.
  EXPECT_EQ(Check(R"({"principal": "User::\"alice\"", "action": "Action::\"read\"",
                      "resource": "Doc::\"d1\"", "context": {"ip": 7}})",
                  {"--schema", schema}),
            1);
  EXPECT_THAT(err_, HasSubstr("attribute `ip`: expected ipaddr, found an integer"));
}

TEST_F(PolicyCliTest, MalformedPolicyFileNamesLineAndColumn) {
  const fs::path bad = Write("bad.cedar", "permit (principal, action, resource)\nwhen { 1 + };\n");
  std::string out, err;
  EXPECT_EQ(RunPactum({"policy", "check", "--policies", bad.string(), "--entities",
                       Write("e.json", kEntities).string(), "--request",
                       Write("r.json", R"({"principal": "User::\"a\"", "action": "Action::\"read\"",
                                           "resource": "Doc::\"d1\""})")
                           .string()},
                      &out, &err),
            1);
  EXPECT_THAT(err, HasSubstr(bad.string() + ":2:"));

  Write("e.json", "[\n  {\"uid\": }\n]");
  std::vector<std::string> args = {"policy",
                                   "check",
                                   "--policies",
                                   Write("p.cedar", kPolicies).string(),
                                   "--entities",
                                   (dir_.path() / "e.json").string(),
                                   "--request",
                                   Write("r.json", R"({"principal": "User::\"a\"",
                                    "action": "Action::\"read\"", "resource": "Doc::\"d1\""})")
                                       .string()};
  EXPECT_EQ(RunPactum(args, &out, &err), 1);
  EXPECT_THAT(err, HasSubstr((dir_.path() / "e.json").string() + ":2:11: malformed JSON"));
}

TEST_F(PolicyCliTest, MissingFileAndBadUsage) {
  std::string out, err;
  const std::string missing = (dir_.path() / "nope.cedar").string();
  EXPECT_EQ(
      RunPactum({"policy", "check", "--policies", missing, "--entities",
                 Write("e.json", kEntities).string(), "--request", Write("r.json", "{}").string()},
                &out, &err),
      1);
  EXPECT_THAT(err, HasSubstr(missing + ": cannot read"));
  EXPECT_EQ(RunPactum({"policy", "check", "--policies", missing}, &out, &err), 2);
}

}  // namespace
}  // namespace pactum::testing
