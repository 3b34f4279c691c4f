// Entities and requests, and Cedar's JSON formats for them.
//
// An entity has attributes, tags and parents; Entities precomputes each entity's ancestors
// (the transitive closure of parents) so that `in` is one binary search. Parents that are not
// themselves in the store are allowed, as in Cedar: they count as ancestors but have none.
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

  // Sorted: small in practice, and a binary search over a few uids beats hashing them.
  using AncestorSet = std::vector<EntityUid>;

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
  std::size_t size() const { return entries_.size(); }

 private:
  static bool Contains(const AncestorSet& set, const EntityUid& uid) {
    auto it = std::lower_bound(set.begin(), set.end(), uid);
    return it != set.end() && *it == uid;
  }

  struct Entry {
    Entity entity;
    const Entity* shared;  // when set, the entity (one of Builder::Finish's defaults)
    AncestorSet ancestors;
    std::uint32_t walk;  // the last ancestor walk that reached this entry (construction only)
    const Entity& Get() const { return shared != nullptr ? *shared : entity; }
  };
  std::unordered_map<EntityUid, Entry, EntityUidHash> entries_;
  std::shared_ptr<const void> defaults_owner_;  // keeps Builder::Finish's defaults alive
};

class Entities::Builder {
 public:
  // A duplicate uid is an error.
  Status Add(Entity entity);
  // Adds each of `defaults` unless an entity with its uid was added (the schema's action
  // entities), and computes the ancestors. The defaults are referenced, not copied: `owner`
  // must keep them alive; the store keeps `owner`.
  Entities Finish(std::span<const Entity> defaults = {},
                  std::shared_ptr<const void> owner = nullptr) &&;

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
