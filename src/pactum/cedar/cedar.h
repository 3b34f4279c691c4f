// The Cedar engine, for use from other modules.
//
//   PACTUM_ASSIGN_OR_RETURN(auto authorizer, cedar::Authorizer::FromText(policy_text));
//   PACTUM_ASSIGN_OR_RETURN(auto entities, cedar::ParseEntities(entities_json_text));
//   PACTUM_ASSIGN_OR_RETURN(auto request, cedar::MakeRequest(R"(User::"alice")",
//                                          R"(Action::"view")", R"(Doc::"d1")", context_json));
//   cedar::Response r = authorizer.IsAuthorized(request, entities);
//
// An Authorizer's IsAuthorized is const and safe to call from many threads (Link is not);
// Entities are immutable. Policy ids are the `@id` annotation, else policy0, policy1, ... in file
// order.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/authorizer.h"
#include "pactum/cedar/entities.h"
#include "pactum/cedar/entity_json.h"
#include "pactum/cedar/policy.h"

namespace pactum::cedar {

class Authorizer {
 public:
  // Policies in Cedar's text syntax; templates take effect once linked (Link).
  static Result<Authorizer> FromText(std::string_view policy_text);
  // Policies in Cedar's JSON policy-set format.
  static Result<Authorizer> FromJson(const Json& policy_set);
  explicit Authorizer(PolicySet policies);

  // The same response as cedar::IsAuthorized over all policies, but only the policies whose
  // principal scope can match are evaluated: policies are indexed by the entity their principal
  // scope names, and a request looks up its principal and the principal's ancestors.
  Response IsAuthorized(const Request& request, const Entities& entities) const;

  // Links a template (see PolicySet::Link).
  Status Link(const std::string& template_id, std::string new_id,
              const std::map<Slot, EntityUid>& values);

  const PolicySet& policies() const { return policies_; }

 private:
  void Index(std::size_t policy);

  PolicySet policies_;
  std::unordered_map<EntityUid, std::vector<std::size_t>, EntityUidHash> by_principal_;
  std::vector<std::size_t> unindexed_;  // principal scope names no entity
};

// Entities from Cedar's entity JSON text (no schema); ReadEntities (entity_json.h) is the same
// and also reads directed by a schema.
Result<Entities> ParseEntities(std::string_view json_text);

// A request from entity references in Cedar syntax (`User::"alice"`) and a JSON context object
// (null for an empty context).
Result<Request> MakeRequest(std::string_view principal, std::string_view action,
                            std::string_view resource, const Json& context = nullptr);

}  // namespace pactum::cedar
