#include <string>

#include <gtest/gtest.h>

#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

Schema MustParse(std::string_view text) {
  Result<Schema> schema = ParseCedarSchema(text);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? std::move(schema).value() : Schema{};
}

std::string ErrorOf(std::string_view text) {
  Result<Schema> schema = ParseCedarSchema(text);
  EXPECT_FALSE(schema.ok()) << "parsed: " << text;
  if (schema.ok()) return "";
  EXPECT_EQ(schema.status().code(), Code::kInvalidArgument);
  return schema.status().message();
}

const Type& AttrType(const Schema& schema, const std::string& entity, const std::string& attr) {
  static const Type kMissing;
  const EntityType* type = schema.FindEntityType(entity);
  if (!type) {
    ADD_FAILURE() << "no entity type " << entity;
    return kMissing;
  }
  auto it = type->shape->attributes.find(attr);
  if (it == type->shape->attributes.end()) {
    ADD_FAILURE() << "no attribute " << attr;
    return kMissing;
  }
  return *it->second.type;
}

TEST(CedarSyntaxTest, EntityTypesWithParentsAttributesAndTags) {
  Schema schema = MustParse(R"(
    // A comment.
    @doc("users")
    entity User in [Group, Team] = {
      "full name": String,
      age?: Long,
      @doc("flag") active: Bool,
    } tags Set<String>;
    entity Group, Team;
    entity Doc { owner: User };
  )");
  ASSERT_EQ(schema.entity_types.size(), 4u);
  const EntityType* user = schema.FindEntityType("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->member_of_types, (std::set<std::string>{"Group", "Team"}));
  ASSERT_EQ(user->shape->attributes.size(), 3u);
  EXPECT_TRUE(user->shape->attributes.at("full name").required);
  EXPECT_FALSE(user->shape->attributes.at("age").required);
  EXPECT_EQ(user->shape->attributes.at("active").type->kind, TypeKind::kBool);
  ASSERT_NE(user->tags, nullptr);
  EXPECT_EQ(TypeToString(*user->tags), "Set<String>");
  EXPECT_EQ(schema.FindEntityType("Group")->tags, nullptr);
  EXPECT_EQ(AttrType(schema, "Doc", "owner").kind, TypeKind::kEntity);
  EXPECT_EQ(AttrType(schema, "Doc", "owner").name, "User");
}

TEST(CedarSyntaxTest, EnumeratedEntityTypes) {
  Schema schema = MustParse(R"(entity Color enum ["red", "green"]; entity Empty;)");
  const EntityType* color = schema.FindEntityType("Color");
  ASSERT_NE(color, nullptr);
  ASSERT_TRUE(color->enum_choices.has_value());
  EXPECT_EQ(*color->enum_choices, (std::vector<std::string>{"red", "green"}));
  EXPECT_FALSE(schema.FindEntityType("Empty")->enum_choices.has_value());
  EXPECT_NE(ErrorOf(R"(entity Color enum [];)").find("line 1, column 20"), std::string::npos);
}

TEST(CedarSyntaxTest, ActionsWithGroupsAndAppliesTo) {
  Schema schema = MustParse(R"(
    namespace App {
      entity User;
      entity Photo;
      action "read";
      action view, "edit photo" in ["read", App::Action::"read"] appliesTo {
        principal: User,
        resource: [Photo],
        context: { ip: ipaddr, "score"?: decimal },
      };
      action nothing;
    }
  )");
  ASSERT_EQ(schema.actions.size(), 4u);
  const Action* view = schema.FindAction(ActionUid{"App::Action", "view"});
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->member_of, (std::set<ActionUid>{{"App::Action", "read"}}));
  EXPECT_EQ(view->principal_types, (std::set<std::string>{"App::User"}));
  EXPECT_EQ(view->resource_types, (std::set<std::string>{"App::Photo"}));
  EXPECT_EQ(TypeToString(*view->context), "{ ip: ipaddr, score?: decimal }");
  ASSERT_NE(schema.FindAction(ActionUid{"App::Action", "edit photo"}), nullptr);
  const Action* nothing = schema.FindAction(ActionUid{"App::Action", "nothing"});
  ASSERT_NE(nothing, nullptr);
  EXPECT_TRUE(nothing->principal_types.empty());
  EXPECT_TRUE(nothing->context->attributes.empty());
}

