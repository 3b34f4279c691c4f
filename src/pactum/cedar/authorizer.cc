#include "pactum/cedar/authorizer.h"

#include <algorithm>
#include <string>
#include <utility>

#include "pactum/cedar/extension.h"

namespace pactum::cedar {
namespace {

Status TypeError(std::string message) {
  return InvalidArgument("type error: " + message);
}

Status ExpectKind(const Value& v, Value::Kind kind, std::string_view what) {
  if (v.kind() == kind) return Status::Ok();
  return TypeError(std::string(what) + " expects " + std::string(KindName(kind)) + ", got " +
                   std::string(KindName(v.kind())));
}

bool Like(std::string_view s, const Pattern& p) {
  // Wildcard matching with backtracking to the last `*`: linear in practice, O(|s|·|p|) worst.
  std::size_t si = 0, pi = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] != kWildcard && p[pi] == static_cast<unsigned char>(s[si])) {
      ++si;
      ++pi;
    } else if (pi < p.size() && p[pi] == kWildcard) {
      star = pi++;
      mark = si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == kWildcard)
    ++pi;
  return pi == p.size();
}

// The request's entities, looked up once for all policies.
struct ResolvedRequest {
  ResolvedRequest(const Request& request, const Entities& entities)
      : principal(entities.Resolve(request.principal)),
        action(entities.Resolve(request.action)),
        resource(entities.Resolve(request.resource)) {}
  Entities::Resolved principal;
  Entities::Resolved action;
  Entities::Resolved resource;

  // The resolved entity a variable names; null for `context`.
  const Entities::Resolved* Of(Var v) const {
    switch (v) {
      case Var::kPrincipal:
        return &principal;
      case Var::kAction:
        return &action;
      case Var::kResource:
        return &resource;
      case Var::kContext:
        return nullptr;
    }
    return nullptr;
  }
};

class Evaluator {
 public:
  Evaluator(const Request& request, const ResolvedRequest& resolved, const Entities& entities)
      : request_(request), resolved_(resolved), entities_(entities) {}

