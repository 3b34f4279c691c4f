#include "pactum/cedar/schema/conformance.h"

#include <algorithm>
#include <limits>
#include <set>

#include "pactum/cedar/schema/extension_values.h"
#include "pactum/cedar/schema/raw_schema.h"

namespace pactum::cedar::schema {
namespace {

struct Uid {
  std::string type;
  std::string id;
  auto operator<=>(const Uid&) const = default;
  std::string ToString() const {
    std::string out = type + "::\"";
    for (char c : id) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out + "\"";
  }
  Json ToJson() const { return Json{{"type", type}, {"id", id}}; }
};

std::string Describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a non-integer number";
    case Json::value_t::array:
      return "a set";
    case Json::value_t::object:
      if (value.contains("__entity")) return "an entity reference";
      if (value.contains("__extn")) return "an extension value";
      return "a record";
    default:
      return "an unsupported JSON value";
  }
}

// Reads a uid written as {"type","id"} or {"__entity":{"type","id"}}.
Result<Uid> ParseUid(const Json& json, const std::string& what) {
  const Json* body = &json;
  if (json.is_object() && json.size() == 1 && json.contains("__entity")) body = &json["__entity"];
  if (!body->is_object() || body->size() != 2 || !body->contains("type") || !body->contains("id") ||
      !(*body)["type"].is_string() || !(*body)["id"].is_string()) {
    return InvalidArgument(what + ": expected an entity uid {\"type\": ..., \"id\": ...}");
  }
  Uid uid{(*body)["type"].get<std::string>(), (*body)["id"].get<std::string>()};
  if (!IsPath(uid.type)) {
    return InvalidArgument(what + ": invalid entity type name `" + uid.type + "`");
  }
  return uid;
}

class Checker {
 public:
  explicit Checker(const Schema& schema) : schema_(schema) {}

  // Checks `value` against `expected` (null: no schema type, as under additionalAttributes) and
  // returns it in explicit form. `where` names the value for messages.
  Result<Json> Value(const Json& value, const Type* expected, const std::string& where,
                     int depth) const {
    if (depth > kMaxValueDepth) {
      return InvalidArgument(where + ": value nested deeper than " +
                             std::to_string(kMaxValueDepth));
    }
    if (!expected) return Untyped(value, where, depth);
    auto mismatch = [&]() {
      return InvalidArgument(where + ": expected " + TypeToString(*expected) + ", found " +
                             Describe(value));
    };
    switch (expected->kind) {
      case TypeKind::kBool:
        if (!value.is_boolean()) return mismatch();
        return value;
      case TypeKind::kLong:
        PACTUM_TRY(CheckLong(value, where, mismatch));
        return value;
      case TypeKind::kString:
        if (!value.is_string()) return mismatch();
        return value;
      case TypeKind::kSet: {
        if (!value.is_array()) return mismatch();
        Json out = Json::array();
        for (std::size_t i = 0; i < value.size(); ++i) {
          auto element_or = Value(value[i], expected->element.get(),
                                  where + "[" + std::to_string(i) + "]", depth + 1);
          PACTUM_ASSIGN_OR_RETURN(Json element, std::move(element_or));
          out.push_back(std::move(element));
        }
        return out;
      }
      case TypeKind::kRecord:
        if (!value.is_object() || value.contains("__entity") || value.contains("__extn")) {
          return mismatch();
        }
        return Record(value, *expected, where, depth);
      case TypeKind::kEntity: {
        if (!value.is_object()) return mismatch();
        PACTUM_ASSIGN_OR_RETURN(Uid uid, ParseUid(value, where));
        if (uid.type != expected->name) {
          return InvalidArgument(where + ": expected an entity of type " + expected->name +
                                 ", found " + uid.ToString());
        }
        PACTUM_TRY(CheckEnumId(uid, where));
        return Json{{"__entity", uid.ToJson()}};
      }
      case TypeKind::kExtension: {
        if (value.is_string()) {
          std::string_view constructor = ConstructorOf(expected->name);
          Status literal = CheckExtensionLiteral(constructor, value.get<std::string>());
          if (!literal.ok()) return literal.WithContext(where);
          return Json{{"__extn", {{"fn", constructor}, {"arg", value}}}};
        }
        if (!value.is_object()) return mismatch();
        const Json& body = value.contains("__extn") && value.size() == 1 ? value["__extn"] : value;
        return Extension(body, expected->name, where, depth);
      }
    }
    return Internal("unhandled type kind");
  }

