#include "pactum/cedar/entities.h"

#include <utility>

#include "pactum/cedar/extension.h"
#include "pactum/cedar/parser.h"
#include "pactum/cedar/schema/raw_schema.h"

namespace pactum::cedar {
namespace {

constexpr int kMaxJsonDepth = 256;

Result<Value> FromJson(const Json& json, const std::string& where, int depth) {
  if (depth > kMaxJsonDepth) return InvalidArgument(where + ": value nested too deeply");
  switch (json.type()) {
    case Json::value_t::boolean:
      return Value(json.get<bool>());
    case Json::value_t::number_integer:
      return Value(json.get<std::int64_t>());
    case Json::value_t::number_unsigned: {
      auto u = json.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) {
        return InvalidArgument(where + ": integer out of range for a Cedar long");
      }
      return Value(static_cast<std::int64_t>(u));
    }
    case Json::value_t::string:
      return Value(json.get<std::string>());
    case Json::value_t::array: {
      std::vector<Value> elements;
      elements.reserve(json.size());
      for (std::size_t i = 0; i < json.size(); ++i) {
        PACTUM_ASSIGN_OR_RETURN(Value v,
                                FromJson(json[i], where + "/" + std::to_string(i), depth + 1));
        elements.push_back(std::move(v));
      }
      return Value::MakeSet(std::move(elements));
    }
    case Json::value_t::object: {
      if (json.size() == 1 && json.contains("__entity")) {
        PACTUM_ASSIGN_OR_RETURN(EntityUid uid, EntityUidFromJson(json));
        return Value(std::move(uid));
      }
      if (json.size() == 1 && json.contains("__extn")) {
        const Json& x = json["__extn"];
        if (!x.is_object() || !x.contains("fn") || !x["fn"].is_string()) {
          return InvalidArgument(where + ": __extn needs a string \"fn\"");
        }
        std::vector<Value> args;
        if (x.contains("arg")) {
          PACTUM_ASSIGN_OR_RETURN(Value a, FromJson(x["arg"], where + "/__extn/arg", depth + 1));
          args.push_back(std::move(a));
        } else if (x.contains("args") && x["args"].is_array()) {
          for (const Json& a : x["args"]) {
            PACTUM_ASSIGN_OR_RETURN(Value v, FromJson(a, where + "/__extn/args", depth + 1));
            args.push_back(std::move(v));
          }
        } else {
          return InvalidArgument(where + ": __extn needs \"arg\"");
        }
        Result<Value> v = CallExtension(x["fn"].get<std::string>(), args);
        if (!v.ok()) return v.status().WithContext(where);
        return v;
      }
      Record fields;
      for (const auto& [key, item] : json.items()) {
        PACTUM_ASSIGN_OR_RETURN(Value v, FromJson(item, where + "/" + key, depth + 1));
        fields.emplace(key, std::move(v));
      }
      return Value::MakeRecord(std::move(fields));
    }
    case Json::value_t::number_float:
      return InvalidArgument(where + ": Cedar has no floating-point numbers");
    default:
      return InvalidArgument(where + ": null is not a Cedar value");
  }
}

Result<Record> RecordFromJson(const Json& json, const std::string& where) {
  if (!json.is_object()) return InvalidArgument(where + ": expected an object");
  Record fields;
  for (const auto& [key, item] : json.items()) {
    PACTUM_ASSIGN_OR_RETURN(Value v, FromJson(item, where + "/" + key, 1));
    fields.emplace(key, std::move(v));
  }
  return fields;
}

}  // namespace

Result<Value> ValueFromJson(const Json& json) {
  return FromJson(json, "value", 0);
}

Result<Value> ValueFromJson(const Json& json, const std::string& where, int depth) {
  return FromJson(json, where, depth);
}

Result<EntityUid> EntityUidFromJson(const Json& json) {
  const Json* j = &json;
  if (json.is_object() && json.size() == 1 && json.contains("__entity")) j = &json["__entity"];
  if (!j->is_object() || !j->contains("type") || !j->contains("id") || !(*j)["type"].is_string() ||
      !(*j)["id"].is_string()) {
    return InvalidArgument("entity uid must be {\"type\": string, \"id\": string}, got " +
                           json.dump());
  }
  EntityUid uid{(*j)["type"].get<std::string>(), (*j)["id"].get<std::string>()};
  // The type must be a valid Cedar path. The policy parser is the judge (it admits, e.g., spaces
  // around `::`); a plain path needs no parse.
  if (!schema::IsPath(uid.type) && !ParseEntityUid(uid.type + "::\"\"").ok()) {
    return InvalidArgument("invalid entity type \"" + uid.type + "\"");
  }
  return uid;
}

