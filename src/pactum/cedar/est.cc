#include "pactum/cedar/est.h"

#include <algorithm>
#include <utility>

#include "pactum/cedar/entities.h"
#include "pactum/cedar/parser.h"

namespace pactum::cedar {
namespace {

struct OpName {
  BinaryOp op;
  std::string_view name;
};
constexpr OpName kBinaryNames[] = {
    {BinaryOp::kEq, "=="},
    {BinaryOp::kLess, "<"},
    {BinaryOp::kLessEq, "<="},
    {BinaryOp::kGreater, ">"},
    {BinaryOp::kGreaterEq, ">="},
    {BinaryOp::kIn, "in"},
    {BinaryOp::kAdd, "+"},
    {BinaryOp::kSub, "-"},
    {BinaryOp::kMul, "*"},
    {BinaryOp::kContains, "contains"},
    {BinaryOp::kContainsAll, "containsAll"},
    {BinaryOp::kContainsAny, "containsAny"},
    {BinaryOp::kHasTag, "hasTag"},
    {BinaryOp::kGetTag, "getTag"},
};

constexpr std::string_view kExtensionNames[] = {
    "decimal",         "ip",          "datetime",           "duration",  "lessThan",
    "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "isIpv4",    "isIpv6",
    "isLoopback",      "isMulticast", "isInRange",          "offset",    "durationSince",
    "toDate",          "toTime",      "toMilliseconds",     "toSeconds", "toMinutes",
    "toHours",         "toDays",
};

Json UidJson(const EntityUid& uid) {
  return Json{{"type", uid.type}, {"id", uid.id}};
}

Json ValueJson(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      return v.as_bool();
    case Value::Kind::kLong:
      return v.as_long();
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kEntity:
      return Json{{"__entity", UidJson(v.as_entity())}};
    case Value::Kind::kSet: {
      Json out = Json::array();
      for (const Value& e : v.as_set())
        out.push_back(ValueJson(e));
      return out;
    }
    case Value::Kind::kRecord: {
      Json out = Json::object();
      for (const auto& [k, e] : v.as_record())
        out[k] = ValueJson(e);
      return out;
    }
    case Value::Kind::kExtension: {
      const ExtensionValue& x = v.as_extension();
      return Json{{"__extn", {{"fn", x.ConstructorName()}, {"arg", x.ToString()}}}};
    }
  }
  return nullptr;
}

const char* VarName(Var v) {
  switch (v) {
    case Var::kPrincipal:
      return "principal";
    case Var::kAction:
      return "action";
    case Var::kResource:
      return "resource";
    case Var::kContext:
      return "context";
  }
  return "";
}

Json PatternJson(const Pattern& p) {
  Json out = Json::array();
  std::string literal;
  for (int c : p) {
    if (c == kWildcard) {
      if (!literal.empty()) out.push_back(Json{{"Literal", std::exchange(literal, "")}});
      out.push_back("Wildcard");
    } else {
      literal += static_cast<char>(c);
    }
  }
  if (!literal.empty()) out.push_back(Json{{"Literal", literal}});
  return out;
}

Json ScopeJson(const ScopeConstraint& c, Slot slot) {
  auto target = [&](const EntityOrSlot& t) {
    if (t.uid) return Json{{"entity", UidJson(*t.uid)}};
    return Json{{"slot", slot == Slot::kPrincipal ? "?principal" : "?resource"}};
  };
  switch (c.kind) {
    case ScopeConstraint::Kind::kAny:
      return Json{{"op", "All"}};
    case ScopeConstraint::Kind::kEq: {
      Json out = target(c.target);
      out["op"] = "==";
      return out;
    }
    case ScopeConstraint::Kind::kIn: {
      Json out = target(c.target);
      out["op"] = "in";
      return out;
    }
    case ScopeConstraint::Kind::kIs:
      return Json{{"op", "is"}, {"entity_type", c.entity_type}};
    case ScopeConstraint::Kind::kIsIn:
      return Json{{"op", "is"}, {"entity_type", c.entity_type}, {"in", target(c.target)}};
    case ScopeConstraint::Kind::kInSet: {
      Json list = Json::array();
      for (const EntityUid& e : c.entities)
        list.push_back(UidJson(e));
      return Json{{"op", "in"}, {"entities", list}};
    }
  }
  return nullptr;
}

// --- reading ---

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgument(where + ": " + what, Json{{"field", where}});
}