  Result<Value> Eval(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kLiteral:
        return e.value;
      case Expr::Kind::kVar:
        return Var(e.var);
      case Expr::Kind::kIf: {
        PACTUM_ASSIGN_OR_RETURN(bool c, EvalBool(*e.args[0], "if"));
        return Eval(*e.args[c ? 1 : 2]);
      }
      case Expr::Kind::kAnd: {
        PACTUM_ASSIGN_OR_RETURN(bool l, EvalBool(*e.args[0], "&&"));
        if (!l) return Value(false);
        PACTUM_ASSIGN_OR_RETURN(bool r, EvalBool(*e.args[1], "&&"));
        return Value(r);
      }
      case Expr::Kind::kOr: {
        PACTUM_ASSIGN_OR_RETURN(bool l, EvalBool(*e.args[0], "||"));
        if (l) return Value(true);
        PACTUM_ASSIGN_OR_RETURN(bool r, EvalBool(*e.args[1], "||"));
        return Value(r);
      }
      case Expr::Kind::kNot: {
        PACTUM_ASSIGN_OR_RETURN(bool v, EvalBool(*e.args[0], "!"));
        return Value(!v);
      }
      case Expr::Kind::kNeg: {
        PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*e.args[0]));
        PACTUM_TRY(ExpectKind(v, Value::Kind::kLong, "unary -"));
        if (v.as_long() == INT64_MIN) return InvalidArgument("overflow: -(" + v.ToString() + ")");
        return Value(-v.as_long());
      }
      case Expr::Kind::kBinary: {
        PACTUM_ASSIGN_OR_RETURN(Value l, Eval(*e.args[0]));
        PACTUM_ASSIGN_OR_RETURN(Value r, Eval(*e.args[1]));
        return Binary(e.op, l, r);
      }
      case Expr::Kind::kGetAttr:
      case Expr::Kind::kHasAttr: {
        bool get = e.kind == Expr::Kind::kGetAttr;
        const Record* attrs = nullptr;
        const EntityUid* entity = nullptr;  // set when the target is an entity
        Value target;                       // keeps an evaluated target alive
        const Expr& arg = *e.args[0];
        // Attributes of the request's entities are read in place, without building a value.
        const Entities::Resolved* var =
            arg.kind == Expr::Kind::kVar ? resolved_.Of(arg.var) : nullptr;
        if (var != nullptr) {
          entity = &var->uid();
          attrs = var->entity() != nullptr ? &var->entity()->attrs : nullptr;
        } else {
          PACTUM_ASSIGN_OR_RETURN(target, Eval(arg));
          PACTUM_ASSIGN_OR_RETURN(attrs, AttrsOf(target, get ? "attribute access" : "has"));
          if (target.is_entity()) entity = &target.as_entity();
        }
        if (!get) return Value(attrs != nullptr && attrs->count(e.name) > 0);
        return GetAttr(attrs, entity, e.name);
      }
      case Expr::Kind::kLike: {
        PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*e.args[0]));
        PACTUM_TRY(ExpectKind(v, Value::Kind::kString, "like"));
        return Value(Like(v.as_string(), e.pattern));
      }
      case Expr::Kind::kIs: {
        PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*e.args[0]));
        PACTUM_TRY(ExpectKind(v, Value::Kind::kEntity, "is"));
        return Value(v.as_entity().type == e.name);
      }
      case Expr::Kind::kIsEmpty: {
        PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*e.args[0]));
        PACTUM_TRY(ExpectKind(v, Value::Kind::kSet, "isEmpty"));
        return Value(v.as_set().empty());
      }
      case Expr::Kind::kSet: {
        std::vector<Value> elements;
        elements.reserve(e.args.size());
        for (const ExprPtr& a : e.args) {
          PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*a));
          elements.push_back(std::move(v));
        }
        return Value::MakeSet(std::move(elements));
      }
      case Expr::Kind::kRecord: {
        Record fields;
        for (const auto& [key, a] : e.fields) {
          PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*a));
          fields.insert_or_assign(key, std::move(v));
        }
        return Value::MakeRecord(std::move(fields));
      }
      case Expr::Kind::kCall: {
        std::vector<Value> args;
        args.reserve(e.args.size());
        for (const ExprPtr& a : e.args) {
          PACTUM_ASSIGN_OR_RETURN(Value v, Eval(*a));
          args.push_back(std::move(v));
        }
        return CallExtension(e.name, args);
      }
    }
    return Internal("unknown expression kind");
  }

 private:
  Value Var(cedar::Var v) const {
    switch (v) {
      case Var::kPrincipal:
        return Value(request_.principal);
      case Var::kAction:
        return Value(request_.action);
      case Var::kResource:
        return Value(request_.resource);
      case Var::kContext:
        return request_.context;
    }
    return Value(false);
  }

  Result<bool> EvalBool(const Expr& e, std::string_view what) {
    PACTUM_ASSIGN_OR_RETURN(Value v, Eval(e));
    PACTUM_TRY(ExpectKind(v, Value::Kind::kBool, what));
    return v.as_bool();
  }

  // The attributes of a record, or of an entity in the store (null: entity missing).
  Result<const Record*> AttrsOf(const Value& target, std::string_view what) const {
    if (target.is_record()) return &target.as_record();
    if (target.is_entity()) {
      const Entity* entity = entities_.Find(target.as_entity());
      return entity == nullptr ? nullptr : &entity->attrs;
    }
    return TypeError(std::string(what) + " expects an entity or a record, got " +
                     std::string(KindName(target.kind())));
  }

  // `attrs` is null for an entity missing from the store.
  static Result<Value> GetAttr(const Record* attrs, const EntityUid* entity,
                               const std::string& name) {
    if (attrs == nullptr)
      return InvalidArgument("entity " + entity->ToString() + " does not exist");
    auto it = attrs->find(name);
    if (it == attrs->end()) {
      return InvalidArgument("attribute \"" + name + "\" does not exist on " +
                             (entity != nullptr ? entity->ToString() : "record"));
    }
    return it->second;
  }

  Result<Value> Binary(BinaryOp op, const Value& l, const Value& r) const {
    switch (op) {
      case BinaryOp::kEq:
        return Value(l == r);
      case BinaryOp::kLess:
      case BinaryOp::kLessEq:
      case BinaryOp::kGreater:
      case BinaryOp::kGreaterEq: {
        std::strong_ordering c = std::strong_ordering::equal;
        if (l.is_long() && r.is_long()) {
          c = l.as_long() <=> r.as_long();
        } else if (auto ext = CompareOrderedExtensions(l, r)) {
          c = *ext;
        } else {
          return TypeError("comparison expects two longs, datetimes or durations, got " +
                           std::string(KindName(l.kind())) + " and " +
                           std::string(KindName(r.kind())));
        }
        switch (op) {
          case BinaryOp::kLess:
            return Value(c < 0);
          case BinaryOp::kLessEq:
            return Value(c <= 0);
          case BinaryOp::kGreater:
            return Value(c > 0);
          default:
            return Value(c >= 0);
        }
      }
      case BinaryOp::kAdd:
      case BinaryOp::kSub:
      case BinaryOp::kMul: {
        PACTUM_TRY(ExpectKind(l, Value::Kind::kLong, "arithmetic"));
        PACTUM_TRY(ExpectKind(r, Value::Kind::kLong, "arithmetic"));
        std::int64_t out = 0;
        bool overflow =
            op == BinaryOp::kAdd   ? __builtin_add_overflow(l.as_long(), r.as_long(), &out)
            : op == BinaryOp::kSub ? __builtin_sub_overflow(l.as_long(), r.as_long(), &out)
                                   : __builtin_mul_overflow(l.as_long(), r.as_long(), &out);
        if (overflow) {
          return InvalidArgument("overflow in arithmetic on " + l.ToString() + " and " +
                                 r.ToString());
        }
        return Value(out);
      }
      case BinaryOp::kIn: {
        PACTUM_TRY(ExpectKind(l, Value::Kind::kEntity, "in"));
        if (r.is_entity()) return Value(entities_.IsInOrEqual(l.as_entity(), r.as_entity()));
        if (!r.is_set()) {
          return TypeError("in expects an entity or a set of entities on the right, got " +
                           std::string(KindName(r.kind())));
        }
        for (const Value& v : r.as_set())
          PACTUM_TRY(ExpectKind(v, Value::Kind::kEntity, "in"));
        Entities::Resolved entity = entities_.Resolve(l.as_entity());
        for (const Value& v : r.as_set()) {
          if (entity.IsInOrEqual(v.as_entity())) return Value(true);
        }
        return Value(false);
      }
      case BinaryOp::kContains:
        PACTUM_TRY(ExpectKind(l, Value::Kind::kSet, "contains"));
        return Value(l.SetContains(r));
      case BinaryOp::kContainsAll:
      case BinaryOp::kContainsAny: {
        std::string_view what = op == BinaryOp::kContainsAll ? "containsAll" : "containsAny";
        PACTUM_TRY(ExpectKind(l, Value::Kind::kSet, what));
        PACTUM_TRY(ExpectKind(r, Value::Kind::kSet, what));
        const Set& rs = r.as_set();
        if (op == BinaryOp::kContainsAll) {
          return Value(
              std::all_of(rs.begin(), rs.end(), [&](const Value& v) { return l.SetContains(v); }));
        }
        return Value(
            std::any_of(rs.begin(), rs.end(), [&](const Value& v) { return l.SetContains(v); }));
      }
      case BinaryOp::kHasTag:
      case BinaryOp::kGetTag: {
        bool get = op == BinaryOp::kGetTag;
        PACTUM_TRY(ExpectKind(l, Value::Kind::kEntity, get ? "getTag" : "hasTag"));
        PACTUM_TRY(ExpectKind(r, Value::Kind::kString, get ? "getTag" : "hasTag"));
        const Entity* entity = entities_.Find(l.as_entity());
        if (!get) return Value(entity != nullptr && entity->tags.count(r.as_string()) > 0);
        if (entity == nullptr) {
          return InvalidArgument("entity " + l.as_entity().ToString() + " does not exist");
        }
        auto it = entity->tags.find(r.as_string());
        if (it == entity->tags.end()) {
          return InvalidArgument("tag \"" + r.as_string() + "\" does not exist on " +
                                 l.as_entity().ToString());
        }
        return it->second;
      }
    }
    return Internal("unknown binary operator");
  }

  const Request& request_;
  const ResolvedRequest& resolved_;
  const Entities& entities_;
};