  Result<Json> Record(const Json& value, const Type& type, const std::string& where,
                      int depth) const {
    Json out = Json::object();
    for (const auto& [name, field] : value.items()) {
      const std::string field_where = where + " attribute `" + name + "`";
      auto it = type.attributes.find(name);
      if (it == type.attributes.end()) {
        if (!type.additional_attributes) {
          return InvalidArgument(field_where + ": attribute is not declared in the schema");
        }
        PACTUM_ASSIGN_OR_RETURN(out[name], Value(field, nullptr, field_where, depth + 1));
        continue;
      }
      auto out_value_or = Value(field, it->second.type.get(), field_where, depth + 1);
      PACTUM_ASSIGN_OR_RETURN(out[name], std::move(out_value_or));
    }
    for (const auto& [name, attr] : type.attributes) {
      if (attr.required && !value.contains(name)) {
        return InvalidArgument(where + ": required attribute `" + name + "` is missing");
      }
    }
    return out;
  }

  Status CheckEnumId(const Uid& uid, const std::string& where) const {
    const EntityType* type = schema_.FindEntityType(uid.type);
    if (!type || !type->enum_choices) return Status::Ok();
    const auto& choices = *type->enum_choices;
    if (std::find(choices.begin(), choices.end(), uid.id) == choices.end()) {
      return InvalidArgument(where + ": " + uid.ToString() +
                             " is not one of the enumerated ids of " + uid.type);
    }
    return Status::Ok();
  }

  const Schema& schema() const { return schema_; }

