// The JSON schema format (docs.cedarpolicy.com "JSON schema format"), read field by field with
// unknown fields rejected, as Cedar's deserializer does. Every error names the JSON pointer of
// the field at fault.
#include <initializer_list>

#include "pactum/cedar/schema/raw_schema.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {
namespace {

std::string Child(const std::string& path, std::string_view key) {
  std::string out = path + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Status Bad(const std::string& path, const std::string& message) {
  return InvalidArgument((path.empty() ? std::string("/") : path) + ": " + message,
                         Json{{"field", path.empty() ? "/" : path}});
}

Status CheckObject(const Json& json, const std::string& path,
                   std::initializer_list<std::string_view> allowed) {
  if (!json.is_object()) return Bad(path, "expected an object");
  for (const auto& [key, value] : json.items()) {
    bool known = false;
    for (auto name : allowed)
      known = known || key == name;
    if (!known) return Bad(Child(path, key), "unknown field `" + key + "`");
  }
  return Status::Ok();
}

Result<std::string> GetString(const Json& json, const std::string& path) {
  if (!json.is_string()) return Bad(path, "expected a string");
  return json.get<std::string>();
}

Status CheckAnnotations(const Json& json, const std::string& path) {
  if (!json.is_object()) return Bad(path, "expected an object of annotations");
  for (const auto& [key, value] : json.items()) {
    if (!IsIdentifier(key)) return Bad(Child(path, key), "invalid annotation name");
    if (!value.is_string() && !value.is_null()) {
      return Bad(Child(path, key), "annotation value must be a string");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> GetNameList(const Json& json,
                                                                     const std::string& path) {
  if (!json.is_array()) return Bad(path, "expected an array of entity type names");
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    std::string item = Child(path, std::to_string(i));
    PACTUM_ASSIGN_OR_RETURN(std::string name, GetString(json[i], item));
    if (!IsPath(name)) return Bad(item, "invalid entity type name `" + name + "`");
    out.emplace_back(std::move(name), std::move(item));
  }
  return out;
}

// `in_record` admits the attribute-only `required` field.
Result<RawTypePtr> ParseType(const Json& json, const std::string& path, int depth, bool in_record) {
  if (depth >= kMaxTypeDepth) {
    return Bad(path, "types nested deeper than " + std::to_string(kMaxTypeDepth));
  }
  if (!json.is_object()) return Bad(path, "expected a type object");
  if (!json.contains("type")) return Bad(path, "missing field `type`");
  PACTUM_ASSIGN_OR_RETURN(std::string kind, GetString(json["type"], Child(path, "type")));
  auto type = std::make_shared<RawType>();
  type->where = path;
  auto allow = [&](std::initializer_list<std::string_view> extra) {
    std::vector<std::string_view> fields = {"type", "annotations"};
    if (in_record) fields.push_back("required");
    fields.insert(fields.end(), extra.begin(), extra.end());
    for (const auto& [key, value] : json.items()) {
      bool known = false;
      for (auto name : fields)
        known = known || key == name;
      if (!known) return Bad(Child(path, key), "unknown field `" + key + "` for type " + kind);
    }
    if (json.contains("required") && !json["required"].is_boolean()) {
      return Bad(Child(path, "required"), "expected a boolean");
    }
    if (json.contains("annotations")) {
      return CheckAnnotations(json["annotations"], Child(path, "annotations"));
    }
    return Status::Ok();
  };
  auto named = [&](RawType::Kind raw_kind) -> Result<RawTypePtr> {
    PACTUM_TRY(allow({"name"}));
    if (!json.contains("name")) return Bad(path, "missing field `name`");
    PACTUM_ASSIGN_OR_RETURN(type->name, GetString(json["name"], Child(path, "name")));
    if (!IsPath(type->name)) {
      return Bad(Child(path, "name"), "invalid type name `" + type->name + "`");
    }
    type->kind = raw_kind;
    return RawTypePtr(type);
  };
  if (kind == "Long" || kind == "String" || kind == "Boolean") {
    PACTUM_TRY(allow({}));
    type->kind = kind == "Long"     ? RawType::Kind::kLong
                 : kind == "String" ? RawType::Kind::kString
                                    : RawType::Kind::kBool;
    return RawTypePtr(type);
  }
  if (kind == "Set") {
    PACTUM_TRY(allow({"element"}));
    if (!json.contains("element")) return Bad(path, "missing field `element`");
    type->kind = RawType::Kind::kSet;
    auto element_or = ParseType(json["element"], Child(path, "element"), depth + 1, false);
    PACTUM_ASSIGN_OR_RETURN(type->element, std::move(element_or));
    return RawTypePtr(type);
  }
  if (kind == "Record") {
    PACTUM_TRY(allow({"attributes", "additionalAttributes"}));
    type->kind = RawType::Kind::kRecord;
    if (json.contains("additionalAttributes")) {
      if (!json["additionalAttributes"].is_boolean()) {
        return Bad(Child(path, "additionalAttributes"), "expected a boolean");
      }
      type->additional_attributes = json["additionalAttributes"].get<bool>();
    }
    if (json.contains("attributes")) {
      const Json& attributes = json["attributes"];
      std::string attrs_path = Child(path, "attributes");
      if (!attributes.is_object()) return Bad(attrs_path, "expected an object");
      for (const auto& [name, value] : attributes.items()) {
        RawAttribute attr;
        attr.name = name;
        attr.where = Child(attrs_path, name);
        PACTUM_ASSIGN_OR_RETURN(attr.type, ParseType(value, attr.where, depth + 1, true));
        if (value.is_object() && value.contains("required")) {
          attr.required = value["required"].get<bool>();
        }
        type->attributes.push_back(std::move(attr));
      }
    }
    return RawTypePtr(type);
  }
  if (kind == "Entity") return named(RawType::Kind::kEntity);
  if (kind == "Extension") return named(RawType::Kind::kExtension);
  if (kind == "EntityOrCommon") return named(RawType::Kind::kEntityOrCommon);
  PACTUM_TRY(allow({}));
  if (!IsPath(kind)) return Bad(Child(path, "type"), "unknown type `" + kind + "`");
  type->kind = RawType::Kind::kCommon;
  type->name = kind;
  return RawTypePtr(type);
}

Result<RawEntityType> ParseEntityType(const std::string& name, const Json& json,
                                      const std::string& path) {
  PACTUM_TRY(CheckObject(json, path, {"memberOfTypes", "shape", "tags", "enum", "annotations"}));
  RawEntityType entity;
  entity.name = name;
  entity.where = path;
  if (json.contains("memberOfTypes")) {
    auto member_of_types_or = GetNameList(json["memberOfTypes"], Child(path, "memberOfTypes"));
    PACTUM_ASSIGN_OR_RETURN(entity.member_of_types, std::move(member_of_types_or));
  }
  if (json.contains("shape")) {
    auto shape_or = ParseType(json["shape"], Child(path, "shape"), 0, false);
    PACTUM_ASSIGN_OR_RETURN(entity.shape, std::move(shape_or));
  }
  if (json.contains("tags")) {
    PACTUM_ASSIGN_OR_RETURN(entity.tags, ParseType(json["tags"], Child(path, "tags"), 0, false));
  }
  if (json.contains("enum")) {
    std::string enum_path = Child(path, "enum");
    if (entity.shape || entity.tags || json.contains("memberOfTypes")) {
      return Bad(enum_path,
                 "an enumerated entity type cannot declare `memberOfTypes`, `shape` or `tags`");
    }
    const Json& choices = json["enum"];
    if (!choices.is_array() || choices.empty()) {
      return Bad(enum_path, "expected a non-empty array of strings");
    }
    entity.enum_choices.emplace();
    for (std::size_t i = 0; i < choices.size(); ++i) {
      auto choice_or = GetString(choices[i], Child(enum_path, std::to_string(i)));
      PACTUM_ASSIGN_OR_RETURN(std::string choice, std::move(choice_or));
      entity.enum_choices->push_back(std::move(choice));
    }
  }
  if (json.contains("annotations")) {
    PACTUM_TRY(CheckAnnotations(json["annotations"], Child(path, "annotations")));
  }
  return entity;
}

Result<RawAction> ParseAction(const std::string& name, const Json& json, const std::string& path) {
  PACTUM_TRY(CheckObject(json, path, {"memberOf", "appliesTo", "attributes", "annotations"}));
  // Cedar 4 parses action attributes but no longer supports them.
  if (json.contains("attributes") && !json["attributes"].empty()) {
    return Bad(Child(path, "attributes"), "action attributes are not supported");
  }
  RawAction action;
  action.name = name;
  action.where = path;
  if (json.contains("memberOf")) {
    const Json& member_of = json["memberOf"];
    std::string member_path = Child(path, "memberOf");
    if (!member_of.is_array()) return Bad(member_path, "expected an array");
    for (std::size_t i = 0; i < member_of.size(); ++i) {
      std::string item = Child(member_path, std::to_string(i));
      PACTUM_TRY(CheckObject(member_of[i], item, {"id", "type"}));
      RawActionRef ref;
      ref.where = item;
      if (!member_of[i].contains("id")) return Bad(item, "missing field `id`");
      PACTUM_ASSIGN_OR_RETURN(ref.id, GetString(member_of[i]["id"], Child(item, "id")));
      if (member_of[i].contains("type")) {
        PACTUM_ASSIGN_OR_RETURN(ref.type, GetString(member_of[i]["type"], Child(item, "type")));
      }
      action.member_of.push_back(std::move(ref));
    }
  }
  if (json.contains("appliesTo") && !json["appliesTo"].is_null()) {
    const Json& applies = json["appliesTo"];
    std::string applies_path = Child(path, "appliesTo");
    PACTUM_TRY(CheckObject(applies, applies_path, {"principalTypes", "resourceTypes", "context"}));
    RawAppliesTo out;
    for (const char* field : {"principalTypes", "resourceTypes"}) {
      if (!applies.contains(field))
        return Bad(applies_path, std::string("missing field `") + field + "`");
    }
    auto principal_types_or =
        GetNameList(applies["principalTypes"], Child(applies_path, "principalTypes"));
    PACTUM_ASSIGN_OR_RETURN(out.principal_types, std::move(principal_types_or));
    auto resource_types_or =
        GetNameList(applies["resourceTypes"], Child(applies_path, "resourceTypes"));
    PACTUM_ASSIGN_OR_RETURN(out.resource_types, std::move(resource_types_or));
    if (applies.contains("context")) {
      auto context_or = ParseType(applies["context"], Child(applies_path, "context"), 0, false);
      PACTUM_ASSIGN_OR_RETURN(out.context, std::move(context_or));
    }
    action.applies_to = std::move(out);
  }
  if (json.contains("annotations")) {
    PACTUM_TRY(CheckAnnotations(json["annotations"], Child(path, "annotations")));
  }
  return action;
}

Result<RawNamespace> ParseNamespace(const std::string& name, const Json& json,
                                    const std::string& path) {
  PACTUM_TRY(CheckObject(json, path, {"commonTypes", "entityTypes", "actions", "annotations"}));
  RawNamespace ns;
  ns.name = name;
  ns.where = path;
  for (const char* field : {"entityTypes", "actions"}) {
    if (!json.contains(field)) return Bad(path, std::string("missing field `") + field + "`");
    if (!json[field].is_object()) return Bad(Child(path, field), "expected an object");
  }
  if (json.contains("commonTypes")) {
    std::string common_path = Child(path, "commonTypes");
    if (!json["commonTypes"].is_object()) return Bad(common_path, "expected an object");
    for (const auto& [type_name, value] : json["commonTypes"].items()) {
      RawCommonType common;
      common.name = type_name;
      common.where = Child(common_path, type_name);
      PACTUM_ASSIGN_OR_RETURN(common.type, ParseType(value, common.where, 0, false));
      ns.common_types.push_back(std::move(common));
    }
  }
  std::string entities_path = Child(path, "entityTypes");
  for (const auto& [type_name, value] : json["entityTypes"].items()) {
    auto entity_or = ParseEntityType(type_name, value, Child(entities_path, type_name));
    PACTUM_ASSIGN_OR_RETURN(RawEntityType entity, std::move(entity_or));
    ns.entity_types.push_back(std::move(entity));
  }
  std::string actions_path = Child(path, "actions");
  for (const auto& [action_name, value] : json["actions"].items()) {
    auto action_or = ParseAction(action_name, value, Child(actions_path, action_name));
    PACTUM_ASSIGN_OR_RETURN(RawAction action, std::move(action_or));
    ns.actions.push_back(std::move(action));
  }
  if (json.contains("annotations")) {
    PACTUM_TRY(CheckAnnotations(json["annotations"], Child(path, "annotations")));
  }
  return ns;
}

}  // namespace

Result<Schema> ParseJsonSchema(const Json& json) {
  if (!json.is_object()) return Bad("", "a JSON schema must be an object of namespaces");
  std::vector<RawNamespace> namespaces;
  for (const auto& [name, value] : json.items()) {
    PACTUM_ASSIGN_OR_RETURN(RawNamespace ns, ParseNamespace(name, value, Child("", name)));
    namespaces.push_back(std::move(ns));
  }
  return ResolveSchema(namespaces);
}

}  // namespace pactum::cedar::schema
