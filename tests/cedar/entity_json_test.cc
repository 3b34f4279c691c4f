#include "pactum/cedar/entity_json.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pactum/base/json.h"
#include "pactum/cedar/schema/conformance.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar {
namespace {

const char* kSchema = R"(
  namespace App {
    entity Group in [Group];
    entity Color enum ["red", "green"];
    entity User in [Group] {
      name: String,
      age?: Long,
      admin?: Bool,
      boss?: User,
      friends?: Set<User>,
      score?: decimal,
      ip?: ipaddr,
      seen?: datetime,
      ttl?: duration,
      color?: Color,
      address?: { street: String, zip?: Long },
    } tags Long;
    entity Doc in [Group] { "meta": { "level": Long } };
    action all;
    action view in [all] appliesTo {
      principal: [User],
      resource: [Doc, Color],
      context: { authenticated: Bool, ip?: ipaddr },
    };
  }
)";

// Renders a store's view of one entity for comparisons.
std::string Describe(const Entities& store, const EntityUid& uid) {
  Entities::Resolved r = store.Resolve(uid);
  if (r.entity() == nullptr) return "absent";
  std::string out = "attrs ";
  out += Value::MakeRecord(r.entity()->attrs).ToString();
  out += " tags ";
  out += Value::MakeRecord(r.entity()->tags).ToString();
  out += " ancestors";
  // A set, in no particular order.
  for (const EntityUid& a : std::set<EntityUid>(r.ancestors().begin(), r.ancestors().end())) {
    out += ' ';
    out += a.ToString();
  }
  return out;
}

class EntityJsonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<schema::Schema> s = schema::ParseCedarSchema(kSchema);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    schema_ = std::move(s).value();
  }

  // The document path the reader replaces, with the schema.
  Result<Entities> DocumentPath(const std::string& text) {
    PACTUM_ASSIGN_OR_RETURN(Json json, ParseJson(text));
    PACTUM_ASSIGN_OR_RETURN(Json normalized, schema::NormalizeEntities(schema_, json));
    return Entities::FromJson(normalized);
  }

  schema::Schema schema_;
};

TEST_F(EntityJsonTest, PlainReadsWhatFromJsonReads) {
  const std::string text = R"([
    {"uid": {"type": "User", "id": "alice"}, "parents": [{"__entity": {"type": "Group", "id": "g"}}],
     "attrs": {"age": 42, "tags": ["a", "b", "a"], "boss": {"__entity": {"type": "User", "id": "bob"}},
               "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}, "nested": {"x": {"y": true}},
               "esc": "\u00e9\ud83d\ude00\n", "min": -9223372036854775808,
               "record_with_escape_key": {"__entity": 1, "other": 2}},
     "tags": {"t": "v"}},
    {"uid": {"__entity": {"type": "Group", "id": "g"}}, "parents": [{"type": "Group", "id": "top"}],
     "ignored": [1, 2, {"x": null}]}
  ])";
  Result<Entities> read = ReadEntities(text);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  Result<Entities> reference = Entities::FromJson(Json::parse(text));
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  EXPECT_EQ(read->size(), 2u);
  for (const EntityUid& uid : {EntityUid{"User", "alice"}, EntityUid{"Group", "g"}}) {
    EXPECT_EQ(Describe(*read, uid), Describe(*reference, uid)) << uid.ToString();
  }
  EXPECT_TRUE(read->IsInOrEqual({"User", "alice"}, {"Group", "top"}));
}

