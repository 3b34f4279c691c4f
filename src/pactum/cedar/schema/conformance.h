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

Result<Json> NormalizeContext(const Schema& schema, const Json& action_uid, const Json& context);

// principal, action and resource are uids {"type","id"} (or {"__entity":{...}}).
Status ValidateRequest(const Schema& schema, const Json& principal, const Json& action,
                       const Json& resource, const Json& context);

}  // namespace pactum::cedar::schema
