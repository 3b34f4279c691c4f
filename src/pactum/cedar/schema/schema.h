// Cedar schemas: the resolved model and its two source formats.
//
// ParseCedarSchema reads the human-readable `.cedarschema` syntax, ParseJsonSchema the JSON
// format; both produce the same Schema, in which every name is fully qualified ("NS::User"),
// every common type is expanded in place, and every reference has been checked to exist.
// Names resolve as Cedar 4 does: an unqualified name used as a type is looked up as a common
// type then an entity type of the current namespace, then of the empty namespace, and only then
// as a builtin (Long, String, Bool, an extension type); `__cedar::X` always names the builtin.
// Errors are kInvalidArgument; syntax errors name "line L, column C", JSON errors the path of
// the bad field ("/NS/entityTypes/User/shape"). Nesting deeper than kMaxTypeDepth is an error.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"

namespace pactum::cedar::schema {

// Bound on nested types (sets, records, common-type expansion) so hostile input cannot exhaust
// the stack.
inline constexpr int kMaxTypeDepth = 64;

enum class TypeKind { kBool, kLong, kString, kSet, kRecord, kEntity, kExtension };

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Attribute {
  TypePtr type;
  bool required = true;
};

struct Type {
  TypeKind kind = TypeKind::kBool;
  // kEntity: the fully qualified entity type; kExtension: "decimal", "ipaddr", "datetime" or
  // "duration".
  std::string name;
  TypePtr element;                              // kSet
  std::map<std::string, Attribute> attributes;  // kRecord
  bool additional_attributes = false;           // kRecord (JSON `additionalAttributes`)
};

struct EntityType {
  std::string name;
  std::set<std::string> member_of_types;
  TypePtr shape;  // always a record, empty when undeclared
  TypePtr tags;   // null when the type has no tags
  // Set for enumerated entity types: the only valid entity ids.
  std::optional<std::vector<std::string>> enum_choices;
};

struct ActionUid {
  std::string type;  // "NS::Action" or "Action"
  std::string id;
  auto operator<=>(const ActionUid&) const = default;
};

struct Action {
  ActionUid uid;
  std::set<ActionUid> member_of;
  std::set<std::string> principal_types;
  std::set<std::string> resource_types;
  TypePtr context;  // always a record
};

struct Schema {
  std::map<std::string, EntityType, std::less<>> entity_types;
  std::map<ActionUid, Action> actions;
  // The resolved common types, by fully qualified name, for reference.
  std::map<std::string, TypePtr> common_types;

  const EntityType* FindEntityType(std::string_view name) const;
  const Action* FindAction(const ActionUid& uid) const;
};

Result<Schema> ParseCedarSchema(std::string_view text);
Result<Schema> ParseJsonSchema(const Json& json);

// The schema in the JSON format with every name fully qualified and common types expanded;
// ParseJsonSchema of it gives back an equal Schema.
Json ToJsonSchema(const Schema& schema);

// The action entities the schema declares, as a Cedar entity JSON array (each with its direct
// `memberOf` groups as parents), ordered by uid.
Json ActionEntities(const Schema& schema);

// Structural equality of types (shared common-type nodes and copies compare equal).
bool SameType(const Type& a, const Type& b);
// Human-readable rendering of a type for messages ("Set<NS::User>", "{ a: Long, b?: String }").
std::string TypeToString(const Type& type);

}  // namespace pactum::cedar::schema
