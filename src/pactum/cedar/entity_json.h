// Cedar entity (and request context) JSON text read straight into an entity store (a context
// value): one pass over the text, with no JSON document built in between (the per-request cost
// when entities arrive as JSON).
//
// Without a schema the entities mean what Entities::FromJson makes of them (entities.h). With a
// schema, values are typed as they are read, with the checks and messages of
// schema::NormalizeEntities (conformance.h): the same inputs are accepted, giving the same
// store as NormalizeEntities + Entities::FromJson. The schema's action entities are added
// unless the text defines them, as Cedar's authorizer does.
//
// Malformed JSON is an error naming the line and column (details {"line", "column"}); other
// errors name the entity and the attribute at fault. Unlike a parse-then-check pipeline, an
// error in an earlier entity is reported before a syntax error further on.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/entities.h"
#include "pactum/cedar/schema/schema.h"

namespace pactum::cedar {

class EntityReader {
 public:
  // Reads without a schema.
  EntityReader() = default;
  // Reads directed by `schema`, which must outlive the reader. What depends on the schema only
  // (its action entities) is prepared here, once.
  explicit EntityReader(const schema::Schema& schema);

  // Reads a JSON array of entities. Safe to call from many threads.
  Result<Entities> Read(std::string_view json_text) const;

  // Reads a request context (a JSON object; empty text or `null` is the empty context) for
  // `action`: as ContextFromJson without a schema; with one, typed by the action's context type
  // as schema::NormalizeContext does (the action must be declared). schema::ValidateRequestScope
  // checks the rest of a request.
  Result<Value> ReadContext(std::string_view json_text, const EntityUid& action) const;

  // schema::ValidateRequestScope on uids already read (EntityUidFromJson): the action is
  // declared, the principal's and resource's types are in its appliesTo and their ids in their
  // enumerations; the same messages. Ok without a schema.
  Status CheckScope(const EntityUid& principal, const EntityUid& action,
                    const EntityUid& resource) const;

  struct Index;  // what is prepared from the schema (entity_json.cc)

 private:
  std::shared_ptr<const Index> index_;  // null without a schema
};

// One-off reads (the schema's preparation is repeated per call).
Result<Entities> ReadEntities(std::string_view json_text);
Result<Entities> ReadEntities(std::string_view json_text, const schema::Schema& schema);

}  // namespace pactum::cedar