Result<EntityUid> UidFrom(const Json& j, const std::string& where) {
  Result<EntityUid> uid = EntityUidFromJson(j);
  if (!uid.ok()) return Bad(where, uid.status().message());
  return uid;
}

Result<ExprPtr> ExprFrom(const Json& j, const std::string& where, int depth);

Result<ExprPtr> Finish(Expr e, const std::string& where) {
  e.depth = HeightOf(e);
  if (e.depth > kMaxNesting) return Bad(where, "expression nested too deeply");
  return ExprPtr(std::make_shared<const Expr>(std::move(e)));
}

Result<std::vector<ExprPtr>> ArgsFrom(const Json& body, const std::vector<std::string>& keys,
                                      const std::string& where, int depth) {
  if (!body.is_object()) return Bad(where, "expected an object");
  std::vector<ExprPtr> args;
  for (const std::string& k : keys) {
    if (!body.contains(k)) return Bad(where, "missing \"" + k + "\"");
    PACTUM_ASSIGN_OR_RETURN(ExprPtr a, ExprFrom(body[k], where + "/" + k, depth + 1));
    args.push_back(std::move(a));
  }
  return args;
}

Result<std::string> StringField(const Json& body, const std::string& key,
                                const std::string& where) {
  if (!body.is_object() || !body.contains(key) || !body[key].is_string()) {
    return Bad(where, "missing string \"" + key + "\"");
  }
  return body[key].get<std::string>();
}

Result<ExprPtr> ExprFrom(const Json& j, const std::string& where, int depth) {
  if (depth > kMaxNesting) return Bad(where, "expression nested too deeply");
  if (!j.is_object() || j.size() != 1) return Bad(where, "expected an object with one key");
  const std::string& key = j.begin().key();
  const Json& body = j.begin().value();
  std::string at = where + "/" + key;
  Expr e;
  if (key == "Value") {
    Result<Value> v = ValueFromJson(body);
    if (!v.ok()) return Bad(at, v.status().message());
    e.value = std::move(v).value();
    return Finish(std::move(e), at);
  }
  if (key == "Var") {
    static const std::pair<std::string_view, Var> kVars[] = {{"principal", Var::kPrincipal},
                                                             {"action", Var::kAction},
                                                             {"resource", Var::kResource},
                                                             {"context", Var::kContext}};
    for (const auto& [name, var] : kVars) {
      if (body.is_string() && body.get<std::string>() == name) {
        e.kind = Expr::Kind::kVar;
        e.var = var;
        return Finish(std::move(e), at);
      }
    }
    return Bad(at, "unknown variable");
  }
  if (key == "Slot") return Bad(at, "template slots may only appear in the policy scope");
  if (key == "!" || key == "neg" || key == "isEmpty") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"arg"}, at, depth));
    e.kind = key == "!" ? Expr::Kind::kNot : key == "neg" ? Expr::Kind::kNeg : Expr::Kind::kIsEmpty;
    return Finish(std::move(e), at);
  }
  if (key == "&&" || key == "||") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left", "right"}, at, depth));
    e.kind = key == "&&" ? Expr::Kind::kAnd : Expr::Kind::kOr;
    return Finish(std::move(e), at);
  }
  if (key == "!=") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left", "right"}, at, depth));
    e.kind = Expr::Kind::kBinary;
    e.op = BinaryOp::kEq;
    PACTUM_ASSIGN_OR_RETURN(ExprPtr eq, Finish(std::move(e), at));
    Expr n;
    n.kind = Expr::Kind::kNot;
    n.args = {eq};
    return Finish(std::move(n), at);
  }
  for (const OpName& b : kBinaryNames) {
    if (b.name != key) continue;
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left", "right"}, at, depth));
    e.kind = Expr::Kind::kBinary;
    e.op = b.op;
    return Finish(std::move(e), at);
  }
  if (key == "." || key == "has") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left"}, at, depth));
    PACTUM_ASSIGN_OR_RETURN(e.name, StringField(body, "attr", at));
    e.kind = key == "." ? Expr::Kind::kGetAttr : Expr::Kind::kHasAttr;
    return Finish(std::move(e), at);
  }
  if (key == "like") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left"}, at, depth));
    if (!body.contains("pattern") || !body["pattern"].is_array()) {
      return Bad(at, "missing array \"pattern\"");
    }
    for (const Json& p : body["pattern"]) {
      if (p == "Wildcard") {
        e.pattern.push_back(kWildcard);
      } else if (p.is_object() && p.contains("Literal") && p["Literal"].is_string()) {
        for (char c : p["Literal"].get<std::string>()) {
          e.pattern.push_back(static_cast<unsigned char>(c));
        }
      } else {
        return Bad(at + "/pattern", "expected \"Wildcard\" or {\"Literal\": string}");
      }
    }
    e.kind = Expr::Kind::kLike;
    return Finish(std::move(e), at);
  }
  if (key == "is") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"left"}, at, depth));
    PACTUM_ASSIGN_OR_RETURN(e.name, StringField(body, "entity_type", at));
    e.kind = Expr::Kind::kIs;
    ExprPtr left = e.args[0];
    PACTUM_ASSIGN_OR_RETURN(ExprPtr is, Finish(std::move(e), at));
    if (!body.contains("in")) return is;
    PACTUM_ASSIGN_OR_RETURN(ExprPtr container, ExprFrom(body["in"], at + "/in", depth + 1));
    Expr in;
    in.kind = Expr::Kind::kBinary;
    in.op = BinaryOp::kIn;
    in.args = {left, container};
    PACTUM_ASSIGN_OR_RETURN(ExprPtr in_expr, Finish(std::move(in), at));
    Expr both;
    both.kind = Expr::Kind::kAnd;
    both.args = {is, in_expr};
    return Finish(std::move(both), at);
  }
  if (key == "if-then-else") {
    PACTUM_ASSIGN_OR_RETURN(e.args, ArgsFrom(body, {"if", "then", "else"}, at, depth));
    e.kind = Expr::Kind::kIf;
    return Finish(std::move(e), at);
  }
  if (key == "Set") {
    if (!body.is_array()) return Bad(at, "expected an array");
    for (std::size_t i = 0; i < body.size(); ++i) {
      PACTUM_ASSIGN_OR_RETURN(ExprPtr a,
                              ExprFrom(body[i], at + "/" + std::to_string(i), depth + 1));
      e.args.push_back(std::move(a));
    }
    e.kind = Expr::Kind::kSet;
    return Finish(std::move(e), at);
  }
  if (key == "Record") {
    if (!body.is_object()) return Bad(at, "expected an object");
    for (const auto& [k, v] : body.items()) {
      PACTUM_ASSIGN_OR_RETURN(ExprPtr a, ExprFrom(v, at + "/" + k, depth + 1));
      e.fields.emplace_back(k, std::move(a));
    }
    e.kind = Expr::Kind::kRecord;
    return Finish(std::move(e), at);
  }
  if (std::find(std::begin(kExtensionNames), std::end(kExtensionNames), key) !=
      std::end(kExtensionNames)) {
    if (!body.is_array()) return Bad(at, "expected an array of arguments");
    for (std::size_t i = 0; i < body.size(); ++i) {
      PACTUM_ASSIGN_OR_RETURN(ExprPtr a,
                              ExprFrom(body[i], at + "/" + std::to_string(i), depth + 1));
      e.args.push_back(std::move(a));
    }
    e.kind = Expr::Kind::kCall;
    e.name = key;
    return Finish(std::move(e), at);
  }
  return Bad(where, "unknown expression \"" + key + "\"");
}