 private:
  template <typename Mismatch>
  static Status CheckLong(const Json& value, const std::string& where, Mismatch mismatch) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return InvalidArgument(where + ": integer out of the range of Long");
    }
    if (!value.is_number_integer()) return mismatch();
    return Status::Ok();
  }

  // An extension call {"fn", "arg"} or {"fn", "args"} whose result must be `expected_type`
  // (empty: any extension type).
  Result<Json> Extension(const Json& body, std::string_view expected_type, const std::string& where,
                         int depth) const {
    if (!body.is_object() || !body.contains("fn") || !body["fn"].is_string() || body.size() != 2 ||
        !(body.contains("arg") || body.contains("args"))) {
      return InvalidArgument(where + ": expected an extension value {\"fn\": ..., \"arg\": ...}");
    }
    const std::string fn_name = body["fn"].get<std::string>();
    const ExtensionFunction* fn = FindExtensionFunction(fn_name);
    if (!fn) return InvalidArgument(where + ": unknown extension function `" + fn_name + "`");
    if (!expected_type.empty() && fn->result != expected_type) {
      return InvalidArgument(where + ": expected " + std::string(expected_type) + ", found " +
                             fn_name + "(...) of type " + std::string(fn->result));
    }
    const bool single = body.contains("arg");
    std::vector<const Json*> args;
    if (single) {
      args.push_back(&body["arg"]);
    } else {
      if (!body["args"].is_array()) return InvalidArgument(where + ": `args` must be an array");
      for (const auto& arg : body["args"])
        args.push_back(&arg);
    }
    if (args.size() != fn->params.size()) {
      return InvalidArgument(where + ": " + fn_name + " takes " +
                             std::to_string(fn->params.size()) + " argument(s), found " +
                             std::to_string(args.size()));
    }
    Json normalized = Json::array();
    for (std::size_t i = 0; i < args.size(); ++i) {
      const Json& arg = *args[i];
      const std::string arg_where = where + " argument " + std::to_string(i + 1);
      if (fn->params[i] == "String") {
        if (!arg.is_string()) {
          return InvalidArgument(arg_where + ": expected a string, found " + Describe(arg));
        }
        Status literal = CheckExtensionLiteral(fn_name, arg.get<std::string>());
        if (!literal.ok()) return literal.WithContext(where);
        normalized.push_back(arg);
        continue;
      }
      if (!arg.is_object() || arg.size() != 1 || !arg.contains("__extn")) {
        return InvalidArgument(arg_where + ": expected a " + std::string(fn->params[i]) +
                               " extension value, found " + Describe(arg));
      }
      auto inner_or = Extension(arg["__extn"], fn->params[i], arg_where, depth + 1);
      PACTUM_ASSIGN_OR_RETURN(Json inner, std::move(inner_or));
      normalized.push_back(std::move(inner));
    }
    Json out{{"fn", fn_name}};
    if (single) {
      out["arg"] = std::move(normalized[0]);
    } else {
      out["args"] = std::move(normalized);
    }
    return Json{{"__extn", std::move(out)}};
  }

  // Values without a schema type: only the explicit escapes mean entities and extensions.
  Result<Json> Untyped(const Json& value, const std::string& where, int depth) const {
    if (value.is_number_float()) {
      return InvalidArgument(where + ": non-integer numbers are not Cedar values");
    }
    if (value.is_null()) return InvalidArgument(where + ": null is not a Cedar value");
    if (value.is_number_unsigned()) {
      PACTUM_TRY(CheckLong(value, where, [] { return Status::Ok(); }));
    }
    if (value.is_array()) {
      Json out = Json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto element_or =
            Value(value[i], nullptr, where + "[" + std::to_string(i) + "]", depth + 1);
        PACTUM_ASSIGN_OR_RETURN(Json element, std::move(element_or));
        out.push_back(std::move(element));
      }
      return out;
    }
    if (!value.is_object()) return value;
    if (value.contains("__entity")) {
      PACTUM_ASSIGN_OR_RETURN(Uid uid, ParseUid(value, where));
      return Json{{"__entity", uid.ToJson()}};
    }
    if (value.contains("__extn")) {
      if (value.size() != 1) return InvalidArgument(where + ": malformed `__extn` value");
      return Extension(value["__extn"], "", where, depth);
    }
    if (value.contains("__expr")) {
      return InvalidArgument(where + ": `__expr` escapes are not supported");
    }
    Json out = Json::object();
    for (const auto& [name, field] : value.items()) {
      auto out_value_or = Value(field, nullptr, where + " attribute `" + name + "`", depth + 1);
      PACTUM_ASSIGN_OR_RETURN(out[name], std::move(out_value_or));
    }
    return out;
  }

  const Schema& schema_;
};

