// The unresolved form both schema syntaxes parse into: names as written, each item tagged with
// where it came from ("line 3, column 5" or a JSON path) so that ResolveSchema's errors point
// at the source. Internal to the schema library.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {

struct RawType;
using RawTypePtr = std::shared_ptr<const RawType>;

struct RawAttribute {
  std::string name;
  RawTypePtr type;
  bool required = true;
  std::string where;
};

struct RawType {
  enum class Kind {
    kBool,
    kLong,
    kString,
    kSet,
    kRecord,
    kEntity,          // JSON {"type":"Entity","name":...}
    kExtension,       // JSON {"type":"Extension","name":...}
    kEntityOrCommon,  // a bare name in the Cedar syntax, JSON "EntityOrCommon"
    kCommon,          // JSON {"type":"<name>"}
  };
  Kind kind = Kind::kBool;
  std::string name;  // as written, for the name kinds
  RawTypePtr element;
  std::vector<RawAttribute> attributes;
  bool additional_attributes = false;
  std::string where;
};

struct RawActionRef {
  std::optional<std::string> type;  // as written; absent means the current namespace's Action
  std::string id;
  std::string where;
};

struct RawEntityType {
  std::string name;
  std::vector<std::pair<std::string, std::string>> member_of_types;  // (name, where)
  RawTypePtr shape;                                                  // may be null
  RawTypePtr tags;                                                   // may be null
  std::optional<std::vector<std::string>> enum_choices;
  std::string where;
};

struct RawAppliesTo {
  std::vector<std::pair<std::string, std::string>> principal_types;  // (name, where)
  std::vector<std::pair<std::string, std::string>> resource_types;
  RawTypePtr context;  // may be null: the empty record
};

struct RawAction {
  std::string name;
  std::vector<RawActionRef> member_of;
  std::optional<RawAppliesTo> applies_to;  // absent: applies to no request
  std::string where;
};

struct RawCommonType {
  std::string name;
  RawTypePtr type;
  std::string where;
};

struct RawNamespace {
  std::string name;  // "" for the empty namespace
  std::vector<RawCommonType> common_types;
  std::vector<RawEntityType> entity_types;
  std::vector<RawAction> actions;
  std::string where;
};

// Checks every definition and reference and builds the resolved Schema.
Result<Schema> ResolveSchema(const std::vector<RawNamespace>& namespaces);

// Cedar identifiers: [_a-zA-Z][_a-zA-Z0-9]*, excluding the reserved words of the policy
// language.
bool IsIdentifier(std::string_view text);
bool IsReservedWord(std::string_view text);
// A `::`-separated path of identifiers.
bool IsPath(std::string_view text);

}  // namespace pactum::cedar::schema