TEST_F(EntityJsonTest, PlainErrors) {
  struct Case {
    const char* text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {R"({})", "entities: expected a JSON array"},
      {R"([{"attrs": {}}])", "entities/0: expected an object with \"uid\""},
      {R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 1.5}}])",
       "entities/0/attrs/x: Cedar has no floating-point numbers"},
      {R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x": [null]}}])",
       "entities/0/attrs/x/0: null is not a Cedar value"},
      {R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x": 9223372036854775808}}])",
       "entities/0/attrs/x: integer out of range for a Cedar long"},
      {R"([{"uid": {"type": "A", "id": "a"}, "parents": {}}])",
       "entities/0/parents: expected an array"},
      {R"([{"uid": {"type": "1A", "id": "a"}}])", "entities/0/uid: invalid entity type \"1A\""},
      {R"([{"uid": {"type": "A", "id": "a"}}, {"uid": {"type": "A", "id": "a"}}])",
       "duplicate entity A::\"a\""},
  };
  for (const Case& c : cases) {
    Result<Entities> read = ReadEntities(c.text);
    ASSERT_FALSE(read.ok()) << c.text;
    EXPECT_EQ(read.status().message(), c.message) << c.text;
    EXPECT_FALSE(Entities::FromJson(Json::parse(c.text)).ok()) << c.text;
  }
}

TEST_F(EntityJsonTest, MalformedJsonNamesLineAndColumn) {
  Result<Entities> read = ReadEntities("[\n  {\"uid\": {\"type\": \"A\", \"id\": \"a\"},}\n]");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().message().rfind("malformed JSON at line 2, column", 0), 0u)
      << read.status().message();
  EXPECT_EQ(read.status().details()["line"], 2);
  for (const char* bad :
       {"", "[", "[1,]", "[\"\x01\"]", "[\"\xC3\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\x\"]",
        "[01]", "[1.]", "[-]", "[tru]", "[] []", "[{\"uid\" {}}]", "[\"\xED\xA0\x80\"]"}) {
    Result<Entities> r = ReadEntities(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(ParseJson(bad).ok()) << bad;  // the document parser agrees
  }
  EXPECT_TRUE(ReadEntities("\xEF\xBB\xBF [ ] \n").ok());  // a BOM and spaces
}

TEST_F(EntityJsonTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = R"([{"uid": {"type": "A", "id": "a"}, "attrs": {"x": )";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}]";
  EXPECT_FALSE(ReadEntities(deep).ok());
  EXPECT_FALSE(ReadEntities(deep, schema_).ok());
  EXPECT_FALSE(ReadEntities(std::string(100000, '[')).ok());
}

TEST_F(EntityJsonTest, SchemaDirectedReadsWhatTheDocumentPathReads) {
  // Members in any order (uid last), implicit entity references, extension values from strings
  // and in explicit form, sets, records, tags; the schema's action entities are added.
  const std::string text = R"([
    {"attrs": {"name": "Alice", "age": 7, "admin": false, "boss": {"type": "App::User", "id": "bob"},
               "friends": [{"__entity": {"type": "App::User", "id": "bob"}}],
               "score": "1.25", "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
               "seen": "2024-10-15T11:35:00Z", "ttl": {"fn": "duration", "arg": "1h"},
               "color": {"type": "App::Color", "id": "red"},
               "address": {"street": "Main", "zip": 12345}},
     "tags": {"level": 3}, "parents": [{"type": "App::Group", "id": "staff"}],
     "uid": {"type": "App::User", "id": "alice"}},
    {"uid": {"type": "App::User", "id": "bob"}, "attrs": {"name": "Bob"}, "parents": []},
    {"uid": {"type": "App::Doc", "id": "d"}, "attrs": {"meta": {"level": 1}}},
    {"uid": {"type": "App::Group", "id": "staff"}, "parents": [{"type": "App::Group", "id": "all"}]}
  ])";
  Result<Entities> read = ReadEntities(text, schema_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  Result<Entities> reference = DocumentPath(text);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  for (const EntityUid& uid : {EntityUid{"App::User", "alice"}, EntityUid{"App::User", "bob"},
                               EntityUid{"App::Doc", "d"}, EntityUid{"App::Group", "staff"}}) {
    EXPECT_EQ(Describe(*read, uid), Describe(*reference, uid)) << uid.ToString();
  }
  EXPECT_EQ(read->size(), 6u);  // and App::Action::"all", App::Action::"view"
  EXPECT_TRUE(read->IsInOrEqual({"App::Action", "view"}, {"App::Action", "all"}));
  EXPECT_TRUE(read->IsInOrEqual({"App::User", "alice"}, {"App::Group", "all"}));
  const Value& score = read->Find({"App::User", "alice"})->attrs.at("score");
  ASSERT_TRUE(score.is_extension());
  EXPECT_EQ(score.as_extension().TypeName(), "decimal");

  // An action entity given in the text is kept, not replaced.
  Result<Entities> with_action = ReadEntities(
      R"([{"uid": {"type": "App::Action", "id": "view"}, "parents": [{"type": "App::Action", "id": "all"}]}])",
      schema_);
  ASSERT_TRUE(with_action.ok()) << with_action.status().ToString();
  EXPECT_EQ(with_action->size(), 2u);
}

