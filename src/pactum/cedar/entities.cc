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
  // One lookup per member: this runs three times per request.
  const Json* j = &json;
  if (json.is_object() && json.size() == 1) {
    auto wrapped = json.find("__entity");
    if (wrapped != json.end()) j = &*wrapped;
  }
  const std::string* type = nullptr;
  const std::string* id = nullptr;
  if (j->is_object()) {
    auto t = j->find("type");
    auto i = j->find("id");
    if (t != j->end() && t->is_string()) type = &t->get_ref<const std::string&>();
    if (i != j->end() && i->is_string()) id = &i->get_ref<const std::string&>();
  }
  if (type == nullptr || id == nullptr) {
    return InvalidArgument("entity uid must be {\"type\": string, \"id\": string}, got " +
                           json.dump());
  }
  // The type must be a valid Cedar path. The policy parser is the judge (it admits, e.g., spaces
  // around `::`); a plain path needs no parse.
  if (!schema::IsPath(*type) && !ParseEntityUid(*type + "::\"\"").ok()) {
    return InvalidArgument("invalid entity type \"" + *type + "\"");
  }
  return EntityUid{*type, *id};
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
      store_.entries_.try_emplace(std::move(uid), Entry{std::move(entity), {}, 0});
  if (!inserted) return InvalidArgument("duplicate entity " + it->first.ToString());
  return Status::Ok();
}

Entities Entities::Builder::Finish(std::shared_ptr<const Entities> base) && {
  Entities store = std::move(store_);
  store.base_ = std::move(base);
  // Transitive closure by a walk from each entity; parents outside the store end the walk (a
  // parent in the base brings the base's ancestors of it). A walk marks the entries it reaches
  // (no set per entity); parents outside the store may repeat and are deduplicated at the end.
  std::vector<const EntityUid*> pending;
  std::uint32_t walk = 0;
  for (auto& [uid, entry] : store.entries_) {
    ++walk;
    AncestorSet& ancestors = entry.ancestors;
    for (const EntityUid& p : entry.entity.parents)
      pending.push_back(&p);
    while (!pending.empty()) {
      const EntityUid* next = pending.back();
      pending.pop_back();
      auto it = store.entries_.find(*next);
      if (it == store.entries_.end()) {
        ancestors.push_back(*next);
        if (const Entry* in_base = store.base_ ? store.base_->Lookup(*next) : nullptr) {
          ancestors.insert(ancestors.end(), in_base->ancestors.begin(), in_base->ancestors.end());
        }
        continue;
      }
      if (it->second.walk == walk) continue;
      it->second.walk = walk;
      ancestors.push_back(*next);
      for (const EntityUid& p : it->second.entity.parents)
        pending.push_back(&p);
    }
    if (ancestors.size() >= kSortedAncestors) {
      std::sort(ancestors.begin(), ancestors.end());
      ancestors.erase(std::unique(ancestors.begin(), ancestors.end()), ancestors.end());
    } else {
      for (std::size_t i = 1; i < ancestors.size();) {  // a handful: pairwise is cheapest
        auto end = ancestors.begin() + static_cast<std::ptrdiff_t>(i);
        if (std::find(ancestors.begin(), end, ancestors[i]) != end) {
          ancestors.erase(end);
        } else {
          ++i;
        }
      }
    }
  }
  return store;
}

const Entities::Entry* Entities::Lookup(const EntityUid& uid) const {
  auto it = entries_.find(uid);
  if (it != entries_.end()) return &it->second;
  return base_ ? base_->Lookup(uid) : nullptr;
}

const Entity* Entities::Find(const EntityUid& uid) const {
  const Entry* entry = Lookup(uid);
  return entry == nullptr ? nullptr : &entry->entity;
}

Entities::Resolved Entities::Resolve(const EntityUid& uid) const {
  Resolved r;
  r.uid_ = &uid;
  if (const Entry* entry = Lookup(uid)) {
    r.entity_ = &entry->entity;
    r.ancestors_ = &entry->ancestors;
  }
  return r;
}

bool Entities::IsInOrEqual(const EntityUid& uid, const EntityUid& ancestor) const {
  if (uid == ancestor) return true;
  const Entry* entry = Lookup(uid);
  return entry != nullptr && Contains(entry->ancestors, ancestor);
}

std::size_t Entities::size() const {
  if (!base_) return entries_.size();
  std::size_t replaced = 0;  // base entities this store re-adds
  for (const auto& [uid, entry] : entries_)
    replaced += base_->Lookup(uid) != nullptr;
  return entries_.size() + base_->size() - replaced;
}

}  // namespace pactum::cedar
