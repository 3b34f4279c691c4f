#include "pactum/cedar/schema/schema.h"

#include <array>
#include <cctype>

#include "pactum/cedar/schema/raw_schema.h"

namespace pactum::cedar::schema {
namespace {

constexpr std::string_view kCedarPrefix = "__cedar::";
constexpr std::array<std::string_view, 4> kExtensionTypes = {"decimal", "ipaddr", "datetime",
                                                             "duration"};
// Names the JSON format reserves as type keywords; a common type may not take them.
constexpr std::array<std::string_view, 8> kReservedTypeNames = {
    "Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String"};

std::string Qualify(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  return std::string(ns) + "::" + std::string(name);
}

bool IsQualified(std::string_view name) {
  return name.find("::") != std::string_view::npos;
}

// `__cedar` is reserved for builtins: no declared name or namespace may use it as a component.
bool UsesCedarNamespace(std::string_view name) {
  while (true) {
    auto pos = name.find("::");
    if (name.substr(0, pos) == "__cedar") return true;
    if (pos == std::string_view::npos) return false;
    name.remove_prefix(pos + 2);
  }
}

TypePtr Primitive(TypeKind kind) {
  static const TypePtr kBool = std::make_shared<const Type>(Type{TypeKind::kBool, {}, {}, {}});
  static const TypePtr kLong = std::make_shared<const Type>(Type{TypeKind::kLong, {}, {}, {}});
  static const TypePtr kString = std::make_shared<const Type>(Type{TypeKind::kString, {}, {}, {}});
  switch (kind) {
    case TypeKind::kLong:
      return kLong;
    case TypeKind::kString:
      return kString;
    default:
      return kBool;
  }
}

TypePtr MakeExtension(std::string_view name) {
  auto type = std::make_shared<Type>();
  type->kind = TypeKind::kExtension;
  type->name = std::string(name);
  return type;
}

TypePtr MakeEntity(std::string name) {
  auto type = std::make_shared<Type>();
  type->kind = TypeKind::kEntity;
  type->name = std::move(name);
  return type;
}

bool IsExtensionName(std::string_view name) {
  for (auto ext : kExtensionTypes) {
    if (name == ext) return true;
  }
  return false;
}

// The builtin a name denotes when nothing user-defined takes it: Long, String, Bool and the
// extension types, bare or under `__cedar::`.
TypePtr Builtin(std::string_view name) {
  if (name.substr(0, kCedarPrefix.size()) == kCedarPrefix) name.remove_prefix(kCedarPrefix.size());
  if (name == "Long") return Primitive(TypeKind::kLong);
  if (name == "String") return Primitive(TypeKind::kString);
  if (name == "Bool") return Primitive(TypeKind::kBool);
  if (IsExtensionName(name)) return MakeExtension(name);
  return nullptr;
}

std::string At(const std::string& where) {
  return where.empty() ? "" : " (at " + where + ")";
}

class Resolver {
 public:
  Result<Schema> Run(const std::vector<RawNamespace>& namespaces) {
    PACTUM_TRY(CollectDefinitions(namespaces));
    for (auto& [name, def] : commons_) {
      PACTUM_ASSIGN_OR_RETURN(TypePtr type, ResolveCommon(name));
      schema_.common_types[name] = type;
    }
    for (const auto& ns : namespaces) {
      for (const auto& raw : ns.entity_types)
        PACTUM_TRY(ResolveEntityType(ns.name, raw));
      for (const auto& raw : ns.actions)
        PACTUM_TRY(ResolveAction(ns.name, raw));
    }
    PACTUM_TRY(CheckActionHierarchy());
    return std::move(schema_);
  }

 private:
  struct CommonDef {
    std::string ns;
    const RawCommonType* raw = nullptr;
    TypePtr resolved;
    bool resolving = false;
  };

