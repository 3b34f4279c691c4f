// Cedar evaluation and authorization, as the Lean specification defines them.
//
// Evaluate gives an expression's value or an evaluation error (type error, missing entity or
// attribute, overflow, extension error). A policy is satisfied when its scope matches and each
// `when` condition is true and each `unless` condition false; a condition that errors (or is not
// a boolean) makes the policy "errored", and it takes no part in the decision. IsAuthorized
// denies by default: any satisfied forbid denies, else any satisfied permit allows. The reasons
// are the satisfied policies that determined the decision; the errors name every errored policy.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/entities.h"
#include "pactum/cedar/policy.h"

namespace pactum::cedar {

Result<Value> Evaluate(const Expr& expr, const Request& request, const Entities& entities);

// Whether `policy` is satisfied by the request; an error makes the policy errored.
Result<bool> IsSatisfied(const Policy& policy, const Request& request, const Entities& entities);

enum class Decision { kAllow, kDeny };

struct PolicyError {
  std::string policy_id;
  std::string message;
};

struct Response {
  Decision decision = Decision::kDeny;
  std::vector<std::string> reasons;  // policy ids, in policy-set order
  std::vector<PolicyError> errors;   // in policy-set order
};

Response IsAuthorized(const PolicySet& policies, const Request& request, const Entities& entities);

// As above, over the policies at `indices` (ascending) only: a pre-filter may leave out policies
// whose scope cannot match the request, never others.
Response IsAuthorized(const PolicySet& policies, std::span<const std::size_t> indices,
                      const Request& request, const Entities& entities);

}  // namespace pactum::cedar