Result<Json> NormalizeEntity(const Checker& checker, const Json& json, std::size_t index,
                             std::set<Uid>& seen) {
  const Schema& schema = checker.schema();
  std::string where = "entity [" + std::to_string(index) + "]";
  if (!json.is_object()) return InvalidArgument(where + ": expected an object");
  for (const auto& [key, value] : json.items()) {
    if (key != "uid" && key != "attrs" && key != "parents" && key != "tags") {
      return InvalidArgument(where + ": unknown field `" + key + "`");
    }
  }
  if (!json.contains("uid")) return InvalidArgument(where + ": missing field `uid`");
  PACTUM_ASSIGN_OR_RETURN(Uid uid, ParseUid(json["uid"], where + " uid"));
  where = "entity " + uid.ToString();
  if (!seen.insert(uid).second) return InvalidArgument(where + ": duplicate entity");

  static const Json kEmptyObject = Json::object();
  static const Json kEmptyArray = Json::array();
  const Json& attrs = json.contains("attrs") ? json["attrs"] : kEmptyObject;
  const Json& parents_json = json.contains("parents") ? json["parents"] : kEmptyArray;
  const Json& tags = json.contains("tags") ? json["tags"] : kEmptyObject;
  if (!attrs.is_object()) return InvalidArgument(where + ": `attrs` must be an object");
  if (!parents_json.is_array()) return InvalidArgument(where + ": `parents` must be an array");
  if (!tags.is_object()) return InvalidArgument(where + ": `tags` must be an object");

  std::set<Uid> parents;
  Json parents_out = Json::array();
  for (std::size_t i = 0; i < parents_json.size(); ++i) {
    auto parent_or = ParseUid(parents_json[i], where + " parent [" + std::to_string(i) + "]");
    PACTUM_ASSIGN_OR_RETURN(Uid parent, std::move(parent_or));
    if (parents.insert(parent).second) parents_out.push_back(parent.ToJson());
  }

  Json out{{"uid", uid.ToJson()}, {"attrs", Json::object()}, {"parents", parents_out}};
  if (IsActionType(uid.type)) {
    std::set<ActionUid> given;
    for (const auto& parent : parents)
      given.insert(ActionUid{parent.type, parent.id});
    PACTUM_TRY(CheckActionEntity(schema, ActionUid{uid.type, uid.id},
                                 !attrs.empty() || !tags.empty(), given, where));
    if (json.contains("tags")) out["tags"] = Json::object();
    return out;
  }

  const EntityType* type = schema.FindEntityType(uid.type);
  if (!type) {
    return InvalidArgument(where + ": entity type " + uid.type + " is not declared in the schema");
  }
  PACTUM_TRY(checker.CheckEnumId(uid, where));
  for (const auto& parent : parents) {
    if (!type->member_of_types.count(parent.type)) {
      return InvalidArgument(where + ": parent " + parent.ToString() + " has a type that " +
                             uid.type + " cannot be a member of");
    }
    PACTUM_TRY(checker.CheckEnumId(parent, where + " parent"));
  }
  PACTUM_ASSIGN_OR_RETURN(out["attrs"], checker.Record(attrs, *type->shape, where, 0));
  if (!tags.empty() && !type->tags) {
    return InvalidArgument(where + ": entity type " + uid.type + " does not allow tags");
  }
  if (json.contains("tags")) {
    Json tags_out = Json::object();
    for (const auto& [key, value] : tags.items()) {
      auto tags_out_value_or =
          checker.Value(value, type->tags.get(), where + " tag `" + key + "`", 1);
      PACTUM_ASSIGN_OR_RETURN(tags_out[key], std::move(tags_out_value_or));
    }
    out["tags"] = std::move(tags_out);
  }
  return out;
}

Result<const Action*> FindDeclaredAction(const Schema& schema, const Json& action_uid) {
  PACTUM_ASSIGN_OR_RETURN(Uid uid, ParseUid(action_uid, "action"));
  const Action* action = schema.FindAction(ActionUid{uid.type, uid.id});
  if (!action) {
    return InvalidArgument("action " + uid.ToString() + " is not declared in the schema");
  }
  return action;
}

}  // namespace

Status CheckActionEntity(const Schema& schema, const ActionUid& uid, bool has_attrs_or_tags,
                         const std::set<ActionUid>& parents, const std::string& where) {
  const Action* action = schema.FindAction(uid);
  const std::string name = Uid{uid.type, uid.id}.ToString();
  if (!action) return InvalidArgument(where + ": action " + name + " is not declared");
  if (has_attrs_or_tags) {
    return InvalidArgument(where + ": action entities have no attributes or tags in the schema");
  }
  // Cedar compares against the declared hierarchy; either the direct groups or all ancestors
  // describe it.
  if (parents != action->member_of && parents != ActionAncestors(schema, action->uid)) {
    return InvalidArgument(where + ": parents of action " + name +
                           " differ from the schema's declaration");
  }
  return Status::Ok();
}