TEST(CedarSyntaxTest, ActionEntitiesListDirectGroups) {
  Schema schema = MustParse(R"(
    namespace NS { action all; action read in all; action view in [read]; }
  )");
  Json expected = Json::parse(R"([
    {"uid":{"type":"NS::Action","id":"all"},"attrs":{},"parents":[]},
    {"uid":{"type":"NS::Action","id":"read"},"attrs":{},"parents":[{"type":"NS::Action","id":"all"}]},
    {"uid":{"type":"NS::Action","id":"view"},"attrs":{},"parents":[{"type":"NS::Action","id":"read"}]}
  ])");
  EXPECT_EQ(ActionEntities(schema), expected);
}

TEST(CedarSyntaxTest, CommonTypesTakePrecedenceOverEntitiesAndBuiltins) {
  Schema schema = MustParse(R"(
    type Name = String;
    namespace Demo {
      entity Host { ip: ipaddr, bandwidth: decimal, name: Name, s: String, b: Bool,
                    l: __cedar::Long, q: __cedar::String };
      entity String { groups: Set<__cedar::String> };
      type ipaddr = { repr: String };
    }
  )");
  // The namespace's common type `ipaddr` shadows the extension type.
  EXPECT_EQ(AttrType(schema, "Demo::Host", "ip").kind, TypeKind::kRecord);
  EXPECT_EQ(TypeToString(AttrType(schema, "Demo::Host", "ip")), "{ repr: Demo::String }");
  EXPECT_EQ(AttrType(schema, "Demo::Host", "bandwidth").kind, TypeKind::kExtension);
  // Unqualified names fall back to the empty namespace.
  EXPECT_EQ(AttrType(schema, "Demo::Host", "name").kind, TypeKind::kString);
  // The namespace's entity type `String` shadows the builtin; `__cedar::` names the builtin.
  EXPECT_EQ(AttrType(schema, "Demo::Host", "s").kind, TypeKind::kEntity);
  EXPECT_EQ(AttrType(schema, "Demo::Host", "q").kind, TypeKind::kString);
  EXPECT_EQ(AttrType(schema, "Demo::Host", "b").kind, TypeKind::kBool);
  EXPECT_EQ(AttrType(schema, "Demo::Host", "l").kind, TypeKind::kLong);
  EXPECT_EQ(TypeToString(AttrType(schema, "Demo::String", "groups")), "Set<String>");
}

TEST(CedarSyntaxTest, ContextMayNameACommonRecordType) {
  Schema schema = MustParse(R"(
    type Ctx = { ok: Bool };
    entity U;
    action a appliesTo { principal: U, resource: U, context: Ctx };
  )");
  EXPECT_EQ(TypeToString(*schema.FindAction(ActionUid{"Action", "a"})->context), "{ ok: Bool }");
  EXPECT_NE(ErrorOf(R"(type C = Long; entity U;
    action a appliesTo { principal: U, resource: U, context: C };)")
                .find("must be a record"),
            std::string::npos);
}