  Status CollectDefinitions(const std::vector<RawNamespace>& namespaces) {
    std::set<std::string> seen_namespaces;
    for (const auto& ns : namespaces) {
      if (!ns.name.empty() && !IsPath(ns.name)) {
        return InvalidArgument("invalid namespace name `" + ns.name + "`" + At(ns.where));
      }
      if (UsesCedarNamespace(ns.name)) {
        return InvalidArgument("namespace `" + ns.name + "` uses the reserved name `__cedar`" +
                               At(ns.where));
      }
      if (!seen_namespaces.insert(ns.name).second) {
        return InvalidArgument("duplicate namespace `" + ns.name + "`" + At(ns.where));
      }
      for (const auto& common : ns.common_types) {
        PACTUM_TRY(CheckDeclaredName("common type", common.name, common.where));
        for (auto reserved : kReservedTypeNames) {
          if (common.name == reserved) {
            return InvalidArgument("common type name `" + common.name +
                                   "` is a reserved type keyword" + At(common.where));
          }
        }
        std::string fq = Qualify(ns.name, common.name);
        if (commons_.count(fq)) {
          return InvalidArgument("duplicate common type `" + fq + "`" + At(common.where));
        }
        commons_[fq] = CommonDef{ns.name, &common, nullptr, false};
      }
      for (const auto& entity : ns.entity_types) {
        PACTUM_TRY(CheckDeclaredName("entity type", entity.name, entity.where));
        if (!entities_.insert(Qualify(ns.name, entity.name)).second) {
          return InvalidArgument("duplicate entity type `" + Qualify(ns.name, entity.name) + "`" +
                                 At(entity.where));
        }
      }
      std::set<std::string> action_names;
      for (const auto& action : ns.actions) {
        if (!action_names.insert(action.name).second) {
          return InvalidArgument("duplicate action `" + Qualify(ns.name, "Action") + "::\"" +
                                 action.name + "\"`" + At(action.where));
        }
      }
    }
    return Status::Ok();
  }

  static Status CheckDeclaredName(const char* what, const std::string& name,
                                  const std::string& where) {
    if (!IsIdentifier(name)) {
      return InvalidArgument(std::string("invalid ") + what + " name `" + name + "`" + At(where));
    }
    if (UsesCedarNamespace(name)) {
      return InvalidArgument(std::string(what) + " name `" + name +
                             "` uses the reserved name `__cedar`" + At(where));
    }
    return Status::Ok();
  }

  // Where an unqualified name may live: the current namespace first, then the empty one.
  static std::vector<std::string> Candidates(const std::string& ns, const std::string& name) {
    if (IsQualified(name) || ns.empty()) return {name};
    return {Qualify(ns, name), name};
  }

  Result<std::string> ResolveEntityName(const std::string& ns, const std::string& name,
                                        const std::string& where) const {
    for (const auto& candidate : Candidates(ns, name)) {
      if (entities_.count(candidate)) return candidate;
    }
    return InvalidArgument("undeclared entity type `" + name + "`" + At(where));
  }

  Result<TypePtr> ResolveCommon(const std::string& fq) {
    CommonDef& def = commons_.at(fq);
    if (def.resolved) return def.resolved;
    if (def.resolving) {
      return InvalidArgument("common type `" + fq + "` is defined in terms of itself" +
                             At(def.raw->where));
    }
    if (resolving_depth_ >= kMaxTypeDepth) {
      return InvalidArgument("common types nested deeper than " + std::to_string(kMaxTypeDepth) +
                             At(def.raw->where));
    }
    def.resolving = true;
    ++resolving_depth_;
    Result<TypePtr> type = ResolveType(def.ns, *def.raw->type);
    --resolving_depth_;
    // std::map nodes are stable, so `def` survives the recursive resolution.
    def.resolving = false;
    if (!type.ok()) return type.status();
    def.resolved = *type;
    return def.resolved;
  }

  Result<TypePtr> ResolveNamed(const std::string& ns, const RawType& raw) {
    const bool entities_allowed = raw.kind == RawType::Kind::kEntityOrCommon;
    for (const auto& candidate : Candidates(ns, raw.name)) {
      if (commons_.count(candidate)) return ResolveCommon(candidate);
      if (entities_allowed && entities_.count(candidate)) return MakeEntity(candidate);
    }
    if (TypePtr builtin = Builtin(raw.name)) return builtin;
    return InvalidArgument("undeclared type `" + raw.name + "`" + At(raw.where));
  }