std::set<ActionUid> ActionAncestors(const Schema& schema, const ActionUid& uid) {
  std::set<ActionUid> out;
  std::vector<ActionUid> pending{uid};
  while (!pending.empty()) {
    ActionUid next = std::move(pending.back());
    pending.pop_back();
    const Action* action = schema.FindAction(next);
    if (!action) continue;
    for (const auto& parent : action->member_of) {
      if (out.insert(parent).second) pending.push_back(parent);
    }
  }
  return out;
}

bool IsActionType(std::string_view type) {
  return type == "Action" || (type.size() > 8 && type.substr(type.size() - 8) == "::Action");
}

Status CheckEnumId(const Schema& schema, const std::string& type, const std::string& id,
                   const std::string& where) {
  return Checker(schema).CheckEnumId(Uid{type, id}, where);
}

Result<Json> NormalizeValue(const Schema& schema, const Json& value, const Type* expected,
                            const std::string& where, int depth) {
  return Checker(schema).Value(value, expected, where, depth);
}

Result<Json> NormalizeEntities(const Schema& schema, const Json& entities) {
  if (!entities.is_array()) return InvalidArgument("entities must be a JSON array");
  Checker checker(schema);
  std::set<Uid> seen;
  Json out = Json::array();
  for (std::size_t i = 0; i < entities.size(); ++i) {
    PACTUM_ASSIGN_OR_RETURN(Json entity, NormalizeEntity(checker, entities[i], i, seen));
    out.push_back(std::move(entity));
  }
  return out;
}

Result<Json> NormalizeContext(const Schema& schema, const Json& action_uid, const Json& context) {
  PACTUM_ASSIGN_OR_RETURN(const Action* action, FindDeclaredAction(schema, action_uid));
  const std::string where = "context of " + action->uid.type + "::\"" + action->uid.id + "\"";
  // As in Cedar's request JSON, an absent (null) context is the empty record.
  if (context.is_null()) return Checker(schema).Record(Json::object(), *action->context, where, 0);
  if (!context.is_object() || context.contains("__entity") || context.contains("__extn")) {
    return InvalidArgument(where + ": expected a record, found " + Describe(context));
  }
  return Checker(schema).Record(context, *action->context, where, 0);
}

Status ValidateRequest(const Schema& schema, const Json& principal, const Json& action,
                       const Json& resource, const Json& context) {
  PACTUM_TRY(ValidateRequestScope(schema, principal, action, resource));
  return NormalizeContext(schema, action, context).status();
}

Status ValidateRequestScope(const Schema& schema, const Json& principal, const Json& action,
                            const Json& resource) {
  PACTUM_ASSIGN_OR_RETURN(const Action* declared, FindDeclaredAction(schema, action));
  Checker checker(schema);
  PACTUM_ASSIGN_OR_RETURN(Uid p, ParseUid(principal, "principal"));
  PACTUM_TRY(CheckAppliesTo(*declared, "principal", p.type));
  PACTUM_TRY(checker.CheckEnumId(p, "principal"));
  PACTUM_ASSIGN_OR_RETURN(Uid r, ParseUid(resource, "resource"));
  PACTUM_TRY(CheckAppliesTo(*declared, "resource", r.type));
  return checker.CheckEnumId(r, "resource");
}

Status CheckAppliesTo(const Action& action, std::string_view role, const std::string& type) {
  const std::set<std::string>& allowed =
      role == "principal" ? action.principal_types : action.resource_types;
  if (allowed.count(type)) return Status::Ok();
  return InvalidArgument(std::string(role) + " type " + type + " is not valid for action " +
                         action.uid.type + "::\"" + action.uid.id + "\"");
}

}  // namespace pactum::cedar::schema