bool ScopeMatches(const ScopeConstraint& scope, const Entities::Resolved& entity) {
  switch (scope.kind) {
    case ScopeConstraint::Kind::kAny:
      return true;
    case ScopeConstraint::Kind::kEq:
      return scope.target.uid && entity.uid() == *scope.target.uid;
    case ScopeConstraint::Kind::kIn:
      return scope.target.uid && entity.IsInOrEqual(*scope.target.uid);
    case ScopeConstraint::Kind::kIs:
      return entity.uid().type == scope.entity_type;
    case ScopeConstraint::Kind::kIsIn:
      return entity.uid().type == scope.entity_type && scope.target.uid &&
             entity.IsInOrEqual(*scope.target.uid);
    case ScopeConstraint::Kind::kInSet:
      return std::any_of(scope.entities.begin(), scope.entities.end(),
                         [&](const EntityUid& e) { return entity.IsInOrEqual(e); });
  }
  return false;
}

Result<bool> Satisfied(const Policy& policy, const ResolvedRequest& resolved,
                       const Request& request, const Entities& entities) {
  if (!ScopeMatches(policy.principal, resolved.principal) ||
      !ScopeMatches(policy.action, resolved.action) ||
      !ScopeMatches(policy.resource, resolved.resource)) {
    return false;
  }
  Evaluator evaluator(request, resolved, entities);
  for (const Condition& c : policy.conditions) {
    PACTUM_ASSIGN_OR_RETURN(Value v, evaluator.Eval(*c.expr));
    PACTUM_TRY(ExpectKind(v, Value::Kind::kBool, c.is_when ? "when" : "unless"));
    if (v.as_bool() != c.is_when) return false;
  }
  return true;
}