// Every rejection carries NormalizeEntities' message.
TEST_F(EntityJsonTest, SchemaDirectedErrorsAreNormalizeEntitiesErrors) {
  auto user = [](const std::string& attrs, const std::string& rest = "") {
    return R"([{"uid":{"type":"App::User","id":"alice"},"attrs":)" + attrs + rest + "}]";
  };
  const std::vector<std::string> bad = {
      R"({})",
      R"([1])",
      R"([{"uid":{"type":"App::User","id":"alice"},"atrs":{}}])",
      R"([{"attrs":{}}])",
      R"([{"uid":{"type":"App::User"}}])",
      R"([{"uid":{"type":"App::User","id":"a","x":1}}])",
      R"([{"uid":{"type":"1bad","id":"a"}}])",
      R"([{"uid":{"type":"App::Nope","id":"a"}}])",
      R"([{"uid":{"type":"App::Color","id":"blue"}}])",
      user(R"({})"),
      user(R"({"name":1})"),
      user(R"({"name":"a","age":"7"})"),
      user(R"({"name":"a","age":1.5})"),
      user(R"({"name":"a","age":9223372036854775808})"),
      user(R"({"name":"a","admin":null})"),
      user(R"({"name":"a","unknown":1})"),
      user(R"({"name":"a","boss":{"type":"App::Doc","id":"d"}})"),
      user(R"({"name":"a","boss":"bob"})"),
      user(
          R"({"name":"a","friends":[{"type":"App::User","id":"b"},{"type":"App::Doc","id":"d"}]})"),
      user(R"({"name":"a","score":"1.23456"})"),
      user(R"({"name":"a","ip":"300.0.0.1"})"),
      user(R"({"name":"a","ip":{"__extn":{"fn":"decimal","arg":"1.0"}}})"),
      user(R"({"name":"a","ip":{"__extn":{"fn":"ip","arg":"nope"}}})"),
      user(R"({"name":"a","seen":{"fn":"nope","arg":"x"}})"),
      user(R"({"name":"a","color":{"type":"App::Color","id":"blue"}})"),
      user(R"({"name":"a","address":{"zip":1}})"),
      user(R"({"name":"a","address":{"__entity":{"type":"App::User","id":"b"}}})"),
      user(R"({"name":"a","address":{"street":"s","__extn":1}})"),
      user(R"({"name":"a","address":[]})"),
      user(R"({"name":"a"})", R"(,"tags":{"t":"x"})"),
      user(R"({"name":"a"})", R"(,"tags":[])"),
      user(R"({"name":"a"})", R"(,"parents":[{"type":"App::Doc","id":"d"}])"),
      user(R"({"name":"a"})", R"(,"parents":{})"),
      user(R"([])"),
      R"([{"uid":{"type":"App::Doc","id":"d"},"attrs":{"meta":{"level":1}},"tags":{"a":1}}])",
      R"([{"uid":{"type":"App::Action","id":"nope"}}])",
      R"([{"uid":{"type":"App::Action","id":"view"},"parents":[]}])",
      R"([{"uid":{"type":"App::Action","id":"all"},"attrs":{"a":1}}])",
  };
  for (const std::string& text : bad) {
    Result<Entities> read = ReadEntities(text, schema_);
    Result<Json> normalized = schema::NormalizeEntities(schema_, Json::parse(text));
    ASSERT_FALSE(normalized.ok()) << text;
    ASSERT_FALSE(read.ok()) << text;
    EXPECT_EQ(read.status().message(), normalized.status().message()) << text;
  }
}