Result<ScopeConstraint> ScopeFrom(const Json& j, const std::string& where, Slot slot,
                                  bool is_action) {
  if (!j.is_object() || !j.contains("op") || !j["op"].is_string()) {
    return Bad(where, "expected an object with \"op\"");
  }
  std::string op = j["op"].get<std::string>();
  ScopeConstraint c;
  auto target = [&](const Json& t, const std::string& at) -> Result<EntityOrSlot> {
    EntityOrSlot out;
    if (t.contains("entity")) {
      PACTUM_ASSIGN_OR_RETURN(EntityUid uid, UidFrom(t["entity"], at + "/entity"));
      out.uid = std::move(uid);
      return out;
    }
    std::string want = slot == Slot::kPrincipal ? "?principal" : "?resource";
    if (!is_action && t.contains("slot") && t["slot"] == want) {
      out.slot = slot;
      return out;
    }
    return Bad(at, "expected \"entity\"" + (is_action ? std::string() : " or \"slot\": " + want));
  };
  if (op == "All") return c;
  if (op == "==" || (op == "in" && !j.contains("entities"))) {
    c.kind = op == "==" ? ScopeConstraint::Kind::kEq : ScopeConstraint::Kind::kIn;
    PACTUM_ASSIGN_OR_RETURN(c.target, target(j, where));
    return c;
  }
  if (op == "in" && is_action) {
    if (!j["entities"].is_array()) return Bad(where + "/entities", "expected an array");
    c.kind = ScopeConstraint::Kind::kInSet;
    for (const Json& e : j["entities"]) {
      PACTUM_ASSIGN_OR_RETURN(EntityUid uid, UidFrom(e, where + "/entities"));
      c.entities.push_back(std::move(uid));
    }
    return c;
  }
  if (op == "is" && !is_action) {
    PACTUM_ASSIGN_OR_RETURN(c.entity_type, StringField(j, "entity_type", where));
    if (!ParseEntityUid(c.entity_type + "::\"\"").ok()) {
      return Bad(where + "/entity_type", "invalid entity type");
    }
    c.kind = ScopeConstraint::Kind::kIs;
    if (j.contains("in")) {
      c.kind = ScopeConstraint::Kind::kIsIn;
      PACTUM_ASSIGN_OR_RETURN(c.target, target(j["in"], where + "/in"));
    }
    return c;
  }
  return Bad(where + "/op", "unsupported scope operator \"" + op + "\"");
}

}  // namespace

