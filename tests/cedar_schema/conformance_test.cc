#include "pactum/cedar/schema/conformance.h"

#include <string>

#include <gtest/gtest.h>

#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

const char* kSchema = R"(
  namespace App {
    entity Group;
    entity Color enum ["red", "green"];
    entity User in [Group] {
      name: String,
      age?: Long,
      boss?: User,
      friends?: Set<User>,
      score?: decimal,
      ip?: ipaddr,
      seen?: datetime,
      ttl?: duration,
      color?: Color,
      address?: { street: String, zip?: Long },
    } tags Long;
    entity Doc in [Group];
    action all;
    action view in [all] appliesTo {
      principal: [User],
      resource: [Doc, Color],
      context: { authenticated: Bool, ip?: ipaddr },
    };
    action unused;
  }
)";

class ConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Schema> schema = ParseCedarSchema(kSchema);
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    schema_ = std::move(schema).value();
  }

  Result<Json> Normalize(const std::string& entities) {
    return NormalizeEntities(schema_, Json::parse(entities));
  }

  std::string ErrorOf(const std::string& entities) {
    Result<Json> out = Normalize(entities);
    EXPECT_FALSE(out.ok()) << "accepted: " << entities;
    return out.ok() ? "" : out.status().message();
  }

  // A User entity with the given attributes JSON (and otherwise minimal).
  static std::string User(const std::string& attrs, const std::string& rest = "") {
    return R"([{"uid":{"type":"App::User","id":"alice"},"attrs":)" + attrs + R"(,"parents":[])" +
           rest + "}]";
  }

  Schema schema_;
};

TEST_F(ConformanceTest, ImplicitFormsBecomeExplicit) {
  Result<Json> out = Normalize(R"([{
    "uid": {"__entity": {"type": "App::User", "id": "alice"}},
    "attrs": {
      "name": "Alice",
      "boss": {"type": "App::User", "id": "bob"},
      "friends": [{"__entity": {"type": "App::User", "id": "carol"}}, {"type": "App::User", "id": "dan"}],
      "score": "1.25",
      "ip": {"fn": "ip", "arg": "10.0.0.0/8"},
      "seen": {"__extn": {"fn": "offset", "args": [
                 {"__extn": {"fn": "datetime", "arg": "2024-10-15T11:35:00Z"}},
                 {"__extn": {"fn": "duration", "arg": "1h"}}]}},
      "ttl": "-1d2h3m4s5ms",
      "color": {"type": "App::Color", "id": "red"},
      "address": {"street": "Main"}
    },
    "parents": [{"type": "App::Group", "id": "admins"}],
    "tags": {"level": 3}
  }])");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  Json expected = Json::parse(R"([{
    "uid": {"type": "App::User", "id": "alice"},
    "attrs": {
      "name": "Alice",
      "boss": {"__entity": {"type": "App::User", "id": "bob"}},
      "friends": [{"__entity": {"type": "App::User", "id": "carol"}},
                  {"__entity": {"type": "App::User", "id": "dan"}}],
      "score": {"__extn": {"fn": "decimal", "arg": "1.25"}},
      "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
      "seen": {"__extn": {"fn": "offset", "args": [
                 {"__extn": {"fn": "datetime", "arg": "2024-10-15T11:35:00Z"}},
                 {"__extn": {"fn": "duration", "arg": "1h"}}]}},
      "ttl": {"__extn": {"fn": "duration", "arg": "-1d2h3m4s5ms"}},
      "color": {"__entity": {"type": "App::Color", "id": "red"}},
      "address": {"street": "Main"}
    },
    "parents": [{"type": "App::Group", "id": "admins"}],
    "tags": {"level": 3}
  }])");
  EXPECT_EQ(*out, expected);
  // The explicit form is a fixed point.
  Result<Json> again = NormalizeEntities(schema_, *out);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, expected);
}

TEST_F(ConformanceTest, ConformanceErrorsNameTheEntityAndAttribute) {
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Nope","id":"x"},"attrs":{},"parents":[]}])")
                .find("entity App::Nope::\"x\": entity type App::Nope is not declared"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User("{}")).find("App::User::\"alice\": required attribute `name`"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","nick":"b"})")).find("attribute `nick`"),
            std::string::npos);
  std::string wrong = ErrorOf(User(R"({"name":"a","age":"old"})"));
  EXPECT_NE(wrong.find("App::User::\"alice\" attribute `age`: expected Long, found a string"),
            std::string::npos)
      << wrong;
  EXPECT_NE(ErrorOf(User(R"({"name":"a","age":1.5})")).find("found a non-integer number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","age":18446744073709551615})")).find("out of the range"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","boss":{"type":"App::Doc","id":"d"}})"))
                .find("expected an entity of type App::User"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","address":{"zip":1}})"))
                .find("attribute `address`: required attribute `street`"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","friends":[{"type":"App::User"}]})"))
                .find("attribute `friends`[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","score":"1.23456"})")).find("invalid decimal \"1.23456\""),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(User(R"({"name":"a","score":{"fn":"ip","arg":"1.2.3.4"}})")).find("expected decimal"),
      std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a","color":{"type":"App::Color","id":"blue"}})"))
                .find("not one of the enumerated ids"),
            std::string::npos);
}