  Result<TypePtr> ResolveType(const std::string& ns, const RawType& raw) {
    switch (raw.kind) {
      case RawType::Kind::kBool:
        return Primitive(TypeKind::kBool);
      case RawType::Kind::kLong:
        return Primitive(TypeKind::kLong);
      case RawType::Kind::kString:
        return Primitive(TypeKind::kString);
      case RawType::Kind::kSet: {
        auto type = std::make_shared<Type>();
        type->kind = TypeKind::kSet;
        PACTUM_ASSIGN_OR_RETURN(type->element, ResolveType(ns, *raw.element));
        return TypePtr(type);
      }
      case RawType::Kind::kRecord: {
        auto type = std::make_shared<Type>();
        type->kind = TypeKind::kRecord;
        type->additional_attributes = raw.additional_attributes;
        for (const auto& attr : raw.attributes) {
          PACTUM_ASSIGN_OR_RETURN(TypePtr attr_type, ResolveType(ns, *attr.type));
          if (!type->attributes.emplace(attr.name, Attribute{attr_type, attr.required}).second) {
            return InvalidArgument("duplicate attribute `" + attr.name + "`" + At(attr.where));
          }
        }
        return TypePtr(type);
      }
      case RawType::Kind::kEntity: {
        PACTUM_ASSIGN_OR_RETURN(std::string name, ResolveEntityName(ns, raw.name, raw.where));
        return MakeEntity(std::move(name));
      }
      case RawType::Kind::kExtension: {
        std::string_view name = raw.name;
        if (name.substr(0, kCedarPrefix.size()) == kCedarPrefix) {
          name.remove_prefix(kCedarPrefix.size());
        }
        if (!IsExtensionName(name)) {
          return InvalidArgument("unknown extension type `" + raw.name + "`" + At(raw.where));
        }
        return MakeExtension(name);
      }
      case RawType::Kind::kEntityOrCommon:
      case RawType::Kind::kCommon:
        return ResolveNamed(ns, raw);
    }
    return Internal("unhandled raw type kind");
  }

  Result<TypePtr> ResolveRecord(const std::string& ns, const RawTypePtr& raw, const char* what,
                                const std::string& owner, const std::string& where) {
    if (!raw) return TypePtr(std::make_shared<Type>(Type{TypeKind::kRecord, {}, {}, {}}));
    PACTUM_ASSIGN_OR_RETURN(TypePtr type, ResolveType(ns, *raw));
    if (type->kind != TypeKind::kRecord) {
      return InvalidArgument(std::string(what) + " of `" + owner + "` must be a record type, not " +
                             TypeToString(*type) + At(where));
    }
    return type;
  }

  Status ResolveEntityType(const std::string& ns, const RawEntityType& raw) {
    EntityType entity;
    entity.name = Qualify(ns, raw.name);
    for (const auto& [parent, where] : raw.member_of_types) {
      PACTUM_ASSIGN_OR_RETURN(std::string name, ResolveEntityName(ns, parent, where));
      entity.member_of_types.insert(std::move(name));
    }
    auto shape_or = ResolveRecord(ns, raw.shape, "shape", entity.name, raw.where);
    PACTUM_ASSIGN_OR_RETURN(entity.shape, std::move(shape_or));
    if (raw.tags) {
      PACTUM_ASSIGN_OR_RETURN(entity.tags, ResolveType(ns, *raw.tags));
    }
    if (raw.enum_choices) {
      if (raw.enum_choices->empty()) {
        return InvalidArgument("enumerated entity type `" + entity.name + "` has no choices" +
                               At(raw.where));
      }
      entity.enum_choices = raw.enum_choices;
    }
    schema_.entity_types.emplace(entity.name, std::move(entity));
    return Status::Ok();
  }

  Result<std::set<std::string>> ResolveEntityList(
      const std::string& ns, const std::vector<std::pair<std::string, std::string>>& names) {
    std::set<std::string> out;
    for (const auto& [name, where] : names) {
      PACTUM_ASSIGN_OR_RETURN(std::string resolved, ResolveEntityName(ns, name, where));
      out.insert(std::move(resolved));
    }
    return out;
  }