Json ExprToJson(const Expr& e) {
  auto arg = [&](std::size_t i) { return ExprToJson(*e.args[i]); };
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      return Json{{"Value", ValueJson(e.value)}};
    case Expr::Kind::kVar:
      return Json{{"Var", VarName(e.var)}};
    case Expr::Kind::kIf:
      return Json{{"if-then-else", {{"if", arg(0)}, {"then", arg(1)}, {"else", arg(2)}}}};
    case Expr::Kind::kAnd:
      return Json{{"&&", {{"left", arg(0)}, {"right", arg(1)}}}};
    case Expr::Kind::kOr:
      return Json{{"||", {{"left", arg(0)}, {"right", arg(1)}}}};
    case Expr::Kind::kNot:
      return Json{{"!", {{"arg", arg(0)}}}};
    case Expr::Kind::kNeg:
      return Json{{"neg", {{"arg", arg(0)}}}};
    case Expr::Kind::kIsEmpty:
      return Json{{"isEmpty", {{"arg", arg(0)}}}};
    case Expr::Kind::kBinary:
      for (const OpName& b : kBinaryNames) {
        if (b.op == e.op) return Json{{b.name, {{"left", arg(0)}, {"right", arg(1)}}}};
      }
      return nullptr;
    case Expr::Kind::kGetAttr:
      return Json{{".", {{"left", arg(0)}, {"attr", e.name}}}};
    case Expr::Kind::kHasAttr:
      return Json{{"has", {{"left", arg(0)}, {"attr", e.name}}}};
    case Expr::Kind::kLike:
      return Json{{"like", {{"left", arg(0)}, {"pattern", PatternJson(e.pattern)}}}};
    case Expr::Kind::kIs:
      return Json{{"is", {{"left", arg(0)}, {"entity_type", e.name}}}};
    case Expr::Kind::kSet: {
      Json out = Json::array();
      for (std::size_t i = 0; i < e.args.size(); ++i)
        out.push_back(arg(i));
      return Json{{"Set", out}};
    }
    case Expr::Kind::kRecord: {
      Json out = Json::object();
      for (const auto& [k, v] : e.fields)
        out[k] = ExprToJson(*v);
      return Json{{"Record", out}};
    }
    case Expr::Kind::kCall: {
      Json out = Json::array();
      for (std::size_t i = 0; i < e.args.size(); ++i)
        out.push_back(arg(i));
      return Json{{e.name, out}};
    }
  }
  return nullptr;
}

Result<ExprPtr> ExprFromJson(const Json& json) {
  return ExprFrom(json, "", 0);
}

Json PolicyToJson(const Policy& policy) {
  Json conditions = Json::array();
  for (const Condition& c : policy.conditions) {
    conditions.push_back({{"kind", c.is_when ? "when" : "unless"}, {"body", ExprToJson(*c.expr)}});
  }
  Json out{{"effect", policy.effect == Effect::kPermit ? "permit" : "forbid"},
           {"principal", ScopeJson(policy.principal, Slot::kPrincipal)},
           {"action", ScopeJson(policy.action, Slot::kPrincipal)},
           {"resource", ScopeJson(policy.resource, Slot::kResource)},
           {"conditions", conditions}};
  if (!policy.annotations.empty()) out["annotations"] = policy.annotations;
  return out;
}

