// Entities and requests, and Cedar's JSON formats for them.
//
// An entity has attributes, tags and parents; Entities precomputes each entity's ancestors
// (the transitive closure of parents) so that `in` is one search of a small set. Parents that are
// not themselves in the store are allowed, as in Cedar: they count as ancestors but have none.
//
// JSON values follow Cedar's entity format without a schema: `{"__entity": {"type", "id"}}` is
// an entity reference, `{"__extn": {"fn", "arg"}}` an extension value, any other object a
// record, arrays are sets. Entity uids (`uid`, `parents`, request variables) may also be
// written in the implicit `{"type", "id"}` form. Schema-directed forms are made explicit
// beforehand by pactum/cedar/schema.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pactum/base/status.h"
#include "pactum/cedar/value.h"

namespace pactum::cedar {

struct Entity {
  EntityUid uid;
  Record attrs;
  std::vector<EntityUid> parents;
  Record tags;
};

class Entities {
 public:
  Entities() = default;

  // Parses a JSON array of entities. Duplicate uids are an error.
  static Result<Entities> FromJson(const Json& json);
  // Builds a store from entities; ancestors are computed once, here. Duplicate uids are an
  // error.
  static Result<Entities> FromEntities(std::vector<Entity> entities);
  // The same one entity at a time, for readers that produce entities as they parse.
  class Builder;

  // Without duplicates, in no particular order below kSortedAncestors uids (a scan of a few uids
  // beats sorting them for every entity of every request), sorted from there on.
  using AncestorSet = std::vector<EntityUid>;
  static constexpr std::size_t kSortedAncestors = 16;

  // One entity looked up once, for repeated `in` tests (the request's principal, action and
  // resource are tested against every policy's scope). Valid while the store lives.
  class Resolved {
   public:
    const EntityUid& uid() const { return *uid_; }
    // Null when the entity is not in the store.
    const Entity* entity() const { return entity_; }
    // True if `ancestor` equals the entity or is one of its ancestors.
    // The entity's ancestors (empty when it is not in the store).
    std::span<const EntityUid> ancestors() const {
      return ancestors_ == nullptr ? std::span<const EntityUid>() : *ancestors_;
    }
    bool IsInOrEqual(const EntityUid& ancestor) const {
      return *uid_ == ancestor || (ancestors_ != nullptr && Contains(*ancestors_, ancestor));
    }

   private:
    friend class Entities;
    const EntityUid* uid_ = nullptr;
    const Entity* entity_ = nullptr;
    const AncestorSet* ancestors_ = nullptr;  // null: not in the store
  };

  // Null if the entity is not in the store.
  const Entity* Find(const EntityUid& uid) const;
  // `uid` must outlive the result.
  Resolved Resolve(const EntityUid& uid) const;
  // True if `ancestor` equals `uid` or is one of its ancestors.
  bool IsInOrEqual(const EntityUid& uid, const EntityUid& ancestor) const;
  // Distinct uids, the base's included.
  std::size_t size() const;

 private:
  static bool Contains(const AncestorSet& set, const EntityUid& uid) {
    if (set.size() < kSortedAncestors) return std::find(set.begin(), set.end(), uid) != set.end();
    auto it = std::lower_bound(set.begin(), set.end(), uid);
    return it != set.end() && *it == uid;
  }

  struct Entry {
    Entity entity;
    AncestorSet ancestors;
    std::uint32_t walk;  // the last ancestor walk that reached this entry (construction only)
  };
  // This store's entry for `uid`, else the base's; null when neither has it.
  const Entry* Lookup(const EntityUid& uid) const;

  std::unordered_map<EntityUid, Entry, EntityUidHash> entries_;
  std::shared_ptr<const Entities> base_;  // see Builder::Finish
};

class Entities::Builder {
 public:
  // A duplicate uid is an error.
  Status Add(Entity entity);
  // Computes the ancestors. With a `base` (a store shared by many, such as the schema's action
  // entities), the store also holds base's entities, without copying them: an added entity with
  // a base entity's uid replaces it, and an added entity's ancestors include base's ancestors of
  // its parents in base. Base's ancestor sets are used as they are, so added entities must not
  // change base's hierarchy (re-adding a base entity with its parents in base is fine).
  Entities Finish(std::shared_ptr<const Entities> base = nullptr) &&;

 private:
  Entities store_;
};

struct Request {
  EntityUid principal;
  EntityUid action;
  EntityUid resource;
  Value context = Value::MakeRecord({});  // always a record
};

// A Cedar value from its JSON form (see above). Nesting is bounded.
Result<Value> ValueFromJson(const Json& json);
// As above, for a value nested `depth` deep in a document; `where` names it in messages.
Result<Value> ValueFromJson(const Json& json, const std::string& where, int depth);
// An entity uid in the `{"type", "id"}` or `{"__entity": {...}}` form.
Result<EntityUid> EntityUidFromJson(const Json& json);
// A context: a JSON object of values.
Result<Value> ContextFromJson(const Json& json);

}  // namespace pactum::cedar
