// Schema-directed parsing of Cedar entity and context JSON, and request validation.
//
// NormalizeEntities takes a Cedar entity JSON array (`[{"uid":..., "attrs":..., "parents":...,
// "tags":...}]`) and returns the same entities in explicit form: every uid and parent as
// {"type","id"}, every entity reference inside a value as {"__entity":{"type","id"}}, every
// extension value as {"__extn":{"fn","arg"}} (or "args"), whether the input wrote it explicitly,
// as {"type","id"} / {"fn","arg"}, or as a bare string for an extension-typed attribute. It
// checks conformance as Cedar does: declared entity type, required and unexpected attributes,
// attribute and tag types, allowed parent types, enumerated ids, declared action entities.
// Unlike Cedar, unknown fields in an entity object are rejected: a misspelt "parents" would
// otherwise silently drop the entity's groups. NormalizeContext does the same for a request
// context (null meaning absent, i.e. empty) against the action's context type, and
// ValidateRequest checks a whole request against the action's appliesTo.
// Every error is kInvalidArgument naming the entity and the attribute at fault.
#pragma once

#include "pactum/base/status.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar::schema {

// Values nested deeper than this (sets, records, extension arguments) are rejected.
inline constexpr int kMaxValueDepth = 128;

Result<Json> NormalizeEntities(const Schema& schema, const Json& entities);

// The pieces NormalizeEntities is made of, for readers that type entity JSON as they parse it
// (pactum/cedar/entity_json.h) and must agree with it. `where` names the value in messages.
//
// One value against `expected` (null: untyped, as under additionalAttributes), nested `depth`
// deep, in explicit form.
Result<Json> NormalizeValue(const Schema& schema, const Json& value, const Type* expected,
                            const std::string& where, int depth);
// Action entity types: `Action` and `NS::Action`.
bool IsActionType(std::string_view type);
// An id of an enumerated entity type must be one of its choices.
Status CheckEnumId(const Schema& schema, const std::string& type, const std::string& id,
                   const std::string& where);
// Every action reachable from `uid` through memberOf, excluding itself.
std::set<ActionUid> ActionAncestors(const Schema& schema, const ActionUid& uid);
// An action entity must be declared, have no attributes or tags, and the declared parents.
Status CheckActionEntity(const Schema& schema, const ActionUid& uid, bool has_attrs_or_tags,
                         const std::set<ActionUid>& parents, const std::string& where);

Result<Json> NormalizeContext(const Schema& schema, const Json& action_uid, const Json& context);

// principal, action and resource are uids {"type","id"} (or {"__entity":{...}}).
Status ValidateRequest(const Schema& schema, const Json& principal, const Json& action,
                       const Json& resource, const Json& context);
// ValidateRequest without the context: the action is declared, and the principal and resource
// types are in its appliesTo (and their ids in their enumerations).
Status ValidateRequestScope(const Schema& schema, const Json& principal, const Json& action,
                            const Json& resource);
// One side of ValidateRequestScope on a uid already read: `type` is among the declared action's
// principal types (`role` "principal") or resource types ("resource"). The id's enumeration is
// CheckEnumId's to check.
Status CheckAppliesTo(const Action& action, std::string_view role, const std::string& type);

}  // namespace pactum::cedar::schema