Result<Value> ContextFromJson(const Json& json) {
  PACTUM_ASSIGN_OR_RETURN(Record r, RecordFromJson(json, "context"));
  return Value::MakeRecord(std::move(r));
}

Result<Entities> Entities::FromJson(const Json& json) {
  if (!json.is_array()) return InvalidArgument("entities: expected a JSON array");
  std::vector<Entity> entities;
  entities.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const Json& e = json[i];
    std::string where = "entities/" + std::to_string(i);
    if (!e.is_object() || !e.contains("uid")) {
      return InvalidArgument(where + ": expected an object with \"uid\"");
    }
    Entity entity;
    Result<EntityUid> uid = EntityUidFromJson(e["uid"]);
    if (!uid.ok()) return uid.status().WithContext(where + "/uid");
    entity.uid = std::move(uid).value();
    if (e.contains("attrs")) {
      PACTUM_ASSIGN_OR_RETURN(entity.attrs, RecordFromJson(e["attrs"], where + "/attrs"));
    }
    if (e.contains("tags")) {
      PACTUM_ASSIGN_OR_RETURN(entity.tags, RecordFromJson(e["tags"], where + "/tags"));
    }
    if (e.contains("parents")) {
      if (!e["parents"].is_array()) return InvalidArgument(where + "/parents: expected an array");
      for (const Json& p : e["parents"]) {
        Result<EntityUid> parent = EntityUidFromJson(p);
        if (!parent.ok()) return parent.status().WithContext(where + "/parents");
        entity.parents.push_back(std::move(parent).value());
      }
    }
    entities.push_back(std::move(entity));
  }
  return FromEntities(std::move(entities));
}

Result<Entities> Entities::FromEntities(std::vector<Entity> entities) {
  Builder builder;
  for (Entity& e : entities)
    PACTUM_TRY(builder.Add(std::move(e)));
  return std::move(builder).Finish();
}

Status Entities::Builder::Add(Entity entity) {
  EntityUid uid = entity.uid;
  auto [it, inserted] =
      store_.entries_.try_emplace(std::move(uid), Entry{std::move(entity), nullptr, {}, 0});
  if (!inserted) return InvalidArgument("duplicate entity " + it->first.ToString());
  return Status::Ok();
}

Entities Entities::Builder::Finish(std::span<const Entity> defaults,
                                   std::shared_ptr<const void> owner) && {
  Entities store = std::move(store_);
  for (const Entity& e : defaults)
    store.entries_.try_emplace(e.uid, Entry{Entity(), &e, {}, 0});
  store.defaults_owner_ = std::move(owner);
  // Transitive closure by a walk from each entity; parents outside the store end the walk. A
  // walk marks the entries it reaches (no set per entity); parents outside the store may repeat
  // and are deduplicated with the sort.
  std::vector<const EntityUid*> pending;
  std::uint32_t walk = 0;
  for (auto& [uid, entry] : store.entries_) {
    ++walk;
    AncestorSet& ancestors = entry.ancestors;
    for (const EntityUid& p : entry.Get().parents)
      pending.push_back(&p);
    while (!pending.empty()) {
      const EntityUid* next = pending.back();
      pending.pop_back();
      auto it = store.entries_.find(*next);
      if (it == store.entries_.end()) {
        ancestors.push_back(*next);
        continue;
      }
      if (it->second.walk == walk) continue;
      it->second.walk = walk;
      ancestors.push_back(*next);
      for (const EntityUid& p : it->second.Get().parents)
        pending.push_back(&p);
    }
    std::sort(ancestors.begin(), ancestors.end());
    ancestors.erase(std::unique(ancestors.begin(), ancestors.end()), ancestors.end());
  }
  return store;
}

const Entity* Entities::Find(const EntityUid& uid) const {
  auto it = entries_.find(uid);
  return it == entries_.end() ? nullptr : &it->second.Get();
}

Entities::Resolved Entities::Resolve(const EntityUid& uid) const {
  Resolved r;
  r.uid_ = &uid;
  auto it = entries_.find(uid);
  if (it != entries_.end()) {
    r.entity_ = &it->second.Get();
    r.ancestors_ = &it->second.ancestors;
  }
  return r;
}

bool Entities::IsInOrEqual(const EntityUid& uid, const EntityUid& ancestor) const {
  if (uid == ancestor) return true;
  auto it = entries_.find(uid);
  return it != entries_.end() && Contains(it->second.ancestors, ancestor);
}

}  // namespace pactum::cedar