Result<Policy> PolicyFromJson(const Json& json, std::string id) {
  if (!json.is_object()) return Bad("policy", "expected an object");
  Policy p;
  p.id = std::move(id);
  PACTUM_ASSIGN_OR_RETURN(std::string effect, StringField(json, "effect", "/effect"));
  if (effect != "permit" && effect != "forbid") return Bad("/effect", "expected permit or forbid");
  p.effect = effect == "permit" ? Effect::kPermit : Effect::kForbid;
  for (const char* key : {"principal", "action", "resource"}) {
    if (!json.contains(key)) return Bad(std::string("/") + key, "missing");
  }
  PACTUM_ASSIGN_OR_RETURN(p.principal,
                          ScopeFrom(json["principal"], "/principal", Slot::kPrincipal, false));
  PACTUM_ASSIGN_OR_RETURN(p.action, ScopeFrom(json["action"], "/action", Slot::kPrincipal, true));
  PACTUM_ASSIGN_OR_RETURN(p.resource,
                          ScopeFrom(json["resource"], "/resource", Slot::kResource, false));
  if (json.contains("conditions")) {
    const Json& conds = json["conditions"];
    if (!conds.is_array()) return Bad("/conditions", "expected an array");
    for (std::size_t i = 0; i < conds.size(); ++i) {
      std::string at = "/conditions/" + std::to_string(i);
      PACTUM_ASSIGN_OR_RETURN(std::string kind, StringField(conds[i], "kind", at));
      if (kind != "when" && kind != "unless") return Bad(at + "/kind", "expected when or unless");
      if (!conds[i].contains("body")) return Bad(at + "/body", "missing");
      PACTUM_ASSIGN_OR_RETURN(ExprPtr body, ExprFrom(conds[i]["body"], at + "/body", 0));
      p.conditions.push_back({kind == "when", std::move(body)});
    }
  }
  if (json.contains("annotations")) {
    if (!json["annotations"].is_object()) return Bad("/annotations", "expected an object");
    for (const auto& [k, v] : json["annotations"].items()) {
      if (!v.is_string() && !v.is_null()) return Bad("/annotations/" + k, "expected a string");
      p.annotations[k] = v.is_string() ? v.get<std::string>() : "";
    }
  }
  return p;
}

Json PolicySetToJson(const PolicySet& set) {
  Json statics = Json::object();
  for (const Policy& p : set.policies)
    statics[p.id] = PolicyToJson(p);
  Json templates = Json::object();
  for (const Policy& t : set.templates)
    templates[t.id] = PolicyToJson(t);
  return Json{
      {"staticPolicies", statics}, {"templates", templates}, {"templateLinks", Json::array()}};
}

Result<PolicySet> PolicySetFromJson(const Json& json) {
  if (!json.is_object()) return Bad("policy set", "expected an object");
  PolicySet set;
  for (const char* section : {"staticPolicies", "templates"}) {
    if (!json.contains(section)) continue;
    if (!json[section].is_object()) return Bad(std::string("/") + section, "expected an object");
    for (const auto& [id, body] : json[section].items()) {
      Result<Policy> p = PolicyFromJson(body, id);
      if (!p.ok()) return p.status().WithContext(std::string("/") + section + "/" + id);
      bool is_template = std::string_view(section) == "templates";
      if (p->IsTemplate() != is_template) {
        return Bad(std::string("/") + section + "/" + id,
                   is_template ? "a template must use a slot" : "a static policy cannot use slots");
      }
      (is_template ? set.templates : set.policies).push_back(std::move(p).value());
    }
  }
  if (json.contains("templateLinks")) {
    if (!json["templateLinks"].is_array()) return Bad("/templateLinks", "expected an array");
    for (const Json& link : json["templateLinks"]) {
      PACTUM_ASSIGN_OR_RETURN(std::string tid, StringField(link, "templateId", "/templateLinks"));
      PACTUM_ASSIGN_OR_RETURN(std::string nid, StringField(link, "newId", "/templateLinks"));
      std::map<Slot, EntityUid> values;
      if (link.contains("values") && link["values"].is_object()) {
        for (const auto& [slot, uid_json] : link["values"].items()) {
          if (slot != "?principal" && slot != "?resource") {
            return Bad("/templateLinks/values", "unknown slot " + slot);
          }
          PACTUM_ASSIGN_OR_RETURN(EntityUid uid, UidFrom(uid_json, "/templateLinks/values"));
          values[slot == "?principal" ? Slot::kPrincipal : Slot::kResource] = std::move(uid);
        }
      }
      PACTUM_TRY(set.Link(tid, std::move(nid), values));
    }
  }
  return set;
}

}  // namespace pactum::cedar