TEST_F(ConformanceTest, ParentsTagsAndEnumeratedEntities) {
  EXPECT_NE(ErrorOf(User(R"({"name":"a"})")
                        .replace(User(R"({"name":"a"})").find(R"("parents":[])"), 12,
                                 R"("parents":[{"type":"App::Doc","id":"d"}])"))
                .find("parent App::Doc::\"d\" has a type that App::User cannot be a member of"),
            std::string::npos);
  EXPECT_NE(ErrorOf(User(R"({"name":"a"})", R"(,"tags":{"t":"x"})")).find("tag `t`: expected Long"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Group","id":"g"},"attrs":{},"parents":[],
                        "tags":{"t":1}}])")
                .find("does not allow tags"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Color","id":"blue"},"attrs":{},"parents":[]}])")
                .find("not one of the enumerated ids"),
            std::string::npos);
  EXPECT_TRUE(
      Normalize(R"([{"uid":{"type":"App::Color","id":"red"},"attrs":{},"parents":[]}])").ok());
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Group","id":"g"},"attrs":{},"parents":[]},
                        {"uid":{"type":"App::Group","id":"g"},"attrs":{},"parents":[]}])")
                .find("duplicate entity"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Group","id":"g"},"attrs":{},"parents":[],"x":1}])")
                .find("unknown field `x`"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"uid":1})").find("must be a JSON array"), std::string::npos);
}

TEST_F(ConformanceTest, ActionEntitiesMustMatchTheSchema) {
  Json actions = ActionEntities(schema_);
  Result<Json> out = NormalizeEntities(schema_, actions);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, actions);
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Action","id":"edit"},"attrs":{},"parents":[]}])")
                .find("is not declared"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([{"uid":{"type":"App::Action","id":"view"},"attrs":{},"parents":[]}])")
                .find("differ from the schema"),
            std::string::npos);
}

TEST_F(ConformanceTest, ContextIsCheckedAgainstTheActionContextType) {
  Json view = {{"type", "App::Action"}, {"id", "view"}};
  Result<Json> context =
      NormalizeContext(schema_, view, Json::parse(R"({"authenticated":true,"ip":"::1"})"));
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_EQ(*context,
            Json::parse(R"({"authenticated":true,"ip":{"__extn":{"fn":"ip","arg":"::1"}}})"));
  Result<Json> missing = NormalizeContext(schema_, view, Json::object());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("required attribute `authenticated`"),
            std::string::npos);
  Result<Json> bad_ip =
      NormalizeContext(schema_, view, Json::parse(R"({"authenticated":true,"ip":"1.2.3"})"));
  ASSERT_FALSE(bad_ip.ok());
  EXPECT_NE(bad_ip.status().message().find("\"1.2.3\""), std::string::npos);
  EXPECT_FALSE(NormalizeContext(schema_, {{"type", "App::Action"}, {"id", "nope"}}, {}).ok());
  EXPECT_FALSE(NormalizeContext(schema_, view, Json::array()).ok());
  // An absent context is the empty record: fine for an action whose context has no required
  // attribute, an error for `view`.
  Result<Json> absent =
      NormalizeContext(schema_, {{"type", "App::Action"}, {"id", "all"}}, nullptr);
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_EQ(*absent, Json::object());
  EXPECT_FALSE(NormalizeContext(schema_, view, nullptr).ok());
}