  Status ResolveAction(const std::string& ns, const RawAction& raw) {
    Action action;
    action.uid = ActionUid{Qualify(ns, "Action"), raw.name};
    for (const auto& ref : raw.member_of) {
      ActionUid parent;
      if (!ref.type) {
        parent.type = Qualify(ns, "Action");
      } else if (!IsPath(*ref.type)) {
        return InvalidArgument("invalid action type `" + *ref.type + "`" + At(ref.where));
      } else {
        parent.type = IsQualified(*ref.type) ? *ref.type : Qualify(ns, *ref.type);
      }
      parent.id = ref.id;
      action.member_of.insert(std::move(parent));
    }
    const std::string display = action.uid.type + "::\"" + action.uid.id + "\"";
    if (raw.applies_to) {
      auto principal_types_or = ResolveEntityList(ns, raw.applies_to->principal_types);
      PACTUM_ASSIGN_OR_RETURN(action.principal_types, std::move(principal_types_or));
      auto resource_types_or = ResolveEntityList(ns, raw.applies_to->resource_types);
      PACTUM_ASSIGN_OR_RETURN(action.resource_types, std::move(resource_types_or));
      auto context_or = ResolveRecord(ns, raw.applies_to->context, "context", display, raw.where);
      PACTUM_ASSIGN_OR_RETURN(action.context, std::move(context_or));
    } else {
      action.context = std::make_shared<Type>(Type{TypeKind::kRecord, {}, {}, {}});
    }
    schema_.actions.emplace(action.uid, std::move(action));
    return Status::Ok();
  }

  Status CheckActionHierarchy() {
    for (const auto& [uid, action] : schema_.actions) {
      for (const auto& parent : action.member_of) {
        if (!schema_.actions.count(parent)) {
          return InvalidArgument("action `" + uid.type + "::\"" + uid.id +
                                 "\"` is a member of undeclared action `" + parent.type + "::\"" +
                                 parent.id + "\"`");
        }
      }
    }
    // Depth-first search with an explicit stack: hierarchies may be long.
    enum class Mark { kNone, kActive, kDone };
    std::map<ActionUid, Mark> marks;
    for (const auto& [root, unused] : schema_.actions) {
      if (marks[root] != Mark::kNone) continue;
      std::vector<std::pair<ActionUid, std::set<ActionUid>::const_iterator>> stack;
      marks[root] = Mark::kActive;
      stack.emplace_back(root, schema_.actions.at(root).member_of.begin());
      while (!stack.empty()) {
        auto& [uid, next] = stack.back();
        const Action& action = schema_.actions.at(uid);
        if (next == action.member_of.end()) {
          marks[uid] = Mark::kDone;
          stack.pop_back();
          continue;
        }
        const ActionUid parent = *next++;
        Mark& mark = marks[parent];
        if (mark == Mark::kActive) {
          return InvalidArgument("cycle in the action hierarchy through `" + parent.type + "::\"" +
                                 parent.id + "\"`");
        }
        if (mark == Mark::kNone) {
          mark = Mark::kActive;
          stack.emplace_back(parent, schema_.actions.at(parent).member_of.begin());
        }
      }
    }
    return Status::Ok();
  }

  std::map<std::string, CommonDef> commons_;
  std::set<std::string> entities_;
  int resolving_depth_ = 0;
  Schema schema_;
};

Json TypeToJson(const Type& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return Json{{"type", "Boolean"}};
    case TypeKind::kLong:
      return Json{{"type", "Long"}};
    case TypeKind::kString:
      return Json{{"type", "String"}};
    case TypeKind::kSet:
      return Json{{"type", "Set"}, {"element", TypeToJson(*type.element)}};
    case TypeKind::kRecord: {
      Json attributes = Json::object();
      for (const auto& [name, attr] : type.attributes) {
        Json value = TypeToJson(*attr.type);
        if (!attr.required) value["required"] = false;
        attributes[name] = std::move(value);
      }
      Json out{{"type", "Record"}, {"attributes", std::move(attributes)}};
      if (type.additional_attributes) out["additionalAttributes"] = true;
      return out;
    }
    case TypeKind::kEntity:
      return Json{{"type", "Entity"}, {"name", type.name}};
    case TypeKind::kExtension:
      return Json{{"type", "Extension"}, {"name", type.name}};
  }
  return nullptr;
}

// Splits "A::B::C" into namespace "A::B" and basename "C".
std::pair<std::string, std::string> SplitName(const std::string& name) {
  auto pos = name.rfind("::");
  if (pos == std::string::npos) return {"", name};
  return {name.substr(0, pos), name.substr(pos + 2)};
}

Json UidJson(const ActionUid& uid) {
  return Json{{"type", uid.type}, {"id", uid.id}};
}

}  // namespace

bool IsReservedWord(std::string_view text) {
  static constexpr std::array<std::string_view, 9> kReserved = {
      "true", "false", "if", "then", "else", "in", "is", "like", "has"};
  for (auto word : kReserved) {
    if (text == word) return true;
  }
  return false;
}

