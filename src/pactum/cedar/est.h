// Cedar's JSON policy format (the "EST"), in and out.
//
// PolicyToJson writes one policy as Cedar's JSON form ({"effect", "principal", "action",
// "resource", "conditions", "annotations"}); PolicyFromJson reads it back (the id is not part of
// the format, the caller names the policy). The output reflects the parsed tree, so sugar the
// parser removes comes back desugared (`a != b` as `!(a == b)`, `e has a.b` as a conjunction);
// the meaning is the same. Policy sets use {"staticPolicies", "templates", "templateLinks"}.
// Errors are kInvalidArgument naming the JSON path at fault.
#pragma once

#include <string>

#include "pactum/base/status.h"
#include "pactum/cedar/policy.h"

namespace pactum::cedar {

Json PolicyToJson(const Policy& policy);
Result<Policy> PolicyFromJson(const Json& json, std::string id);

Json ExprToJson(const Expr& expr);
Result<ExprPtr> ExprFromJson(const Json& json);

// Linked policies are written as static policies.
Json PolicySetToJson(const PolicySet& set);
Result<PolicySet> PolicySetFromJson(const Json& json);

}  // namespace pactum::cedar