TEST_F(EntityJsonTest, ContextIsTypedByTheAction) {
  EntityReader reader(schema_);
  const EntityUid view{"App::Action", "view"};
  Result<Value> context = reader.ReadContext(R"({"authenticated": true, "ip": "::1"})", view);
  ASSERT_TRUE(context.ok()) << context.status().ToString();
  EXPECT_TRUE(context->as_record().at("ip").is_extension());

  const Json action{{"type", "App::Action"}, {"id", "view"}};
  for (const char* bad : {R"({})", R"({"authenticated": 1})", R"({"authenticated": true, "x": 1})",
                          R"([])", R"({"__entity": {"type": "App::User", "id": "a"}})", "null"}) {
    Result<Value> read = reader.ReadContext(bad, view);
    Result<Json> normalized = schema::NormalizeContext(schema_, action, Json::parse(bad));
    ASSERT_FALSE(normalized.ok()) << bad;
    ASSERT_FALSE(read.ok()) << bad;
    EXPECT_EQ(read.status().message(), normalized.status().message()) << bad;
  }
  Result<Value> undeclared = reader.ReadContext("{}", {"App::Action", "nope"});
  ASSERT_FALSE(undeclared.ok());
  EXPECT_EQ(undeclared.status().message(),
            "action App::Action::\"nope\" is not declared in the schema");
  EXPECT_TRUE(reader.ReadContext("{}", {"App::Action", "all"}).ok());
  EXPECT_TRUE(reader.ReadContext("", {"App::Action", "all"}).ok());

  // Without a schema: as ContextFromJson; empty or null is the empty context.
  EntityReader plain;
  Result<Value> any =
      plain.ReadContext(R"({"a": [1, {"__entity": {"type": "U", "id": "u"}}]})", {"Action", "x"});
  ASSERT_TRUE(any.ok()) << any.status().ToString();
  EXPECT_EQ(*any,
            *ContextFromJson(Json::parse(R"({"a": [1, {"__entity": {"type": "U", "id": "u"}}]})")));
  EXPECT_TRUE(plain.ReadContext("null", {"Action", "x"})->as_record().empty());
  EXPECT_EQ(plain.ReadContext("[]", {"Action", "x"}).status().message(),
            "context: expected an object");
  EXPECT_FALSE(plain.ReadContext("{} x", {"Action", "x"}).ok());
}

TEST_F(EntityJsonTest, ScopeChecksAgreeWithValidateRequestScope) {
  EntityReader reader(schema_);
  auto uid = [](const char* type, const char* id) { return EntityUid{type, id}; };
  struct Case {
    EntityUid principal, action, resource;
  };
  const Case cases[] = {
      {uid("App::User", "a"), uid("App::Action", "view"), uid("App::Doc", "d")},      // ok
      {uid("App::User", "a"), uid("App::Action", "view"), uid("App::Color", "red")},  // ok
      {uid("App::User", "a"), uid("App::Action", "nope"), uid("App::Doc", "d")},      // undeclared
      {uid("App::Doc", "d"), uid("App::Action", "view"), uid("App::Doc", "d")},    // bad principal
      {uid("App::User", "a"), uid("App::Action", "view"), uid("App::User", "b")},  // bad resource
      {uid("App::User", "a"), uid("App::Action", "view"), uid("App::Color", "blue")},  // not enum
      {uid("App::User", "a"), uid("App::Action", "all"), uid("App::Doc", "d")},  // no appliesTo
  };
  auto json = [](const EntityUid& u) { return Json{{"type", u.type}, {"id", u.id}}; };
  int failing = 0;
  for (const Case& c : cases) {
    Status got = reader.CheckScope(c.principal, c.action, c.resource);
    Status want =
        schema::ValidateRequestScope(schema_, json(c.principal), json(c.action), json(c.resource));
    EXPECT_EQ(got.ToString(), want.ToString()) << c.action.ToString() << c.resource.ToString();
    failing += !got.ok();
  }
  EXPECT_EQ(failing, 5);
  EXPECT_TRUE(EntityReader().CheckScope(uid("X", "x"), uid("Action", "a"), uid("Y", "y")).ok());
}

}  // namespace
}  // namespace pactum::cedar