TEST(CedarSyntaxTest, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_NE(ErrorOf("entity User\n  { name: String };\nentity ;").find("line 3, column 8"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity A = { a: Long ").find("line 1, column 22"), std::string::npos);
  EXPECT_NE(ErrorOf("entity A;\n  $").find("line 2, column 3"), std::string::npos);
  EXPECT_NE(ErrorOf("entity \"A\";").find("expected an identifier"), std::string::npos);
  EXPECT_NE(ErrorOf("action \"a\\q\";").find("invalid escape"), std::string::npos);
  EXPECT_NE(ErrorOf("entity in;").find("reserved"), std::string::npos);
  EXPECT_NE(ErrorOf("@doc(\"a\") @doc(\"b\") entity A;").find("duplicate annotation"),
            std::string::npos);
}

TEST(CedarSyntaxTest, NameErrors) {
  EXPECT_NE(ErrorOf("entity A { b: B };").find("undeclared type `B`"), std::string::npos);
  EXPECT_NE(ErrorOf("entity A in [B];").find("undeclared entity type `B`"), std::string::npos);
  EXPECT_NE(ErrorOf("entity A; entity A;").find("duplicate entity type `A`"), std::string::npos);
  EXPECT_NE(ErrorOf("type T = Long; type T = String;").find("duplicate common type"),
            std::string::npos);
  EXPECT_NE(ErrorOf("action a; action a;").find("duplicate action"), std::string::npos);
  EXPECT_NE(ErrorOf("namespace N {} namespace N {}").find("duplicate namespace"),
            std::string::npos);
  EXPECT_NE(ErrorOf("type Set = Long;").find("reserved"), std::string::npos);
  EXPECT_NE(ErrorOf("namespace __cedar { entity A; }").find("__cedar"), std::string::npos);
  EXPECT_NE(ErrorOf("namespace A::__cedar { entity B; }").find("__cedar"), std::string::npos);
  EXPECT_NE(ErrorOf("entity A { a: Long, a: String };").find("duplicate attribute `a`"),
            std::string::npos);
  // An entity type of another namespace needs its qualified name.
  EXPECT_NE(ErrorOf("namespace A { entity X; } namespace B { entity Y in [X]; }")
                .find("undeclared entity type `X`"),
            std::string::npos);
  MustParse("namespace A { entity X; } namespace B { entity Y in [A::X]; }");
}

TEST(CedarSyntaxTest, NameErrorsPointAtTheReference) {
  std::string error = ErrorOf("entity A {\n  b: Missing,\n};");
  EXPECT_NE(error.find("undeclared type `Missing` (at line 2, column 6)"), std::string::npos)
      << error;
  error = ErrorOf("entity U;\naction a appliesTo { principal: U, resource: [U, V] };");
  EXPECT_NE(error.find("`V` (at line 2, column 50)"), std::string::npos) << error;
}

TEST(CedarSyntaxTest, CommonTypeCyclesAreErrors) {
  EXPECT_NE(ErrorOf("type A = { b: B }; type B = Set<A>; entity E { a: A };")
                .find("defined in terms of itself"),
            std::string::npos);
}

TEST(CedarSyntaxTest, ActionHierarchyErrors) {
  EXPECT_NE(ErrorOf("action a in b;").find("undeclared action"), std::string::npos);
  EXPECT_NE(ErrorOf("action a in b; action b in c; action c in a;").find("cycle"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity U; action a appliesTo { principal: U };").find("`resource`"),
            std::string::npos);
  EXPECT_NE(ErrorOf("entity U; action a appliesTo { principal: U, principal: U, resource: U };")
                .find("duplicate `principal`"),
            std::string::npos);
  EXPECT_NE(ErrorOf("action a appliesTo { principal: U, resource: U };")
                .find("undeclared entity type `U`"),
            std::string::npos);
}

TEST(CedarSyntaxTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "entity A { a: ";
  for (int i = 0; i < 100000; ++i)
    deep += "Set<";
  deep += "Long";
  for (int i = 0; i < 100000; ++i)
    deep += ">";
  deep += " };";
  EXPECT_NE(ErrorOf(deep).find("nested deeper"), std::string::npos);

  std::string records = "entity A ";
  for (int i = 0; i < 100000; ++i)
    records += "{ a: ";
  EXPECT_NE(ErrorOf(records).find("nested deeper"), std::string::npos);

  // A long chain of common types is bounded too.
  std::string chain;
  for (int i = 0; i < 200; ++i) {
    chain += "type T" + std::to_string(i) + " = T" + std::to_string(i + 1) + ";\n";
  }
  chain += "type T200 = Long; entity E { a: T0 };";
  EXPECT_NE(ErrorOf(chain).find("deeper"), std::string::npos);
}

TEST(CedarSyntaxTest, EmptyAndCommentOnlySchemas) {
  EXPECT_TRUE(MustParse("").entity_types.empty());
  EXPECT_TRUE(MustParse("// nothing here\n").actions.empty());
}

}  // namespace
}  // namespace pactum::cedar::schema
