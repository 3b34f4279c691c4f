#include "pactum/cedar/cedar.h"

#include <algorithm>

#include "pactum/base/json.h"
#include "pactum/cedar/entity_json.h"
#include "pactum/cedar/est.h"
#include "pactum/cedar/parser.h"

namespace pactum::cedar {

Result<Authorizer> Authorizer::FromText(std::string_view policy_text) {
  PACTUM_ASSIGN_OR_RETURN(PolicySet set, ParsePolicySet(policy_text));
  return Authorizer(std::move(set));
}

Result<Authorizer> Authorizer::FromJson(const Json& policy_set) {
  PACTUM_ASSIGN_OR_RETURN(PolicySet set, PolicySetFromJson(policy_set));
  return Authorizer(std::move(set));
}

Authorizer::Authorizer(PolicySet policies) : policies_(std::move(policies)) {
  for (std::size_t i = 0; i < policies_.policies.size(); ++i)
    Index(i);
}

void Authorizer::Index(std::size_t policy) {
  const ScopeConstraint& scope = policies_.policies[policy].principal;
  bool names_entity = scope.kind == ScopeConstraint::Kind::kEq ||
                      scope.kind == ScopeConstraint::Kind::kIn ||
                      scope.kind == ScopeConstraint::Kind::kIsIn;
  if (names_entity && scope.target.uid) {
    by_principal_[*scope.target.uid].push_back(policy);
  } else {
    unindexed_.push_back(policy);
  }
}

Response Authorizer::IsAuthorized(const Request& request, const Entities& entities) const {
  std::vector<std::size_t> candidates = unindexed_;
  auto add = [&](const EntityUid& uid) {
    auto it = by_principal_.find(uid);
    if (it != by_principal_.end()) {
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
  };
  add(request.principal);
  for (const EntityUid& ancestor : entities.Resolve(request.principal).ancestors())
    add(ancestor);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  return cedar::IsAuthorized(policies_, candidates, request, entities);
}

Status Authorizer::Link(const std::string& template_id, std::string new_id,
                        const std::map<Slot, EntityUid>& values) {
  PACTUM_TRY(policies_.Link(template_id, std::move(new_id), values));
  Index(policies_.policies.size() - 1);
  return Status::Ok();
}

Result<Entities> ParseEntities(std::string_view json_text) {
  return ReadEntities(json_text);
}

Result<Request> MakeRequest(std::string_view principal, std::string_view action,
                            std::string_view resource, const Json& context) {
  Request r;
  Result<EntityUid> p = ParseEntityUid(principal);
  if (!p.ok()) return p.status().WithContext("principal");
  Result<EntityUid> a = ParseEntityUid(action);
  if (!a.ok()) return a.status().WithContext("action");
  Result<EntityUid> res = ParseEntityUid(resource);
  if (!res.ok()) return res.status().WithContext("resource");
  r.principal = std::move(p).value();
  r.action = std::move(a).value();
  r.resource = std::move(res).value();
  if (!context.is_null()) {
    PACTUM_ASSIGN_OR_RETURN(r.context, ContextFromJson(context));
  }
  return r;
}

}  // namespace pactum::cedar
