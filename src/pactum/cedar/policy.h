// The Cedar abstract syntax: expressions, policies, templates and policy sets.
//
// Expressions are immutable trees shared by pointer. A policy keeps its scope apart from its
// conditions: scope constraints cannot fail, so the evaluator checks them directly before
// evaluating the `when`/`unless` conditions in order. A template is a policy whose principal
// or resource scope names a slot (`?principal`, `?resource`); linking fills the slots.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/value.h"

namespace pactum::cedar {

enum class Var { kPrincipal, kAction, kResource, kContext };

enum class BinaryOp {
  kEq,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kIn,
  kAdd,
  kSub,
  kMul,
  kContains,
  kContainsAll,
  kContainsAny,
  kHasTag,
  kGetTag,
};

// A `like` pattern: literal bytes and wildcards (kWildcard).
using Pattern = std::vector<int>;
inline constexpr int kWildcard = -1;

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind {
    kLiteral,  // value
    kVar,      // var
    kIf,       // args: condition, then, else
    kAnd,      // args: left, right
    kOr,       // args: left, right
    kNot,      // args: operand
    kNeg,      // args: operand
    kBinary,   // op; args: left, right
    kGetAttr,  // name; args: record or entity
    kHasAttr,  // name; args: record or entity
    kLike,     // pattern; args: string
    kIs,       // name (entity type); args: entity
    kSet,      // args: elements
    kRecord,   // fields
    kIsEmpty,  // args: set
    kCall,     // name (extension function or method); args, receiver first for methods
  };
  Kind kind = Kind::kLiteral;
  Value value;
  Var var = Var::kPrincipal;
  BinaryOp op = BinaryOp::kEq;
  std::string name;
  Pattern pattern;
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, ExprPtr>> fields;
  int depth = 1;  // height of the tree, bounded by the parser
};

// The height of `e` from its children's heights: what both parsers (text and JSON) store in
// Expr::depth before checking it against kMaxNesting.
int HeightOf(const Expr& e);

enum class Effect { kPermit, kForbid };

enum class Slot { kPrincipal, kResource };

// The target of `==` or `in` in a scope: an entity, or a template slot.
struct EntityOrSlot {
  std::optional<EntityUid> uid;  // empty for a slot
  Slot slot = Slot::kPrincipal;
};

struct ScopeConstraint {
  enum class Kind { kAny, kEq, kIn, kIs, kIsIn, kInSet };
  Kind kind = Kind::kAny;
  std::string entity_type;          // kIs, kIsIn
  EntityOrSlot target;              // kEq, kIn, kIsIn
  std::vector<EntityUid> entities;  // kInSet (action only)
};

struct Condition {
  bool is_when = true;  // `when` or `unless`
  ExprPtr expr;
};

struct Policy {
  std::string id;
  Effect effect = Effect::kPermit;
  ScopeConstraint principal;
  ScopeConstraint action;
  ScopeConstraint resource;
  std::vector<Condition> conditions;
  std::map<std::string, std::string> annotations;

  // True if a scope constraint still names a slot.
  bool IsTemplate() const;
};

// Fills the slots of `template_policy` and names the result `new_id`. Every slot the
// template uses must be given; giving a slot it does not use is an error.
Result<Policy> LinkTemplate(const Policy& template_policy, std::string new_id,
                            const std::map<Slot, EntityUid>& values);

struct PolicySet {
  std::vector<Policy> policies;   // static and linked policies, evaluated by the authorizer
  std::vector<Policy> templates;  // not evaluated until linked

  // Links template `template_id` into a new policy `new_id` and adds it to `policies`.
  Status Link(const std::string& template_id, std::string new_id,
              const std::map<Slot, EntityUid>& values);
};

}  // namespace pactum::cedar