bool IsIdentifier(std::string_view text) {
  if (text.empty()) return false;
  auto head = static_cast<unsigned char>(text[0]);
  if (!(std::isalpha(head) || head == '_')) return false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || u == '_')) return false;
  }
  return !IsReservedWord(text);
}

bool IsPath(std::string_view text) {
  while (true) {
    auto pos = text.find("::");
    if (!IsIdentifier(text.substr(0, pos))) return false;
    if (pos == std::string_view::npos) return true;
    text.remove_prefix(pos + 2);
  }
}

Result<Schema> ResolveSchema(const std::vector<RawNamespace>& namespaces) {
  return Resolver().Run(namespaces);
}

const EntityType* Schema::FindEntityType(std::string_view name) const {
  auto it = entity_types.find(name);
  return it == entity_types.end() ? nullptr : &it->second;
}

const Action* Schema::FindAction(const ActionUid& uid) const {
  auto it = actions.find(uid);
  return it == actions.end() ? nullptr : &it->second;
}

bool SameType(const Type& a, const Type& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind || a.name != b.name) return false;
  switch (a.kind) {
    case TypeKind::kSet:
      return SameType(*a.element, *b.element);
    case TypeKind::kRecord: {
      if (a.additional_attributes != b.additional_attributes) return false;
      if (a.attributes.size() != b.attributes.size()) return false;
      for (auto ia = a.attributes.begin(), ib = b.attributes.begin(); ia != a.attributes.end();
           ++ia, ++ib) {
        if (ia->first != ib->first || ia->second.required != ib->second.required ||
            !SameType(*ia->second.type, *ib->second.type)) {
          return false;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

std::string TypeToString(const Type& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return "Bool";
    case TypeKind::kLong:
      return "Long";
    case TypeKind::kString:
      return "String";
    case TypeKind::kSet:
      return "Set<" + TypeToString(*type.element) + ">";
    case TypeKind::kRecord: {
      std::string out = "{";
      const char* sep = " ";
      for (const auto& [name, attr] : type.attributes) {
        out += sep + name + (attr.required ? ": " : "?: ") + TypeToString(*attr.type);
        sep = ", ";
      }
      return out + (type.attributes.empty() ? "}" : " }");
    }
    case TypeKind::kEntity:
    case TypeKind::kExtension:
      return type.name;
  }
  return "?";
}

Json ToJsonSchema(const Schema& schema) {
  Json out = Json::object();
  auto ns_of = [&](const std::string& ns) -> Json& {
    Json& def = out[ns];
    if (def.is_null()) def = Json{{"entityTypes", Json::object()}, {"actions", Json::object()}};
    return def;
  };
  for (const auto& [name, entity] : schema.entity_types) {
    auto [ns, base] = SplitName(name);
    Json def = Json::object();
    if (entity.enum_choices) {
      def["enum"] = *entity.enum_choices;
    } else {
      def["shape"] = TypeToJson(*entity.shape);
      if (entity.tags) def["tags"] = TypeToJson(*entity.tags);
      if (!entity.member_of_types.empty()) def["memberOfTypes"] = entity.member_of_types;
    }
    ns_of(ns)["entityTypes"][base] = std::move(def);
  }
  for (const auto& [uid, action] : schema.actions) {
    auto [ns, base] = SplitName(uid.type);
    Json def = Json::object();
    if (!action.member_of.empty()) {
      Json parents = Json::array();
      for (const auto& parent : action.member_of)
        parents.push_back(UidJson(parent));
      def["memberOf"] = std::move(parents);
    }
    def["appliesTo"] = Json{{"principalTypes", action.principal_types},
                            {"resourceTypes", action.resource_types},
                            {"context", TypeToJson(*action.context)}};
    ns_of(ns)["actions"][uid.id] = std::move(def);
  }
  return out;
}

Json ActionEntities(const Schema& schema) {
  Json out = Json::array();
  for (const auto& [uid, action] : schema.actions) {
    Json parents = Json::array();
    for (const auto& parent : action.member_of)
      parents.push_back(UidJson(parent));
    out.push_back(Json{{"uid", UidJson(uid)}, {"attrs", Json::object()}, {"parents", parents}});
  }
  return out;
}

}  // namespace pactum::cedar::schema