template <typename ForEachPolicy>
Response Decide(ForEachPolicy for_each_policy, const Request& request, const Entities& entities) {
  Response response;
  std::vector<std::string> permits;
  std::vector<std::string> forbids;
  ResolvedRequest resolved(request, entities);
  for_each_policy([&](const Policy& p) {
    Result<bool> satisfied = Satisfied(p, resolved, request, entities);
    if (!satisfied.ok()) {
      response.errors.push_back({p.id, satisfied.status().message()});
    } else if (*satisfied) {
      (p.effect == Effect::kPermit ? permits : forbids).push_back(p.id);
    }
  });
  if (!forbids.empty()) {
    response.decision = Decision::kDeny;
    response.reasons = std::move(forbids);
  } else if (!permits.empty()) {
    response.decision = Decision::kAllow;
    response.reasons = std::move(permits);
  }
  return response;
}

}  // namespace

Result<Value> Evaluate(const Expr& expr, const Request& request, const Entities& entities) {
  ResolvedRequest resolved(request, entities);
  return Evaluator(request, resolved, entities).Eval(expr);
}

Result<bool> IsSatisfied(const Policy& policy, const Request& request, const Entities& entities) {
  return Satisfied(policy, ResolvedRequest(request, entities), request, entities);
}

Response IsAuthorized(const PolicySet& policies, const Request& request, const Entities& entities) {
  return Decide(
      [&](auto&& visit) {
        for (const Policy& p : policies.policies)
          visit(p);
      },
      request, entities);
}

Response IsAuthorized(const PolicySet& policies, std::span<const std::size_t> indices,
                      const Request& request, const Entities& entities) {
  return Decide(
      [&](auto&& visit) {
        for (std::size_t i : indices)
          visit(policies.policies[i]);
      },
      request, entities);
}

}  // namespace pactum::cedar
