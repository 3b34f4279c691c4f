#include "pactum/cedar/policy.h"

#include <algorithm>

namespace pactum::cedar {
namespace {

bool UsesSlot(const ScopeConstraint& c) {
  bool has_target = c.kind == ScopeConstraint::Kind::kEq || c.kind == ScopeConstraint::Kind::kIn ||
                    c.kind == ScopeConstraint::Kind::kIsIn;
  return has_target && !c.target.uid.has_value();
}

Status Fill(ScopeConstraint& c, Slot slot, const std::map<Slot, EntityUid>& values) {
  if (!UsesSlot(c)) return Status::Ok();
  auto it = values.find(slot);
  if (it == values.end()) {
    return InvalidArgument(std::string("no value given for slot ") +
                           (slot == Slot::kPrincipal ? "?principal" : "?resource"));
  }
  c.target.uid = it->second;
  return Status::Ok();
}

}  // namespace

int HeightOf(const Expr& e) {
  int height = 0;
  for (const ExprPtr& a : e.args)
    height = std::max(height, a->depth);
  for (const auto& f : e.fields)
    height = std::max(height, f.second->depth);
  return height + 1;
}

bool Policy::IsTemplate() const {
  return UsesSlot(principal) || UsesSlot(resource);
}

Result<Policy> LinkTemplate(const Policy& template_policy, std::string new_id,
                            const std::map<Slot, EntityUid>& values) {
  if (!template_policy.IsTemplate()) {
    return InvalidArgument("policy \"" + template_policy.id + "\" is not a template");
  }
  for (const auto& [slot, uid] : values) {
    bool used = slot == Slot::kPrincipal ? UsesSlot(template_policy.principal)
                                         : UsesSlot(template_policy.resource);
    if (!used) {
      return InvalidArgument(std::string("template \"") + template_policy.id + "\" has no slot " +
                             (slot == Slot::kPrincipal ? "?principal" : "?resource"));
    }
  }
  Policy linked = template_policy;
  linked.id = std::move(new_id);
  PACTUM_TRY(Fill(linked.principal, Slot::kPrincipal, values));
  PACTUM_TRY(Fill(linked.resource, Slot::kResource, values));
  return linked;
}

Status PolicySet::Link(const std::string& template_id, std::string new_id,
                       const std::map<Slot, EntityUid>& values) {
  for (const Policy& p : policies) {
    if (p.id == new_id) return AlreadyExists("policy id \"" + new_id + "\" is taken");
  }
  for (const Policy& t : templates) {
    if (t.id == new_id) return AlreadyExists("policy id \"" + new_id + "\" is taken");
  }
  for (const Policy& t : templates) {
    if (t.id != template_id) continue;
    PACTUM_ASSIGN_OR_RETURN(Policy linked, LinkTemplate(t, std::move(new_id), values));
    policies.push_back(std::move(linked));
    return Status::Ok();
  }
  return NotFound("no template \"" + template_id + "\"");
}

}  // namespace pactum::cedar
