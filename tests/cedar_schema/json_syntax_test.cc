#include <string>

#include <gtest/gtest.h>

#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

Schema MustParse(const char* json) {
  Result<Schema> schema = ParseJsonSchema(Json::parse(json));
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? std::move(schema).value() : Schema{};
}

Status ErrorOf(const char* json) {
  Result<Schema> schema = ParseJsonSchema(Json::parse(json));
  EXPECT_FALSE(schema.ok()) << "parsed: " << json;
  return schema.status();
}

TEST(JsonSyntaxTest, FullNamespace) {
  Schema schema = MustParse(R"({
    "App": {
      "annotations": {"doc": "the app"},
      "commonTypes": {
        "Ctx": {"type": "Record", "attributes": {
          "ip": {"type": "Extension", "name": "ipaddr"},
          "when": {"type": "datetime", "required": false}
        }},
        "datetime": {"type": "Extension", "name": "datetime"}
      },
      "entityTypes": {
        "User": {
          "memberOfTypes": ["Group"],
          "shape": {"type": "Record", "attributes": {
            "name": {"type": "String"},
            "age": {"type": "Long", "required": false},
            "admin": {"type": "Boolean"},
            "friends": {"type": "Set", "element": {"type": "Entity", "name": "User"}},
            "boss": {"type": "EntityOrCommon", "name": "User"},
            "extra": {"type": "Record", "attributes": {}, "additionalAttributes": true}
          }},
          "tags": {"type": "String"}
        },
        "Group": {},
        "Color": {"enum": ["red", "blue"]}
      },
      "actions": {
        "read": {},
        "view": {
          "memberOf": [{"id": "read"}, {"id": "read", "type": "App::Action"}],
          "appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Group"],
                        "context": {"type": "Ctx"}}
        }
      }
    }
  })");
  const EntityType* user = schema.FindEntityType("App::User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->member_of_types, (std::set<std::string>{"App::Group"}));
  EXPECT_EQ(TypeToString(*user->shape),
            "{ admin: Bool, age?: Long, boss: App::User, extra: {}, friends: Set<App::User>, "
            "name: String }");
  EXPECT_TRUE(user->shape->attributes.at("extra").type->additional_attributes);
  EXPECT_EQ(TypeToString(*user->tags), "String");
  EXPECT_EQ(schema.FindEntityType("App::Color")->enum_choices,
            (std::vector<std::string>{"red", "blue"}));
  const Action* view = schema.FindAction(ActionUid{"App::Action", "view"});
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->member_of, (std::set<ActionUid>{{"App::Action", "read"}}));
  EXPECT_EQ(TypeToString(*view->context), "{ ip: ipaddr, when?: datetime }");
  EXPECT_TRUE(schema.FindAction(ActionUid{"App::Action", "read"})->principal_types.empty());
}

TEST(JsonSyntaxTest, AgreesWithTheCedarSyntax) {
  Result<Schema> from_cedar = ParseCedarSchema(R"(
    namespace N {
      type Addr = { street: String, zip?: Long };
      entity Team;
      entity User in [Team] { addr: Addr, tags: Set<String> } tags decimal;
      action read appliesTo { principal: [User], resource: [Team], context: { a: Addr } };
    }
  )");
  ASSERT_TRUE(from_cedar.ok()) << from_cedar.status().ToString();
  Schema from_json = MustParse(R"({"N": {
    "commonTypes": {"Addr": {"type": "Record", "attributes": {
      "street": {"type": "String"}, "zip": {"type": "Long", "required": false}}}},
    "entityTypes": {
      "Team": {},
      "User": {"memberOfTypes": ["Team"], "tags": {"type": "Extension", "name": "decimal"},
               "shape": {"type": "Record", "attributes": {
                 "addr": {"type": "Addr"},
                 "tags": {"type": "Set", "element": {"type": "String"}}}}}},
    "actions": {"read": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Team"],
      "context": {"type": "Record", "attributes": {"a": {"type": "Addr"}}}}}}
  }})");
  EXPECT_EQ(ToJsonSchema(*from_cedar), ToJsonSchema(from_json));
  const EntityType* user = from_cedar->FindEntityType("N::User");
  ASSERT_NE(user, nullptr);
  EXPECT_TRUE(SameType(*user->shape, *from_json.FindEntityType("N::User")->shape));
}

TEST(JsonSyntaxTest, ErrorsNameThePathOfTheBadField) {
  Status status = ErrorOf(R"({"N": {"entityTypes": {"U": {"shape": {"type": "Record",
      "attributes": {"a": {"type": "Set"}}}}}, "actions": {}}})");
  EXPECT_NE(status.message().find("/N/entityTypes/U/shape/attributes/a"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("missing field `element`"), std::string::npos);
  EXPECT_EQ(status.details()["field"], "/N/entityTypes/U/shape/attributes/a");

  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"U": {"color": 1}}, "actions": {}}})")
                .message()
                .find("//entityTypes/U/color: unknown field"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {}}})").message().find("missing field `actions`"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {}, "actions": {"a": {"appliesTo": {
      "principalTypes": [1], "resourceTypes": []}}}}})")
                .message()
                .find("//actions/a/appliesTo/principalTypes/0: expected a string"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"U": {"shape": {"type": "Long"}}}, "actions": {}}})")
                .message()
                .find("must be a record"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"U": {"shape": {"type": "Record", "attributes":
      {"a": {"type": "Extension", "name": "money"}}}}}, "actions": {}}})")
                .message()
                .find("unknown extension type `money`"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"U": {"enum": []}}, "actions": {}}})")
                .message()
                .find("non-empty"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"G": {}, "U": {"enum": ["a"], "memberOfTypes": ["G"]}},
      "actions": {}}})")
                .message()
                .find("//entityTypes/U/enum: an enumerated entity type cannot declare"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {}, "actions": {"a": {"attributes": {"x": 1}}}}})")
                .message()
                .find("//actions/a/attributes: action attributes are not supported"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"": {"commonTypes": {"Long": {"type": "String"}}, "entityTypes": {},
      "actions": {}}})")
                .message()
                .find("reserved"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"([1])").message().find("object of namespaces"), std::string::npos);
}

TEST(JsonSyntaxTest, CommonTypeReferencesDoNotNameEntityTypes) {
  // {"type": "<name>"} refers to a common type; an entity type needs "Entity" or
  // "EntityOrCommon".
  EXPECT_NE(ErrorOf(R"({"": {"entityTypes": {"U": {"shape": {"type": "Record", "attributes":
      {"a": {"type": "U"}}}}}, "actions": {}}})")
                .message()
                .find("undeclared type `U`"),
            std::string::npos);
}

TEST(JsonSyntaxTest, DeepNestingIsAnErrorNotACrash) {
  Json type = {{"type", "Long"}};
  for (int i = 0; i < 1000; ++i)
    type = Json{{"type", "Set"}, {"element", std::move(type)}};
  Json schema = {{"",
                  {{"commonTypes", {{"T", type}}},
                   {"entityTypes", Json::object()},
                   {"actions", Json::object()}}}};
  Result<Schema> parsed = ParseJsonSchema(schema);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("nested deeper"), std::string::npos);
}

}  // namespace
}  // namespace pactum::cedar::schema