TEST_F(ConformanceTest, RequestValidation) {
  Json user = {{"type", "App::User"}, {"id", "alice"}};
  Json doc = {{"type", "App::Doc"}, {"id", "d"}};
  Json view = {{"type", "App::Action"}, {"id", "view"}};
  Json context = {{"authenticated", false}};
  EXPECT_TRUE(ValidateRequest(schema_, user, view, doc, context).ok());
  EXPECT_TRUE(
      ValidateRequest(schema_, user, view, {{"type", "App::Color"}, {"id", "green"}}, context)
          .ok());

  auto error = [&](const Json& p, const Json& a, const Json& r, const Json& c) {
    Status status = ValidateRequest(schema_, p, a, r, c);
    EXPECT_FALSE(status.ok());
    return status.message();
  };
  EXPECT_NE(error(doc, view, doc, context).find("principal type App::Doc is not valid"),
            std::string::npos);
  EXPECT_NE(error(user, view, user, context).find("resource type App::User is not valid"),
            std::string::npos);
  EXPECT_NE(
      error(user, {{"type", "App::Action"}, {"id", "edit"}}, doc, context).find("is not declared"),
      std::string::npos);
  // An action without appliesTo applies to no request.
  EXPECT_NE(error(user, {{"type", "App::Action"}, {"id", "unused"}}, doc, Json::object())
                .find("is not valid"),
            std::string::npos);
  EXPECT_NE(error(user, view, {{"type", "App::Color"}, {"id", "blue"}}, context).find("enumerated"),
            std::string::npos);
  EXPECT_NE(error(user, view, doc, Json{{"authenticated", 1}}).find("expected Bool"),
            std::string::npos);
  EXPECT_NE(error(Json{{"type", "App::User"}}, view, doc, context).find("principal"),
            std::string::npos);
}

TEST_F(ConformanceTest, AdditionalAttributesAreCheckedWithoutASchemaType) {
  Result<Schema> schema = ParseJsonSchema(Json::parse(R"({"": {"entityTypes": {"E": {"shape":
      {"type": "Record", "attributes": {}, "additionalAttributes": true}}}, "actions": {}}})"));
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  Result<Json> out = NormalizeEntities(*schema, Json::parse(R"([{"uid":{"type":"E","id":"e"},
      "attrs":{"r":{"type":"E","id":"x"},"e":{"__entity":{"type":"E","id":"y"}}},"parents":[]}])"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Without a type, {"type","id"} is a record, not an entity reference.
  EXPECT_EQ((*out)[0]["attrs"]["r"], Json::parse(R"({"type":"E","id":"x"})"));
  EXPECT_EQ((*out)[0]["attrs"]["e"], Json::parse(R"({"__entity":{"type":"E","id":"y"}})"));
  EXPECT_FALSE(NormalizeEntities(*schema, Json::parse(R"([{"uid":{"type":"E","id":"e"},
      "attrs":{"f":1.5},"parents":[]}])"))
                   .ok());
}

TEST_F(ConformanceTest, ExtensionLiterals) {
  struct Case {
    const char* attr;
    const char* literal;
    bool valid;
  };
  const Case cases[] = {
      {"score", "0.0", true},
      {"score", "-922337203685477.5808", true},
      {"score", "922337203685477.5808", false},
      {"score", "1.", false},
      {"score", "12", false},
      {"ip", "192.168.0.1", true},
      {"ip", "192.168.0.1/24", true},
      {"ip", "192.168.0.1/33", false},
      {"ip", "192.168.01.1", false},
      {"ip", "fe80::1/64", true},
      {"ip", "fe80::1/129", false},
      {"seen", "2024-02-29", true},
      {"seen", "2023-02-29", false},
      {"seen", "2024-01-01T23:59:59.999+0130", true},
      {"seen", "2024-01-01T24:00:00Z", false},
      {"seen", "2024-01-01T10:00:00", false},
      {"ttl", "1d", true},
      {"ttl", "1h1d", false},
      {"ttl", "-", false},
      {"ttl", "1ms2s", false},
      {"ttl", "9999999999999999d", false},
  };
  for (const auto& c : cases) {
    Json attrs = {{"name", "a"}, {c.attr, c.literal}};
    Json entities = Json::array({Json{{"uid", {{"type", "App::User"}, {"id", "a"}}},
                                      {"attrs", attrs},
                                      {"parents", Json::array()}}});
    Result<Json> out = NormalizeEntities(schema_, entities);
    EXPECT_EQ(out.ok(), c.valid) << c.attr << " " << c.literal << ": " << out.status().ToString();
  }
}

TEST_F(ConformanceTest, DeepValuesAreAnErrorNotACrash) {
  Result<Schema> open = ParseJsonSchema(Json::parse(R"({"": {"entityTypes": {"E": {"shape":
      {"type": "Record", "attributes": {}, "additionalAttributes": true}}}, "actions": {}}})"));
  ASSERT_TRUE(open.ok()) << open.status().ToString();
  Json value = 1;
  for (int i = 0; i < 1000; ++i)
    value = Json::array({std::move(value)});
  Json entity = {{"uid", {{"type", "E"}, {"id", "e"}}}, {"attrs", {{"deep", std::move(value)}}}};
  Result<Json> out = NormalizeEntities(*open, Json::array({std::move(entity)}));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("nested deeper"), std::string::npos);
  EXPECT_NE(out.status().message().find("attribute `deep`"), std::string::npos);
}

}  // namespace
}  // namespace pactum::cedar::schema
